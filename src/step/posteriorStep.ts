import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import { unfilledTensor } from '../tensor/unfilled.js';
import { checkPosterior, planFor, runChecked } from './posteriorStepInto.js';
import type { PosteriorCoefficients, PosteriorInputs, PosteriorOutput, StepOptions } from './types.js';

/**
 * The pure form of {@link posteriorStepInto}: allocates new contiguous outputs of the sample's shape
 * and runs the same kernel into them. The inputs are never written.
 *
 * @example
 * ```ts
 * const k = E.getOrElseW(() => { throw 0; })(posteriorCoefficients(alphasCumprod, 500, 499));
 * posteriorStep({ modelOutput, sample, noise }, k, defaultStepOptions);
 * // right({ prevSample, predOriginalSample })
 * ```
 */
export const posteriorStep = (
  inputs: PosteriorInputs,
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  options: StepOptions,
): E.Either<SchedulerError, PosteriorOutput> => {
  const checked = checkPosterior(inputs, coefficients, options);
  if (E.isLeft(checked)) return checked;
  const shape = checked.right.sample.shape;
  // the pass writes every element of both outputs
  const out = { prevSample: unfilledTensor(shape), predOriginalSample: unfilledTensor(shape) };
  return E.right(Object.freeze(runChecked(out, checked.right, coefficients, planFor(coefficients, options))));
};
