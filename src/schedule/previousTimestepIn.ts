import { SchedulerException, schedulerError } from '../errors.js';
/**
 * The timestep that follows `t` in a denoising loop. With a schedule set (`timesteps` given), the next
 * entry after `t`, or -1 after the last; `undefined` when `t` is not in the schedule. With no schedule set
 * (`timesteps` undefined), `t - 1`, as diffusers does before `set_timesteps`.
 *
 * @example
 * ```ts
 * const timesteps = Int32Array.from([999, 499]);
 * previousTimestepIn(timesteps, 999);  // 499
 * previousTimestepIn(timesteps, 499);  // -1
 * previousTimestepIn(timesteps, 5);    // undefined
 * previousTimestepIn(undefined, 5);    // 4
 * previousTimestepIn(undefined, NaN);  // undefined (a timesteps that is not an Int32Array throws a SchedulerException)
 * ```
 */
export const previousTimestepIn = (timesteps: Int32Array | undefined, t: number): number | undefined => {
  if (timesteps !== undefined && !(timesteps instanceof Int32Array)) {
    throw new SchedulerException(schedulerError('InvalidTimesteps', 'timesteps', timesteps, 'an Int32Array of timesteps, or undefined when none is set'));
  }
  // a non-integer (NaN, '5', 2.5) is no timestep: undefined, never NaN or '5' - 1
  if (typeof t !== 'number' || !Number.isInteger(t)) return undefined;
  if (timesteps === undefined) return t - 1;
  const index = timesteps.indexOf(t);
  if (index < 0) return undefined;
  return index === timesteps.length - 1 ? -1 : (timesteps[index + 1] as number);
};
