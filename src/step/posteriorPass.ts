/**
 * The posterior step over a batch, on the chosen kernels: per batch item (or once for the whole batch)
 * the pass scalars from the coefficients, the item's dynamic threshold where asked, then one kernel
 * pass. Internal: everything here is checked already (see posteriorStepInto's checkPosterior and the
 * sampling plan of the loops), and nothing re-validates.
 *
 * @module
 */
import { expKindOf, type ExpKind } from '../kernels/torchMath.js';
import { DEFAULT_CPU_CAPABILITY } from '../cpuCapability.js';
import { activeKernels } from '../kernels/select.js';
import { predictedX0, roundingOf } from '../kernels/posteriorElement.js';
import {
  CLIP_CLAMP,
  CLIP_NONE,
  CLIP_THRESHOLD,
  NOISE_LEARNED,
  NOISE_NONE,
  NOISE_RANGE,
  NOISE_SCALED,
  PREDICT_EPSILON,
  PREDICT_SAMPLE,
  PREDICT_VELOCITY,
  type ClipMode,
  type Kernels,
  type NoiseKind,
  type Operand,
  type PassScalars,
  type PredictionCode,
} from '../kernels/types.js';
import { isContiguous, type Tensor } from '../tensor/index.js';
import { torchQuantileInPlace } from './quantile.js';
import type { PosteriorCoefficients, StepOptions } from './types.js';

const { abs, fround, max, min } = Math;

/**
 * What a step's options mean to the kernels, worked out once per configuration: the codes, the clip
 * range as the pass uses it, and the thresholding parameters.
 *
 * @internal
 */
export interface PassPlan {
  readonly float32: boolean;
  readonly prediction: PredictionCode;
  /** CLIP_THRESHOLD when thresholding (it takes precedence over clipSample, as in diffusers). */
  readonly clipMode: ClipMode;
  readonly clipRange: number;
  /** The noise term of an item that adds noise. */
  readonly noise: NoiseKind;
  readonly dynamicThresholdingRatio: number;
  readonly sampleMaxValue: number;
  /** Whose float32 exp `learned_range` rounds with: torch's kernel family's. */
  readonly expKind: ExpKind;
  /** Whether torch's kernel family fuses the compiler-contracted multiply-adds (thresholding's lerp): AVX2 and AVX512. */
  readonly fusedMultiplyAdd: boolean;
}

/**
 * The plan of `options` for a float32 (diffusers' arithmetic) or a float64 table.
 *
 * @example
 * ```ts
 * planOf(defaultStepOptions, true).clipMode // CLIP_CLAMP
 * ```
 * @internal
 */
export const planOf = (options: StepOptions, float32: boolean): PassPlan => {
  // a frozen options value (the scheduler's, or defaultStepOptions) cannot change: its plans are kept
  if (!Object.isFrozen(options)) return makePlan(options, float32);
  let kept = plans.get(options);
  if (kept === undefined) {
    kept = [makePlan(options, true), makePlan(options, false)];
    plans.set(options, kept);
  }
  return float32 ? kept[0] : kept[1];
};

const plans = new WeakMap<StepOptions, readonly [PassPlan, PassPlan]>();

const makePlan = (options: StepOptions, float32: boolean): PassPlan => {
  const r = roundingOf(float32);
  const v = options.varianceType;
  return Object.freeze({
    float32,
    prediction:
      options.predictionType === 'epsilon' ? PREDICT_EPSILON : options.predictionType === 'v_prediction' ? PREDICT_VELOCITY : PREDICT_SAMPLE,
    clipMode: options.thresholding ? CLIP_THRESHOLD : options.clipSample ? CLIP_CLAMP : CLIP_NONE,
    clipRange: r(options.clipSampleRange),
    noise: v === 'learned' ? NOISE_LEARNED : v === 'learned_range' ? NOISE_RANGE : NOISE_SCALED,
    dynamicThresholdingRatio: options.dynamicThresholdingRatio,
    sampleMaxValue: r(options.sampleMaxValue),
    expKind: expKindOf(options.cpuCapability ?? DEFAULT_CPU_CAPABILITY),
    fusedMultiplyAdd: (options.cpuCapability ?? DEFAULT_CPU_CAPABILITY) !== 'default',
  });
};

/** Whether one set of coefficients serves every batch item or each item has its own. @internal */
export const isCoefficientList = (
  c: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
): c is ReadonlyArray<PosteriorCoefficients> => Array.isArray(c);

// One grow-only scratch row for thresholding, so that repeated steps allocate nothing.
let scratch = new Float32Array(0);

/**
 * The dynamic threshold of one batch item (diffusers' `_threshold_sample`): the `ratio` quantile of
 * |x0| over the item (x0 as the pass computes it, stored as float32 like the tensor torch.quantile
 * reads), clamped to [1, sampleMaxValue] with torch.clamp's order (the max wins).
 */
const thresholdOf = (plan: PassPlan, m: Operand, x: Operand, len: number, a: number, b: number): number => {
  if (scratch.length < len) scratch = new Float32Array(len);
  const row = scratch;
  const { prediction } = plan;
  const [md, mo, xd, xo] = [m.data, m.offset, x.data, x.offset];
  // x0 as predictedX0 computes it, one straight loop per case (a call per element cost 15 % of a step)
  if (prediction === PREDICT_SAMPLE) for (let i = 0; i < len; i++) row[i] = abs(md[mo + i] as number);
  else if (!plan.float32) {
    const r = roundingOf(false);
    for (let i = 0; i < len; i++) row[i] = abs(predictedX0(prediction, xd[xo + i] as number, md[mo + i] as number, a, b, r));
  } else if (prediction === PREDICT_EPSILON) {
    // the float32 quotient as a product with the double reciprocal, rounded once (see the JS kernel)
    const inv = 1 / a;
    for (let i = 0; i < len; i++) row[i] = abs(fround(fround((xd[xo + i] as number) - fround(b * (md[mo + i] as number))) * inv));
  } else {
    for (let i = 0; i < len; i++) row[i] = abs(fround(a * (xd[xo + i] as number)) - fround(b * (md[mo + i] as number)));
  }
  const quantile = torchQuantileInPlace(row, 0, len, plan.dynamicThresholdingRatio, plan.float32, plan.fusedMultiplyAdd);
  return min(max(quantile, 1), plan.sampleMaxValue);
};

/** The pass scalars of one item: the coefficients rounded as the pass takes them, and the clip bound. */
const scalarsOf = (plan: PassPlan, k: PosteriorCoefficients, c: number): PassScalars => {
  const r = roundingOf(plan.float32);
  return {
    float32: plan.float32,
    prediction: plan.prediction,
    clipMode: plan.clipMode,
    noise: k.addsNoise ? plan.noise : NOISE_NONE,
    a: r(k.sqrtAlphaProdT),
    b: r(k.sqrtBetaProdT),
    c,
    c0: r(k.predOriginalSampleCoeff),
    ct: r(k.currentSampleCoeff),
    sd: k.addsNoise && plan.noise === NOISE_SCALED ? r(k.noiseScale) : 0,
    minLog: r(k.minLogVariance),
    maxLog: r(k.maxLogVariance),
    expKind: plan.expKind,
  };
};

/** The tensors of one posterior pass, each batch item contiguous (`isContiguous(t, 1)`). @internal */
export interface PassTensors {
  readonly prevSample: Tensor;
  readonly predOriginalSample: Tensor;
  /** The prediction half of the model output. */
  readonly prediction: Tensor;
  /** The variance half for the learned types, else null. */
  readonly variance: Tensor | null;
  readonly sample: Tensor;
  /** Null when no item adds noise. */
  readonly noise: Tensor | null;
}

const operandAt = (t: Tensor, item: number): Operand => ({ data: t.data, offset: t.offset + item * (t.stride[0] as number) });
const flat = (t: Tensor): Operand => ({ data: t.data, offset: t.offset });

/**
 * The fused posterior pass over checked tensors, with one set of coefficients or one per batch item.
 * Reads every input element before it writes the same index of the outputs, so an output may be the
 * very same view as an input. With one set of coefficients, no thresholding and contiguous tensors,
 * the whole batch is one pass.
 *
 * @internal
 */
export const runPosterior = (
  t: PassTensors,
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  plan: PassPlan,
  kernels: Kernels = activeKernels(),
): void => {
  const shape = t.sample.shape;
  const batch = shape[0] as number;
  const len = batch === 0 ? 0 : t.sample.size / batch;
  const list = isCoefficientList(coefficients);
  const thresholding = plan.clipMode === CLIP_THRESHOLD;
  const whole =
    !list &&
    !thresholding &&
    t.variance === null &&
    isContiguous(t.prevSample) &&
    isContiguous(t.predOriginalSample) &&
    isContiguous(t.prediction) &&
    isContiguous(t.sample) &&
    (t.noise === null || isContiguous(t.noise));
  const items = whole ? 1 : batch;
  const span = whole ? batch * len : len;
  for (let item = 0; item < items; item++) {
    const k = (list ? coefficients[item] : coefficients) as PosteriorCoefficients;
    const at = whole ? flat : (x: Tensor) => operandAt(x, item);
    const model = at(t.prediction);
    const sample = at(t.sample);
    const r = roundingOf(plan.float32);
    const c = thresholding ? thresholdOf(plan, model, sample, span, r(k.sqrtAlphaProdT), r(k.sqrtBetaProdT)) : plan.clipRange;
    const scalars = scalarsOf(plan, k, c);
    const noisy = scalars.noise !== NOISE_NONE && t.noise !== null;
    kernels.posteriorPass(
      {
        prev: at(t.prevSample),
        x0: at(t.predOriginalSample),
        model,
        sample,
        noise: noisy ? at(t.noise as Tensor) : null,
        variance: noisy && t.variance !== null ? at(t.variance) : null,
      },
      span,
      noisy ? scalars : { ...scalars, noise: NOISE_NONE },
    );
  }
};
