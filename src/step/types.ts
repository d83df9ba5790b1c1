import type { Tensor } from '../tensor/index.js';
import type { CpuCapability } from '../cpuCapability.js';

// The schedule layer's table type: a Float32Array means diffusers' float32 arithmetic, a Float64Array
// means precision 'float64' (coefficients in double).
export type { Table } from '../schedule/types.js';

/** What the model predicts, with diffusers' names: the noise, the clean sample, or the velocity. */
export type PredictionType = 'epsilon' | 'sample' | 'v_prediction';

/** How the posterior variance is chosen, with diffusers' names. */
export type VarianceType =
  | 'fixed_small'
  | 'fixed_small_log'
  | 'fixed_large'
  | 'fixed_large_log'
  | 'learned'
  | 'learned_range';

/**
 * The options a step needs (a subset of the scheduler config, already validated by the scheduler layer).
 *
 * @example
 * ```ts
 * const options: StepOptions = { ...defaultStepOptions, predictionType: 'v_prediction' };
 * ```
 */
export interface StepOptions {
  readonly predictionType: PredictionType;
  readonly varianceType: VarianceType;
  /** Clamp the predicted original sample to `[-clipSampleRange, clipSampleRange]` (ignored when thresholding). */
  readonly clipSample: boolean;
  readonly clipSampleRange: number;
  /** Dynamic thresholding (Imagen): per batch item, clamp to the `dynamicThresholdingRatio` quantile of |x0|. */
  readonly thresholding: boolean;
  /** The quantile of |x0| used as the threshold, in [0, 1]. */
  readonly dynamicThresholdingRatio: number;
  /** The largest threshold; the threshold is first clamped to at least 1 (see `torch.clamp(s, 1, max)`). */
  readonly sampleMaxValue: number;
  /**
   * The PyTorch CPU kernel family to reproduce (default `'avx512'`): it sets how `learned_range`'s
   * elementwise exp rounds, and a generator drawing the noise must be of the same family.
   */
  readonly cpuCapability?: CpuCapability;
}

/**
 * diffusers' defaults for the step options.
 *
 * @example
 * ```ts
 * defaultStepOptions.clipSample;  // true
 * ```
 */
export const defaultStepOptions: StepOptions = Object.freeze({
  predictionType: 'epsilon',
  varianceType: 'fixed_small',
  clipSample: true,
  clipSampleRange: 1,
  thresholding: false,
  dynamicThresholdingRatio: 0.995,
  sampleMaxValue: 1,
});

/**
 * The scalar coefficients of one posterior step from `timestep` to `prevTimestep` (DDPM eq. 6-7, 15),
 * rounded to float32 as diffusers' torch code rounds them, or in double for a Float64Array table.
 */
export interface PosteriorCoefficients {
  /** 'float32' for diffusers' rounding (a Float32Array table), 'float64' for double (a Float64Array table). */
  readonly precision: 'float32' | 'float64';
  readonly timestep: number;
  readonly prevTimestep: number;
  /** alphaBar_t. */
  readonly alphaProdT: number;
  /** alphaBar_{prev}, or 1 when prevTimestep < 0. */
  readonly alphaProdTPrev: number;
  /** 1 - alphaBar_t. */
  readonly betaProdT: number;
  /** 1 - alphaBar_{prev}. */
  readonly betaProdTPrev: number;
  /** alphaBar_t / alphaBar_{prev}: the alpha of this (possibly multi-step) transition. */
  readonly currentAlphaT: number;
  /** 1 - currentAlphaT. */
  readonly currentBetaT: number;
  /** sqrt(alphaBar_t), as the x0 formulas use it. */
  readonly sqrtAlphaProdT: number;
  /** sqrt(1 - alphaBar_t). */
  readonly sqrtBetaProdT: number;
  /** The weight of x0 in the posterior mean (eq. 7). */
  readonly predOriginalSampleCoeff: number;
  /** The weight of x_t in the posterior mean (eq. 7). */
  readonly currentSampleCoeff: number;
  /** The posterior variance beta-tilde (eq. 7), clamped at 1e-20 so that its log is finite. */
  readonly variance: number;
  /** log(variance): the lower end of `learned_range`. */
  readonly minLogVariance: number;
  /** log(currentBetaT): the upper end of `learned_range`. */
  readonly maxLogVariance: number;
  /** Whether this step adds noise: diffusers adds it exactly when timestep > 0. */
  readonly addsNoise: boolean;
  /**
   * The standard deviation that multiplies the noise for the fixed variance types (0 when no noise is
   * added); for `learned` and `learned_range` it comes from the model per element and this is NaN.
   */
  readonly noiseScale: number;
}

/** The tensors one posterior step reads. */
export interface PosteriorInputs {
  /** The model output, `[batch, C, ...]`, or `[batch, 2C, ...]` (prediction, then variance) for the learned types. */
  readonly modelOutput: Tensor;
  /** x_t, `[batch, C, ...]`. */
  readonly sample: Tensor;
  /** Standard normal noise of the sample's shape; needed when a batch item's timestep is > 0. */
  readonly noise?: Tensor;
}

/** The two results of a posterior step. */
export interface PosteriorOutput {
  /** x_{t-1} (or x at the previous timestep), noise included. */
  readonly prevSample: Tensor;
  /** The predicted x0 after clipping or thresholding. */
  readonly predOriginalSample: Tensor;
}
