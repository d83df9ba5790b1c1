import { SchedulerException, schedulerError } from '../errors.js';
import type { Tensor } from './tensor.js';
import { tensorOrThrow } from './tensorOrThrow.js';

/**
 * Whether the dimensions from `fromDim` on are laid out in C order without gaps, so that each block
 * `t[i0, ..., i(fromDim-1), ...]` is one run of consecutive elements of `t.data`. Dimensions of size 1
 * may have any stride. With `fromDim = 1` this is the per-batch-item test the step kernels use: a
 * channel-split view (`lo`/`hi` on dimension 1) keeps each item contiguous though the whole view is not.
 *
 * Throws a `SchedulerException` (InvalidTensor `t`, InvalidNumber `fromDim`) when `t` is not a tensor or
 * `fromDim` is not an integer in [0, rank].
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const t = ndarray(new Float32Array(24), [2, 3, 4]);
 * isContiguous(t);                     // true
 * isContiguous(t.hi(2, 2), 1);         // true: each batch item is 8 consecutive values
 * isContiguous(t.hi(2, 2));            // false
 * isContiguous(t.transpose(0, 2), 1);  // false
 * ```
 */
export const isContiguous = (t: Tensor, fromDim = 0): boolean => {
  tensorOrThrow(t, 't');
  if (!Number.isInteger(fromDim) || fromDim < 0 || fromDim > t.shape.length) {
    throw new SchedulerException(schedulerError('InvalidNumber', 'fromDim', fromDim, `an integer in [0, ${t.shape.length}] (the rank of t)`));
  }
  let expected = 1;
  for (let d = t.shape.length - 1; d >= fromDim; d--) {
    const size = t.shape[d] as number;
    if (size !== 1 && t.stride[d] !== expected) return false;
    expected *= size;
  }
  return true;
};
