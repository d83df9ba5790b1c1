import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { checkTensor } from '../tensor/checkTensor.js';
import type { Tensor } from '../tensor/index.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';

/**
 * Returns `sample` itself: DDPM does not scale the model input. It exists so that a loop written for
 * schedulers that do (Euler, for example) runs with this one unchanged. A throwing convenience: a value
 * that is not a scheduler the library made, or a sample that is not a tensor, throws a
 * `SchedulerException` (InvalidConfig 'scheduler', InvalidTensor 'sample') instead of passing through.
 *
 * @example
 * ```ts
 * scaleModelInput(s, x, 999) === x // true
 * ```
 */
export const scaleModelInput = (s: DDPMScheduler, sample: Tensor, _timestep?: number): Tensor => {
  if (!isDDPMScheduler(s)) throw new SchedulerException(notAScheduler(s));
  const checked = checkTensor(sample, 'sample', 1);
  if (E.isLeft(checked)) throw new SchedulerException(checked.left);
  return sample;
};
