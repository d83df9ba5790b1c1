/**
 * Shape validation for the boundaries that allocate a tensor for the caller (allocate, rand, randn,
 * allocTensor). Internal.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';

/**
 * The largest element count the library allocates for a caller: 2^28 float32 values, 1 GiB (an SD-XL
 * latent batch of 64 is 2^22). Past it a shape is a typed error, not an allocation that may take the
 * process down.
 */
export const MAX_NUMEL = 2 ** 28;

/** A validated shape and its element count. */
export interface CheckedShape {
  readonly shape: ReadonlyArray<number>;
  readonly numel: number;
}

/**
 * Checks a tensor shape: an array of integers >= 0 (any rank, zero sizes allowed), whose product is
 * at most {@link MAX_NUMEL}. The shape is copied, so later changes by the caller do not leak in.
 *
 * @example
 * ```ts
 * checkShape([2, 0, 3]) // right({ shape: [2, 0, 3], numel: 0 })
 * checkShape([2, -1])   // left({ _tag: 'InvalidTensor', parameter: 'shape[1]', ... })
 * ```
 */
export const checkShape = (shape: unknown): E.Either<SchedulerError, CheckedShape> => {
  if (!Array.isArray(shape)) {
    return E.left(schedulerError('InvalidTensor', 'shape', shape, 'an array of integers >= 0'));
  }
  const copy: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const size: unknown = shape[i];
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
      return E.left(schedulerError('InvalidTensor', `shape[${i}]`, size, 'an integer >= 0'));
    }
    copy.push(size);
  }
  // A zero anywhere makes an empty tensor however large the other sizes are.
  const numel = copy.includes(0) ? 0 : copy.reduce((product, size) => product * size, 1);
  if (numel > MAX_NUMEL) {
    return E.left(
      schedulerError('InvalidTensor', 'shape', shape, `at most ${MAX_NUMEL} elements in all`, `${numel} elements`),
    );
  }
  return E.right(Object.freeze({ shape: Object.freeze(copy), numel }));
};
