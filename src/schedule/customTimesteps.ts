import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { validateNumTrainTimesteps } from './validate.js';

/**
 * Custom inference timesteps, checked: a non-empty list of integers in [0, numTrainTimesteps), strictly
 * decreasing. Returns a new Int32Array. diffusers checks only the order and the first value, and
 * truncates fractional values; we reject fractional, NaN, negative and out-of-range values too.
 *
 * @example
 * ```ts
 * customTimesteps([999, 500, 10], 1000); // right(Int32Array [999, 500, 10])
 * customTimesteps([10, 500], 1000);      // left: 'timesteps[1]: received 500; allowed: an integer < timesteps[0] = 10 ...'
 * ```
 */
export const customTimesteps = (
  timesteps: ArrayLike<number>,
  numTrainTimesteps: number,
): E.Either<SchedulerError, Int32Array> => {
  const T = validateNumTrainTimesteps(numTrainTimesteps);
  if (E.isLeft(T)) return T;
  const arrayLike =
    timesteps !== null && typeof timesteps === 'object' && typeof (timesteps as { length?: unknown }).length === 'number';
  if (!arrayLike || timesteps.length === 0) {
    return E.left(schedulerError('InvalidTimesteps', 'timesteps', timesteps, `a non-empty list of integers in [0, ${T.right})`));
  }
  // strictly decreasing integers in [0, T) are at most T: checked before the Int32Array is made, so that a
  // hostile length (-1, 2.5, 2^32) is an error, not a RangeError or a huge allocation
  if (!Number.isInteger(timesteps.length) || timesteps.length < 0 || timesteps.length > T.right) {
    return E.left(
      schedulerError('InvalidTimesteps', 'timesteps.length', timesteps.length, `an integer in [1, numTrainTimesteps] = [1, ${T.right}]`),
    );
  }
  const out = new Int32Array(timesteps.length);
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i];
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 0 || t >= T.right) {
      return E.left(
        schedulerError('InvalidTimesteps', `timesteps[${i}]`, t, `an integer in [0, numTrainTimesteps) = [0, ${T.right})`),
      );
    }
    if (i > 0 && t >= (out[i - 1] as number)) {
      return E.left(
        schedulerError(
          'InvalidTimesteps',
          `timesteps[${i}]`,
          t,
          `an integer < timesteps[${i - 1}] = ${out[i - 1]}`,
          'custom timesteps must be strictly decreasing',
        ),
      );
    }
    out[i] = t;
  }
  return E.right(out);
};
