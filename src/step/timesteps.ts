import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';

const isArrayLike = (value: unknown): value is ArrayLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { length?: unknown }).length === 'number';

/**
 * One timestep per batch item from a number (shared by every item) or a list. A list must have one
 * entry per batch item, or a single entry when `allowSingle` (torch-style broadcasting). Each entry
 * must be an integer in [`min`, `max`]; errors name the entry (`timestep[3]`).
 *
 * @internal
 * @example
 * ```ts
 * perItem(5, 2, 'timestep', 0, 999);          // right([5, 5])
 * perItem([5, 1001], 2, 'timestep', 0, 999);  // left(InvalidTimestep 'timestep[1]')
 * ```
 */
export const perItem = (
  value: unknown,
  batch: number,
  name: string,
  min: number,
  max: number,
  allowSingle = false,
): E.Either<SchedulerError, ReadonlyArray<number>> => {
  const allowed = `an integer in [${min}, ${max}]`;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < min || value > max) {
      return E.left(schedulerError('InvalidTimestep', name, value, allowed));
    }
    return E.right(new Array<number>(batch).fill(value));
  }
  if (!isArrayLike(value) || typeof value === 'string') {
    return E.left(
      schedulerError('InvalidTimestep', name, value, `a number, or one number per batch item (${batch})`),
    );
  }
  if (value.length !== batch && !(allowSingle && value.length === 1)) {
    return E.left(
      schedulerError(
        'InvalidTimestep',
        `${name}.length`,
        value.length,
        allowSingle ? `1 or the batch size ${batch}` : `the batch size ${batch} (one timestep per batch item)`,
      ),
    );
  }
  const out = new Array<number>(batch);
  for (let i = 0; i < batch; i++) {
    const t = value[value.length === 1 ? 0 : i];
    if (typeof t !== 'number' || !Number.isInteger(t) || t < min || t > max) {
      return E.left(schedulerError('InvalidTimestep', `${name}[${value.length === 1 ? 0 : i}]`, t, allowed));
    }
    out[i] = t;
  }
  return E.right(out);
};
