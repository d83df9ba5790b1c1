/**
 * The step layer: scalar posterior coefficients, the fused single-pass posterior kernel with clipping
 * and dynamic thresholding, and the forward-process helpers. Depends only on an `alphasCumprod` table
 * and plain option values.
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
export { ddpmStep, type StepInputs, type StepOutput } from './ddpmStep.js';
export { addNoiseWith } from './addNoiseWith.js';
export { velocityWith } from './velocityWith.js';
