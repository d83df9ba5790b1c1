import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import {
  allocate,
  checkShape,
  checkTensor,
  contiguousCopy,
  copyStrided,
  isContiguous,
  splitChannels,
  type Tensor,
} from '../tensor/index.js';
import { checkCoefficientSet, checkObject, checkStepOptions, checkThresholdIn } from './checks.js';
import { isCoefficientList, planOf, runPosterior, type PassPlan } from './posteriorPass.js';
import type { PosteriorCoefficients, PosteriorInputs, PosteriorOutput, StepOptions } from './types.js';
import { andThen } from '../validation.js';

/** Validated inputs of a posterior step, with the model output split for the learned types. @internal */
export interface CheckedPosterior {
  readonly prediction: Tensor;
  readonly variance: Tensor | null;
  readonly sample: Tensor;
  readonly noise: Tensor | null;
}

const isLearned = (options: StepOptions): boolean =>
  options.varianceType === 'learned' || options.varianceType === 'learned_range';

/**
 * Checks a model output against a checked sample's shape (twice its channels for the learned variance
 * types) and splits it into the prediction and the variance half (a view, never a copy).
 *
 * @internal
 */
export const checkModelOutput = (
  modelOutput: unknown,
  shape: ReadonlyArray<number>,
  options: StepOptions,
): E.Either<SchedulerError, readonly [prediction: Tensor, variance: Tensor | null]> => {
  const modelE = checkTensor(modelOutput, 'modelOutput');
  if (E.isLeft(modelE)) return modelE;
  const model = modelE.right;
  if (!isLearned(options)) {
    const shapeE = checkShape(model, shape, 'modelOutput');
    return E.isLeft(shapeE) ? shapeE : E.right([model, null] as const);
  }
  const doubled = [shape[0] as number, 2 * (shape[1] as number), ...shape.slice(2)];
  const shapeE = checkShape(
    model,
    doubled,
    'modelOutput',
    `varianceType '${options.varianceType}' needs the prediction and the variance: twice the sample's channels`,
  );
  return E.isLeft(shapeE) ? shapeE : E.right(splitChannels(model, shape[1] as number));
};

/**
 * The refusal of epsilon prediction where alphaBar_t is 0: x0 cannot be recovered from the noise.
 *
 * @internal
 */
export const zeroSnrError = (timestep: number): SchedulerError =>
  schedulerError(
    'ZeroTerminalSnr',
    'timestep',
    timestep,
    "a timestep with alphasCumprod > 0 for predictionType 'epsilon'",
    "alphasCumprod is 0 there (zero terminal SNR), so x0 cannot be recovered from the noise; use predictionType 'v_prediction'",
  );

/**
 * Checks coefficients handed in by a caller: one set, or one per batch item, and none where epsilon
 * prediction meets alphaBar_t = 0. Returns whether any item adds noise.
 */
const checkCoefficients = (
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  batch: number,
  options: StepOptions,
): E.Either<SchedulerError, boolean> => {
  const list = isCoefficientList(coefficients);
  if (list && coefficients.length !== batch) {
    return E.left(
      schedulerError('InvalidTimestep', 'coefficients', `${coefficients.length} sets`, `one set, or one per batch item (${batch})`),
    );
  }
  let addsNoise = false;
  const items = list ? coefficients : [coefficients];
  for (let i = 0; i < items.length; i++) {
    const name = list ? `coefficients[${i}]` : 'coefficients';
    const valid = checkCoefficientSet(items[i], name, options);
    if (E.isLeft(valid)) return valid;
    const k = valid.right;
    if (items[0]?.precision !== k.precision) {
      return E.left(schedulerError('InvalidOption', name, k.precision, `the precision of coefficients[0] ('${items[0]?.precision}'): one table for the batch`));
    }
    if (options.predictionType === 'epsilon' && k.alphaProdT === 0) return E.left(zeroSnrError(k.timestep));
    addsNoise = addsNoise || k.addsNoise;
  }
  return E.right(addsNoise);
};

/**
 * Checks a noise tensor against the sample's shape; `undefined` is an error when an item adds noise.
 *
 * @internal
 */
export const checkNoise = (noise: unknown, shape: ReadonlyArray<number>): E.Either<SchedulerError, Tensor> => {
  if (noise === undefined) {
    return E.left(schedulerError('InvalidTensor', 'noise', undefined, "a noise tensor of the sample's shape when a timestep is > 0"));
  }
  return andThen(checkTensor(noise, 'noise'), (t) => checkShape(t, shape, 'noise'));
};

/**
 * Checks the tensors and coefficients of a posterior step: Float32Array ndarrays of rank >= 2, the
 * model output of the sample's shape (twice its channels for the learned variance types), one set of
 * coefficients or one per batch item, no epsilon prediction where alphaBar_t is 0, and noise of the
 * sample's shape whenever an item adds noise.
 *
 * @internal
 */
export const checkPosterior = (
  inputs: PosteriorInputs,
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  options: StepOptions,
): E.Either<SchedulerError, CheckedPosterior> => {
  const valid = checkStepOptions(options);
  if (E.isLeft(valid)) return valid;
  const inputsE = checkObject<PosteriorInputs>(inputs, 'inputs', 'an object { modelOutput, sample, noise? }');
  if (E.isLeft(inputsE)) return inputsE;
  if (typeof coefficients !== 'object' || coefficients === null) {
    return E.left(schedulerError('InvalidOption', 'coefficients', coefficients, 'a set of coefficients (posteriorCoefficients), or an array of them, one per batch item'));
  }
  const sampleE = checkTensor(inputs.sample, 'sample');
  if (E.isLeft(sampleE)) return sampleE;
  const sample = sampleE.right;
  const model = checkModelOutput(inputs.modelOutput, sample.shape, options);
  if (E.isLeft(model)) return model;
  const addsNoise = checkCoefficients(coefficients, sample.shape[0] as number, options);
  if (E.isLeft(addsNoise)) return addsNoise;
  const first = (isCoefficientList(coefficients) ? coefficients[0] : coefficients) as PosteriorCoefficients;
  const threshold = checkThresholdIn(options, first.precision);
  if (E.isLeft(threshold)) return threshold;
  const noise = addsNoise.right ? checkNoise(inputs.noise, sample.shape) : E.right(null);
  if (E.isLeft(noise)) return noise;
  const [prediction, variance] = model.right;
  return E.right({ prediction, variance, sample, noise: noise.right });
};

/** The plan of the coefficients' precision. @internal */
export const planFor = (
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  options: StepOptions,
): PassPlan => {
  const first = isCoefficientList(coefficients) ? coefficients[0] : coefficients;
  return planOf(options, first?.precision !== 'float64');
};

/** The tensor itself when each batch item is contiguous, else a contiguous copy. @internal */
export const contiguousItems = (t: Tensor): Tensor => (isContiguous(t, 1) ? t : contiguousCopy(t));

/**
 * Runs the pass on checked inputs into `out`. Inputs whose batch items are not contiguous are copied
 * first; an output that is not item-contiguous is computed into a temporary and copied in.
 *
 * @internal
 */
export const runChecked = (
  out: PosteriorOutput,
  checked: CheckedPosterior,
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  plan: PassPlan,
): PosteriorOutput => {
  const sample = contiguousItems(checked.sample);
  const prevDirect = isContiguous(out.prevSample, 1);
  const x0Direct = isContiguous(out.predOriginalSample, 1);
  const prevSample = prevDirect ? out.prevSample : allocate(sample.shape);
  const predOriginalSample = x0Direct ? out.predOriginalSample : allocate(sample.shape);
  runPosterior(
    {
      prevSample,
      predOriginalSample,
      prediction: contiguousItems(checked.prediction),
      variance: checked.variance === null ? null : contiguousItems(checked.variance),
      sample,
      noise: checked.noise === null ? null : contiguousItems(checked.noise),
    },
    coefficients,
    plan,
  );
  if (!prevDirect) copyStrided(out.prevSample, prevSample);
  if (!x0Direct) copyStrided(out.predOriginalSample, predOriginalSample);
  return out;
};

/**
 * One DDPM posterior step written into `out`: the predicted original sample x0 (eq. 15 or its
 * sample / v-prediction forms, then clipped or dynamically thresholded) and x_prev, the posterior
 * mean of eq. 7 plus the noise term, in one fused pass over the data.
 *
 * `coefficients` is one set for every batch item or one set per item (see `posteriorCoefficients`);
 * an item whose `addsNoise` is false (timestep 0) gets no noise term, and `inputs.noise` is only read
 * for items that add noise. For `learned` / `learned_range` the model output has twice the sample's
 * channels, the second half being the variance (read through a view, never copied).
 *
 * Aliasing: `out.prevSample` and `out.predOriginalSample` may be the very same views as any of the
 * inputs (each element is read before the same index is written), but must not partly overlap an
 * input or each other. Writes only into `out`; allocates no tensor for contiguous tensors (one
 * internal scratch row that thresholding reuses from call to call, and a few small objects per call).
 *
 * @example
 * ```ts
 * const k = E.getOrElseW(() => { throw 0; })(posteriorCoefficients(alphasCumprod, 500, 499));
 * const out = { prevSample: allocate(sample.shape), predOriginalSample: allocate(sample.shape) };
 * posteriorStepInto(out, { modelOutput, sample, noise }, k, defaultStepOptions);  // right(out)
 * ```
 */
export const posteriorStepInto = (
  out: PosteriorOutput,
  inputs: PosteriorInputs,
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  options: StepOptions,
): E.Either<SchedulerError, PosteriorOutput> => {
  const outE = checkObject<PosteriorOutput>(out, 'out', 'an object { prevSample, predOriginalSample } of tensors to write');
  if (E.isLeft(outE)) return outE;
  const checked = checkPosterior(inputs, coefficients, options);
  if (E.isLeft(checked)) return checked;
  const shape = checked.right.sample.shape;
  for (const [name, t] of [
    ['out.prevSample', out.prevSample],
    ['out.predOriginalSample', out.predOriginalSample],
  ] as const) {
    const e = andThen(checkTensor(t, name), (v) => checkShape(v, shape, name));
    if (E.isLeft(e)) return e;
  }
  return E.right(runChecked(out, checked.right, coefficients, planFor(coefficients, options)));
};
