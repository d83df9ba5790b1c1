import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import type { Tensor } from '../tensor/index.js';
import { checkTable } from './checks.js';
import { mixByTimestep } from './noiseMix.js';
import type { Table } from './types.js';
import { andThen } from '../validation.js';

/**
 * The v-prediction target (Salimans & Ho 2022): `sqrt(alphaBar_t) * noise - sqrt(1 - alphaBar_t) * sample`,
 * with one timestep for the batch or one per batch item, rounded like diffusers' `get_velocity` for a
 * Float32Array table. Returns a new tensor; `InvalidTensor` / `InvalidTimestep` errors for bad inputs.
 *
 * @example
 * ```ts
 * velocityWith(alphasCumprod, sample, noise, 500);  // right(velocity)
 * ```
 */
export const velocityWith = (
  alphasCumprod: Table,
  sample: Tensor,
  noise: Tensor,
  timesteps: number | ArrayLike<number>,
): E.Either<SchedulerError, Tensor> =>
  andThen(checkTable(alphasCumprod, 'alphasCumprod'), () => mixByTimestep(alphasCumprod, noise, 'noise', sample, 'sample', -1, timesteps));
