import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import { mixByTimestep } from '../step/noiseMix.js';
import type { Tensor } from '../tensor/index.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';

/**
 * The velocity target of v-prediction (Salimans & Ho 2022): sqrt(alphaBar_t) * noise -
 * sqrt(1 - alphaBar_t) * sample, with one timestep for the batch or one per batch item, in diffusers'
 * float32 arithmetic. Returns a new tensor; nothing is changed.
 *
 * @example
 * ```ts
 * const v = getVelocity(s, x0, eps, 500); // Right(tensor)
 * ```
 */
export const getVelocity = (
  s: DDPMScheduler,
  sample: Tensor,
  noise: Tensor,
  timesteps: number | ArrayLike<number>,
): E.Either<SchedulerError, Tensor> =>
  // the scheduler's table is valid by construction: the primitive's table check is not repeated
  isDDPMScheduler(s) ? mixByTimestep(s.alphasCumprod, noise, 'noise', sample, 'sample', -1, timesteps) : E.left(notAScheduler(s));
