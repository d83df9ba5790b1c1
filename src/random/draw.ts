/**
 * The shared boundary of `tryRand` and `tryRandn`: validate the generator and the shape, allocate the
 * tensor, fill it with a kernel.
 *
 * @internal
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException, schedulerError, type SchedulerError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/view.js';
import { isGeneratorValue, type TorchGenerator } from './generator.js';
import { checkShape } from './shape.js';

/** A kernel that fills `out` and returns the next generator (`randInto`, `randnInto`). */
export type FillKernel = (out: Float32Array, g: TorchGenerator) => TorchGenerator;

/** Validates `g` and `shape`, then fills a new tensor of that shape with `fill`. */
export const drawTensor = (
  fill: FillKernel,
  g: TorchGenerator,
  shape: ReadonlyArray<number>,
): E.Either<SchedulerError, readonly [Tensor, TorchGenerator]> => {
  if (!isGeneratorValue(g)) {
    return E.left(schedulerError('InvalidGeneratorState', 'g', g, 'a generator made by torchGenerator or fromGeneratorState'));
  }
  const checked = checkShape(shape);
  if (E.isLeft(checked)) return checked;
  const data = new Float32Array(checked.right.numel);
  const next = fill(data, g);
  return E.right(Object.freeze([tensor(data, checked.right.shape), next] as const));
};

/** The throwing convenience form of a validated draw. */
export const orThrow = <A>(result: E.Either<SchedulerError, A>): A => {
  if (E.isLeft(result)) throw new SchedulerException(result.left);
  return result.right;
};
