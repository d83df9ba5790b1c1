import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import type { Tensor } from './tensor.js';

const isIntegerArray = (value: unknown): value is ReadonlyArray<number> =>
  Array.isArray(value) && value.every((n) => typeof n === 'number' && Number.isInteger(n));

const describeShape = (shape: ReadonlyArray<number>): string => `[${shape.join(', ')}]`;

/**
 * Checks that `value` is a usable {@link Tensor}: an ndarray over a `Float32Array`, of rank at least
 * `minRank` (2 by default: `[batch, channels, ...]`), with non-negative integer sizes, whose every index
 * stays inside its data. Returns the tensor unchanged, or an `InvalidTensor` error naming `parameter`.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * checkTensor(ndarray(new Float32Array(6), [2, 3]), 'sample');      // right(the tensor)
 * checkTensor(ndarray(new Float64Array(6), [2, 3]), 'sample');      // left(InvalidTensor)
 * ```
 */
export const checkTensor = (value: unknown, parameter: string, minRank = 2): E.Either<SchedulerError, Tensor> => {
  if (typeof value !== 'object' || value === null) {
    return E.left(schedulerError('InvalidTensor', parameter, value, 'an ndarray over a Float32Array'));
  }
  const t = value as Partial<Tensor>;
  if (!(t.data instanceof Float32Array)) {
    const data: unknown = t.data ?? value;
    // a Uint16Array is what ONNX Runtime gives for float16: say how to convert it without a copy per step
    const hint = data instanceof Uint16Array ? 'half floats? float16Into(out, bits) converts them exactly' : 'convert the data to float32';
    return E.left(schedulerError('InvalidTensor', parameter, data, 'an ndarray over a Float32Array', hint));
  }
  if (!isIntegerArray(t.shape) || !isIntegerArray(t.stride) || t.shape.length !== t.stride.length) {
    return E.left(schedulerError('InvalidTensor', parameter, t.shape, 'an ndarray with integer shape and strides'));
  }
  const shape = t.shape;
  if (shape.length < minRank) {
    return E.left(
      schedulerError(
        'InvalidTensor',
        `${parameter}.shape`,
        [...shape],
        `rank >= ${minRank} ([batch, channels, ...])`,
      ),
    );
  }
  if (shape.some((n) => n < 0)) {
    return E.left(schedulerError('InvalidTensor', `${parameter}.shape`, [...shape], 'sizes >= 0'));
  }
  const offset = t.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset)) {
    return E.left(schedulerError('InvalidTensor', `${parameter}.offset`, offset, 'an integer'));
  }
  if (shape.every((n) => n > 0)) {
    // the lowest and highest element the view can reach must both lie inside the data
    let low = offset;
    let high = offset;
    for (let d = 0; d < shape.length; d++) {
      const span = ((shape[d] as number) - 1) * (t.stride[d] as number);
      if (span < 0) low += span;
      else high += span;
    }
    if (low < 0 || high >= t.data.length) {
      return E.left(
        schedulerError(
          'InvalidTensor',
          parameter,
          `a view reaching data[${low}..${high}]`,
          `indices inside its Float32Array(${t.data.length})`,
        ),
      );
    }
  }
  return E.right(value as Tensor);
};

/**
 * Checks that `tensor` has exactly `shape`; returns it, or an `InvalidTensor` error that names
 * `parameter` and shows both shapes.
 *
 * @example
 * ```ts
 * checkShape(noise, [2, 3, 4, 4], 'noise');  // left(...) unless noise.shape is [2, 3, 4, 4]
 * ```
 */
export const checkShape = (
  tensor: Tensor,
  shape: ReadonlyArray<number>,
  parameter: string,
  why = 'the shape of sample',
): E.Either<SchedulerError, Tensor> =>
  typeof tensor !== 'object' || tensor === null || !Array.isArray(tensor.shape)
    ? E.left(schedulerError('InvalidTensor', parameter, tensor, 'an ndarray over a Float32Array'))
    : !Array.isArray(shape)
      ? E.left(schedulerError('InvalidTensor', 'shape', shape, 'an array of sizes'))
      : tensor.shape.length === shape.length && tensor.shape.every((n, d) => n === shape[d])
    ? E.right(tensor)
    : E.left(
        schedulerError(
          'InvalidTensor',
          `${parameter}.shape`,
          [...tensor.shape],
          `${describeShape(shape)} (${why})`,
        ),
      );
