import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { halfValue } from './float16.js';
import { isContiguous } from './isContiguous.js';
import type { Tensor } from './tensor.js';
import { checkTensor } from './checkTensor.js';
import { tensor } from './view.js';

const sizeOf = (shape: ReadonlyArray<number>): number => shape.reduce((n, d) => n * d, 1);

const checkBits = (bits: unknown, parameter: string, length: number): E.Either<SchedulerError, Uint16Array> => {
  if (!(bits instanceof Uint16Array)) {
    return E.left(schedulerError('InvalidTensor', parameter, bits, 'a Uint16Array of half-float bits (ONNX Runtime\'s float16 tensor data)'));
  }
  return bits.length === length
    ? E.right(bits)
    : E.left(schedulerError('InvalidTensor', `${parameter}.length`, bits.length, `${length}, the number of elements of the tensor`));
};

/**
 * Writes the float32 values of the half floats `bits` (a `Uint16Array`, as ONNX Runtime gives an fp16
 * model's output) into the contiguous tensor `out`, in C order, exactly (`float16ToFloat32`), and
 * returns `out`. No buffer is allocated: a model wrapper converts each step's output into one tensor it
 * made once, which the loops accept (they read a model output within the step that gets it and never
 * keep it). `bits` must have exactly `out`'s number of elements; `out` must be contiguous (an
 * `allocate`d tensor is). Errors are `InvalidTensor`.
 *
 * @example
 * ```ts
 * const eps = allocate([1, 4, 64, 64]); // once, before the loop
 * const model = async (x: Tensor, t: number) => {
 *   const { out_sample } = await session.run(feeds(x, t)); // an fp16 model: out_sample.data is a Uint16Array
 *   return E.getOrElseW((e: SchedulerError) => { throw new Error(e.message); })(float16Into(eps, out_sample.data as Uint16Array));
 * };
 * ```
 */
export const float16Into = (out: Tensor, bits: Uint16Array): E.Either<SchedulerError, Tensor> => {
  const checked = checkTensor(out, 'out', 0);
  if (E.isLeft(checked)) return checked;
  if (!isContiguous(out)) return E.left(schedulerError('InvalidTensor', 'out', 'a strided view', 'a contiguous tensor (allocate(shape))'));
  const n = sizeOf(out.shape);
  const source = checkBits(bits, 'bits', n);
  if (E.isLeft(source)) return source;
  const data = out.data;
  const offset = out.offset;
  for (let i = 0; i < n; i++) data[offset + i] = halfValue(bits[i] as number);
  return E.right(out);
};

/**
 * A new tensor of `shape` holding the float32 values of the half floats `bits`, exactly: for a single
 * conversion (a loop helper's model wrapper should use {@link float16Into}, which allocates nothing).
 * `shape` must be non-negative integers whose product is `bits.length`.
 *
 * @example
 * ```ts
 * const t = fromFloat16(new Uint16Array([0x3c00, 0xc000]), [1, 2]);  // right(tensor [[1, -2]])
 * ```
 */
export const fromFloat16 = (bits: Uint16Array, shape: ReadonlyArray<number>): E.Either<SchedulerError, Tensor> => {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return E.left(schedulerError('InvalidTensor', 'shape', shape, 'an array of integers >= 0'));
  }
  const source = checkBits(bits, 'bits', sizeOf(shape));
  if (E.isLeft(source)) return source;
  return float16Into(tensor(new Float32Array(bits.length), shape), bits);
};
