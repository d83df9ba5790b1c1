/**
 * The shared boundary of `tryRand` and `tryRandn`: validate the generator and the shape, allocate the
 * tensor (src/tensor/unfilled.ts: the kernel writes all of it), fill it with a kernel.
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException, schedulerError, type SchedulerError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/view.js';
import { unfilledFloat32 } from '../tensor/unfilled.js';
import { isGeneratorValue, notAGenerator, type GeneratorValue, type TorchGenerator } from './generator.js';
import { checkShape } from '../tensor/shape.js';

/** A kernel that fills `out` from a checked generator and returns the next one (`uniformsInto`, `normalsInto`). */
export type FillKernel = (out: Float32Array, g: GeneratorValue) => TorchGenerator;

/**
 * The checked entry of a fill kernel, for the exported `...Into` forms: `out` must be a Float32Array and
 * `g` a generator the library made; otherwise a `SchedulerException` (InvalidTensor 'out',
 * InvalidGeneratorState 'g') is thrown, since these signatures have no error channel.
 */
export const checkedFill = (fill: FillKernel, out: unknown, g: unknown): TorchGenerator => {
  if (!(out instanceof Float32Array)) throw new SchedulerException(schedulerError('InvalidTensor', 'out', out, 'a Float32Array'));
  if (!isGeneratorValue(g)) throw new SchedulerException(notAGenerator('g', g));
  return fill(out, g);
};

/** Validates `g` and `shape`, then fills a new tensor of that shape with `fill`. */
export const drawTensor = (
  fill: FillKernel,
  g: TorchGenerator,
  shape: ReadonlyArray<number>,
): E.Either<SchedulerError, readonly [Tensor, TorchGenerator]> => {
  if (!isGeneratorValue(g)) return E.left(notAGenerator('g', g));
  const checked = checkShape(shape);
  if (E.isLeft(checked)) return checked;
  // every element is drawn, so the new array need not be zero-filled first
  const data = unfilledFloat32(checked.right.numel);
  const next = fill(data, g);
  return E.right(Object.freeze([tensor(data, checked.right.shape), next] as const));
};

/** The throwing convenience form of a validated draw. */
export const orThrow = <A>(result: E.Either<SchedulerError, A>): A => {
  if (E.isLeft(result)) throw new SchedulerException(result.left);
  return result.right;
};
