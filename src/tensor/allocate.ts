import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { checkShape } from './shape.js';
import type { Tensor } from './tensor.js';
import { tensor } from './view.js';

/**
 * A new contiguous, zero-filled {@link Tensor} of `shape` (C order, offset 0). Throws a
 * `SchedulerException` (InvalidTensor, naming `shape` or the bad `shape[i]`) when the shape is not an
 * array of integers >= 0 or holds more than 2^28 elements (1 GiB of float32).
 *
 * @example
 * ```ts
 * const t = allocate([2, 3, 4, 4]);
 * t.data.length;  // 96
 * allocate([NaN]) // throws SchedulerException: shape[0]: received NaN; allowed: an integer >= 0
 * ```
 */
export const allocate = (shape: ReadonlyArray<number>): Tensor => {
  const checked = checkShape(shape);
  if (E.isLeft(checked)) throw new SchedulerException(checked.left);
  return tensor(new Float32Array(checked.right.numel), checked.right.shape);
};
