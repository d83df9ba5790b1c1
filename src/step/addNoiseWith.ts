import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import type { Tensor } from '../tensor/index.js';
import { checkTable } from './checks.js';
import { mixByTimestep } from './noiseMix.js';
import type { Table } from './types.js';
import { andThen } from '../validation.js';

/**
 * The forward process q(x_t | x0) (DDPM eq. 4): `sqrt(alphaBar_t) * original + sqrt(1 - alphaBar_t) * noise`,
 * with one timestep for the batch or one per batch item (a single-entry list is broadcast). The square
 * roots are rounded to float32 for a Float32Array table, as diffusers' `add_noise` computes them.
 * Returns a new tensor; `InvalidTensor` / `InvalidTimestep` errors for bad inputs.
 *
 * @example
 * ```ts
 * addNoiseWith(alphasCumprod, original, noise, [10, 500]);  // right(noisy), item 0 at t=10, item 1 at t=500
 * ```
 */
export const addNoiseWith = (
  alphasCumprod: Table,
  original: Tensor,
  noise: Tensor,
  timesteps: number | ArrayLike<number>,
): E.Either<SchedulerError, Tensor> =>
  andThen(checkTable(alphasCumprod, 'alphasCumprod'), () => mixByTimestep(alphasCumprod, original, 'original', noise, 'noise', 1, timesteps));
