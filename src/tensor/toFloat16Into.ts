import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { checkTensor } from './checkTensor.js';
import { halfBits } from './float16.js';
import { isContiguous } from './isContiguous.js';
import type { Tensor } from './tensor.js';

/**
 * Writes the half floats nearest `t`'s values (ties to even, `float32ToFloat16`) into `out`, in
 * C order, and returns `out`: the input of an fp16 model (ONNX Runtime's `new Tensor('float16', out,
 * dims)`), with no allocation when `out` is made once. `t` must be contiguous and `out` a `Uint16Array`
 * of its number of elements. Errors are `InvalidTensor`.
 *
 * @example
 * ```ts
 * const half = new Uint16Array(x.size); // once
 * toFloat16Into(half, x);                // each step, before session.run
 * ```
 */
export const toFloat16Into = (out: Uint16Array, t: Tensor): E.Either<SchedulerError, Uint16Array> => {
  const checked = checkTensor(t, 't', 0);
  if (E.isLeft(checked)) return checked;
  if (!isContiguous(t)) return E.left(schedulerError('InvalidTensor', 't', 'a strided view', 'a contiguous tensor (contiguousCopy(t))'));
  const n = t.shape.reduce((a, d) => a * d, 1);
  if (!(out instanceof Uint16Array) || out.length !== n) {
    return E.left(schedulerError('InvalidTensor', 'out', out, `a Uint16Array of length ${n}, the number of elements of t`));
  }
  const data = t.data;
  const offset = t.offset;
  for (let i = 0; i < n; i++) out[i] = halfBits(data[offset + i] as number);
  return E.right(out);
};
