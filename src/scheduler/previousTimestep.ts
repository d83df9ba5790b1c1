import { SchedulerException, schedulerError } from '../errors.js';
import { previousTimestepIn } from '../schedule/index.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';

/**
 * The timestep a step from `t` goes to: after `setTimesteps`, the next timestep of the schedule (-1 after
 * the last); before it, `t - 1`, as diffusers does. Throws a `SchedulerException` when `s` is not a
 * scheduler, when `t` is not an integer in [0, numTrainTimesteps), or when a schedule is set and `t` is
 * not in it (`step` reports the same cases as errors; diffusers fails with an index error).
 *
 * @example
 * ```ts
 * // with timesteps 981, 961, ..., 1 set:
 * previousTimestep(s, 981) // 961
 * previousTimestep(s, 1)   // -1
 * previousTimestep(s, 2.5) // throws SchedulerException (InvalidTimestep 't')
 * ```
 */
export const previousTimestep = (s: DDPMScheduler, t: number): number => {
  if (!isDDPMScheduler(s)) throw new SchedulerException(notAScheduler(s));
  const last = s.config.numTrainTimesteps - 1;
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t > last) {
    throw new SchedulerException(schedulerError('InvalidTimestep', 't', t, `an integer in [0, ${last}]`));
  }
  const prev = previousTimestepIn(s.numInferenceSteps === null ? undefined : s.timesteps, t);
  if (prev === undefined) throw new SchedulerException(schedulerError('InvalidTimestep', 't', t, 'a timestep of the schedule set by setTimesteps'));
  return prev;
};
