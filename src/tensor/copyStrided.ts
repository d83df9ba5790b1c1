import type { Tensor } from './tensor.js';
import { SchedulerException, schedulerError } from '../errors.js';
import { tensorOrThrow } from './tensorOrThrow.js';
import { tensor } from './view.js';

/**
 * Copies every element of `src` into `dst` (same shape, any strides), walking the indices in C order
 * with an odometer. The slow but general path for views that are not contiguous. Returns `dst`.
 *
 * Throws a `SchedulerException` (InvalidTensor `dst`, `src` or `dst.shape`) unless both are tensors of one shape.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const a = ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * const b = ndarray(new Float32Array(4), [2, 2]);
 * copyStrided(b, a.transpose(1, 0)).data;  // Float32Array [1, 3, 2, 4]
 * ```
 */
export const copyStrided = (dst: Tensor, src: Tensor): Tensor => {
  tensorOrThrow(dst, 'dst');
  tensorOrThrow(src, 'src');
  if (dst.shape.length !== src.shape.length || dst.shape.some((n, d) => n !== src.shape[d])) {
    throw new SchedulerException(schedulerError('InvalidTensor', 'dst.shape', [...dst.shape], `[${src.shape.join(', ')}] (the shape of src)`));
  }
  const rank = src.shape.length;
  let total = 1;
  for (let d = 0; d < rank; d++) total *= src.shape[d] as number;
  if (total === 0) return dst;
  const index = new Array<number>(rank).fill(0);
  let s = src.offset;
  let o = dst.offset;
  const sd = src.data;
  const dd = dst.data;
  for (let n = 0; n < total; n++) {
    dd[o] = sd[s] as number;
    // advance the last dimension, carrying into earlier ones
    for (let d = rank - 1; d >= 0; d--) {
      const i = (index[d] as number) + 1;
      if (i < (src.shape[d] as number)) {
        index[d] = i;
        s += src.stride[d] as number;
        o += dst.stride[d] as number;
        break;
      }
      index[d] = 0;
      s -= (i - 1) * (src.stride[d] as number);
      o -= (i - 1) * (dst.stride[d] as number);
    }
  }
  return dst;
};

/**
 * A new contiguous (C order, offset 0) copy of `t`, whatever its strides: the fallback for views the
 * flat kernels cannot walk.
 *
 * Throws a `SchedulerException` (InvalidTensor `t`) when `t` is not a tensor.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const t = ndarray(new Float32Array([1, 2, 3, 4]), [2, 2]).transpose(1, 0);
 * contiguousCopy(t).data;  // Float32Array [1, 3, 2, 4]
 * ```
 */
export const contiguousCopy = (t: Tensor): Tensor => {
  tensorOrThrow(t, 't');
  let size = 1;
  for (const n of t.shape) size *= n;
  return copyStrided(tensor(new Float32Array(size), t.shape), t);
};
