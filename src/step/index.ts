/**
 * The step layer: scalar posterior coefficients, the posterior step over a batch (validation, the
 * per-item scalars and dynamic thresholds) with its pass run on the chosen kernels (src/kernels), and
 * the forward-process helpers. Reads an `alphasCumprod` table and plain option values; draws noise
 * through the random layer.
 *
 * @module
 */
export {
  defaultStepOptions,
  type PosteriorCoefficients,
  type PosteriorInputs,
  type PosteriorOutput,
  type PredictionType,
  type StepOptions,
  type VarianceType,
} from './types.js';
export { posteriorCoefficients } from './posteriorCoefficients.js';
export { posteriorStepInto } from './posteriorStepInto.js';
export { posteriorStep } from './posteriorStep.js';
export { ddpmStep, type Advanced, type StepInputs, type StepOutput } from './ddpmStep.js';
export type { Generators } from './noiseSource.js';
export { addNoiseWith } from './addNoiseWith.js';
export { velocityWith } from './velocityWith.js';
