/**
 * The check of a betas table handed to the schedule primitives that have no error channel
 * (`makeTables`, `rescaleZeroSnr`). Internal.
 *
 * @module
 */
import { SchedulerException, schedulerError } from '../errors.js';
import type { Table } from './types.js';
import { MAX_TRAIN_TIMESTEPS } from './validate.js';

/**
 * `betas` itself when it is a Float32Array or Float64Array of 1 to MAX_TRAIN_TIMESTEPS values, each
 * in (0, 1]; otherwise throws a `SchedulerException` (InvalidBetas) naming the parameter or the entry.
 *
 * @example
 * ```ts
 * betasOrThrow(Float32Array.of(0.1, 0.2), 'betas') // the array
 * betasOrThrow(Float32Array.of(1.5, 0.5), 'betas') // throws: betas[0]: received 1.5; allowed: a number in (0, 1]
 * ```
 * @internal
 */
export const betasOrThrow = (betas: unknown, parameter: string): Table => {
  if (!(betas instanceof Float32Array) && !(betas instanceof Float64Array)) {
    throw new SchedulerException(schedulerError('InvalidBetas', parameter, betas, 'a Float32Array (diffusers\' float32 tables) or a Float64Array of betas'));
  }
  if (betas.length < 1 || betas.length > MAX_TRAIN_TIMESTEPS) {
    throw new SchedulerException(schedulerError('InvalidBetas', `${parameter}.length`, betas.length, `1 to ${MAX_TRAIN_TIMESTEPS} betas`));
  }
  for (let i = 0; i < betas.length; i++) {
    const b = betas[i] as number;
    if (!(b > 0 && b <= 1)) throw new SchedulerException(schedulerError('InvalidBetas', `${parameter}[${i}]`, b, 'a number in (0, 1]'));
  }
  return betas;
};
