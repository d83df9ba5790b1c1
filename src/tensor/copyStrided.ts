import type { Tensor } from './tensor.js';
import { SchedulerException, schedulerError } from '../errors.js';
import { tensorOrThrow } from './tensorOrThrow.js';
import { tensor } from './view.js';

// Below this many elements a TypedArray.set call costs more than the element loop it replaces.
const MIN_RUN = 32;

/**
 * How many trailing dimensions of `shape` both views lay out as one C-order run (dimensions of size 1
 * excepted), and the run's length: the elements one `set` call can copy.
 */
const commonRun = (shape: ReadonlyArray<number>, a: ReadonlyArray<number>, b: ReadonlyArray<number>): [number, number] => {
  let run = 1;
  let d = shape.length - 1;
  for (; d >= 0; d--) {
    const size = shape[d] as number;
    if (size !== 1 && (a[d] !== run || b[d] !== run)) break;
    run *= size;
  }
  return [shape.length - 1 - d, run];
};

/**
 * Copies every element of `src` into `dst` (same shape, any strides), in C order. Where both views lay
 * their trailing dimensions out as one C-order run (a contiguous tensor, a batch item, a row of at least
 * 32 values), each run is one `TypedArray.set` (a memcpy); otherwise an odometer walks the indices
 * element by element. Views of one buffer that overlap are copied as if from a copy of `src` where a
 * whole run is taken at once, and in C order element by element otherwise. Returns `dst`.
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
  const fullRank = src.shape.length;
  let total = 1;
  for (let d = 0; d < fullRank; d++) total *= src.shape[d] as number;
  if (total === 0) return dst;
  const sd = src.data;
  const dd = dst.data;
  const [inner, run] = commonRun(src.shape, src.stride, dst.stride);
  if (run === total) {
    dd.set(sd.subarray(src.offset, src.offset + total), dst.offset);
    return dst;
  }
  // with long runs the odometer walks the outer dimensions and copies a run per position
  const whole = run >= MIN_RUN;
  const rank = whole ? fullRank - inner : fullRank;
  const count = whole ? total / run : total;
  const index = new Array<number>(rank).fill(0);
  let s = src.offset;
  let o = dst.offset;
  for (let n = 0; n < count; n++) {
    if (whole) dd.set(sd.subarray(s, s + run), o);
    else dd[o] = sd[s] as number;
    // advance the last dimension walked, carrying into earlier ones
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
