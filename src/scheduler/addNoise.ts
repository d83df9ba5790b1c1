import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import { mixByTimestep } from '../step/noiseMix.js';
import type { Tensor } from '../tensor/index.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';

/**
 * The forward process q(x_t | x_0) (DDPM eq. 4): sqrt(alphaBar_t) * original + sqrt(1 - alphaBar_t) * noise,
 * with one timestep for the batch or one per batch item, in diffusers' float32 arithmetic. Returns a new
 * tensor; nothing is changed.
 *
 * @example
 * ```ts
 * const noisy = addNoise(s, x0, eps, [10, 500]); // Right(tensor) for a batch of two
 * ```
 */
export const addNoise = (
  s: DDPMScheduler,
  original: Tensor,
  noise: Tensor,
  timesteps: number | ArrayLike<number>,
): E.Either<SchedulerError, Tensor> =>
  // the scheduler's table is valid by construction: the primitive's table check is not repeated
  isDDPMScheduler(s) ? mixByTimestep(s.alphasCumprod, original, 'original', noise, 'noise', 1, timesteps) : E.left(notAScheduler(s));
