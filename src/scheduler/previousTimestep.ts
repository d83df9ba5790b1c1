import { previousTimestepIn } from '../schedule/index.js';
import type { DDPMScheduler } from './scheduler.js';

/**
 * The timestep a step from `t` goes to: after `setTimesteps`, the next timestep of the schedule (-1 after
 * the last); before it, `t - 1`, as diffusers does. NaN when a schedule is set and `t` is not in it
 * (`step` reports that case as an `InvalidTimestep` error).
 *
 * @example
 * ```ts
 * // with timesteps 981, 961, ..., 1 set:
 * previousTimestep(s, 981) // 961
 * previousTimestep(s, 1)   // -1
 * ```
 */
export const previousTimestep = (s: DDPMScheduler, t: number): number =>
  previousTimestepIn(s.numInferenceSteps === null ? undefined : s.timesteps, t) ?? NaN;
