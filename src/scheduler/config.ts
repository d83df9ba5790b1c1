import * as E from 'fp-ts/lib/Either.js';
import { configErrors, schedulerError, type SchedulerError } from '../errors.js';
import { validateAll } from '../validation.js';
import {
  makeBetaSchedule,
  validateNumTrainTimesteps,
  validatePrecision,
  validateStepsOffset,
  validateTimestepSpacing,
  type BetaSchedule,
  type Precision,
  type Table,
  type TimestepSpacing,
} from '../schedule/index.js';
import type { PredictionType, StepOptions, VarianceType } from '../step/index.js';

/**
 * Every parameter of diffusers' `DDPMScheduler`, in camelCase, with diffusers' own string values, plus
 * our `precision`. See {@link DEFAULT_DDPM_CONFIG} for the defaults (diffusers' own).
 */
export interface DDPMConfig {
  /** The number of diffusion steps the model was trained with (T). */
  readonly numTrainTimesteps: number;
  /** The first beta of the `linear`, `scaled_linear` and `sigmoid` schedules, in (0, 1]. */
  readonly betaStart: number;
  /** The last beta of the `linear`, `scaled_linear` and `sigmoid` schedules, in (0, 1]. */
  readonly betaEnd: number;
  readonly betaSchedule: BetaSchedule;
  /** Betas to use instead of `betaSchedule`: `numTrainTimesteps` values in (0, 1], or null. */
  readonly trainedBetas: ReadonlyArray<number> | null;
  readonly varianceType: VarianceType;
  /** Clamp the predicted x0 to [-clipSampleRange, clipSampleRange] (ignored when `thresholding`). */
  readonly clipSample: boolean;
  readonly predictionType: PredictionType;
  /** Dynamic thresholding (Imagen) of the predicted x0; takes precedence over `clipSample`. */
  readonly thresholding: boolean;
  /** The quantile of |x0| that sets each batch item's threshold, in [0, 1]. */
  readonly dynamicThresholdingRatio: number;
  /** The clipping bound, > 0. */
  readonly clipSampleRange: number;
  /** The largest dynamic threshold, > 0. */
  readonly sampleMaxValue: number;
  readonly timestepSpacing: TimestepSpacing;
  /** Added to every `leading` timestep (Stable Diffusion uses 1). */
  readonly stepsOffset: number;
  /** Rescale the betas to zero terminal SNR (Lin et al. 2023). */
  readonly rescaleBetasZeroSnr: boolean;
  /** Ours: `'float32'` reproduces diffusers' float32 numbers, `'float64'` keeps tables and coefficients in double. */
  readonly precision: Precision;
}

/**
 * diffusers' defaults for `DDPMScheduler`, and `precision: 'float32'`.
 *
 * @example
 * ```ts
 * DEFAULT_DDPM_CONFIG.betaEnd // 0.02
 * ```
 */
export const DEFAULT_DDPM_CONFIG: DDPMConfig = Object.freeze({
  numTrainTimesteps: 1000,
  betaStart: 0.0001,
  betaEnd: 0.02,
  betaSchedule: 'linear',
  trainedBetas: null,
  varianceType: 'fixed_small',
  clipSample: true,
  predictionType: 'epsilon',
  thresholding: false,
  dynamicThresholdingRatio: 0.995,
  clipSampleRange: 1.0,
  sampleMaxValue: 1.0,
  timestepSpacing: 'leading',
  stepsOffset: 0,
  rescaleBetasZeroSnr: false,
  precision: 'float32',
});

/** The prediction types, in diffusers' spelling. */
export const PREDICTION_TYPES: ReadonlyArray<PredictionType> = Object.freeze(['epsilon', 'sample', 'v_prediction'] as const);

/** The variance types, in diffusers' spelling. */
export const VARIANCE_TYPES: ReadonlyArray<VarianceType> = Object.freeze([
  'fixed_small',
  'fixed_small_log',
  'fixed_large',
  'fixed_large_log',
  'learned',
  'learned_range',
] as const);

const CONFIG_KEYS = Object.keys(DEFAULT_DDPM_CONFIG) as ReadonlyArray<keyof DDPMConfig>;

const oneOf =
  <A extends string>(parameter: string, options: ReadonlyArray<A>) =>
  (value: unknown): E.Either<SchedulerError, A> =>
    typeof value === 'string' && (options as ReadonlyArray<string>).includes(value)
      ? E.right(value as A)
      : E.left(schedulerError('InvalidOption', parameter, value, `one of ${options.map((o) => `'${o}'`).join(', ')}`));

const flag =
  (parameter: string) =>
  (value: unknown): E.Either<SchedulerError, boolean> =>
    typeof value === 'boolean' ? E.right(value) : E.left(schedulerError('InvalidOption', parameter, value, 'true or false'));

const inRange =
  (parameter: string, allowed: string, ok: (x: number) => boolean) =>
  (value: unknown): E.Either<SchedulerError, number> =>
    typeof value === 'number' && ok(value) ? E.right(value) : E.left(schedulerError('InvalidNumber', parameter, value, allowed));

const knownKey = (key: string, value: unknown): E.Either<SchedulerError, string> =>
  (CONFIG_KEYS as ReadonlyArray<string>).includes(key)
    ? E.right(key)
    : E.left(schedulerError('InvalidOption', key, value, `a DDPMConfig parameter: ${CONFIG_KEYS.join(', ')}`));

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);

/** A valid config together with the betas it defines (before any zero-SNR rescale). */
export interface ValidatedConfig {
  readonly config: DDPMConfig;
  readonly betas: Table;
}

/**
 * Validates a partial config over {@link DEFAULT_DDPM_CONFIG} and reports every problem at once: one
 * problem comes back as itself, several as one `InvalidConfig` error whose `errors` lists them all.
 * Keys that are not DDPMConfig parameters (a typo such as `betaShedule`) are problems too.
 *
 * @example
 * ```ts
 * validateConfig({ betaEnd: 2, timestepSpacing: 'even' })
 * // left: InvalidConfig with two errors, for betaEnd and timestepSpacing
 * ```
 */
export const validateConfig = (input: unknown = {}): E.Either<SchedulerError, ValidatedConfig> => {
  if (!isPlainObject(input)) return E.left(configErrors('config', input, [], 'an object of DDPMConfig parameters'));
  const merged: Record<string, unknown> = { ...DEFAULT_DDPM_CONFIG };
  for (const key of Object.keys(input)) {
    if ((CONFIG_KEYS as ReadonlyArray<string>).includes(key) && input[key] !== undefined) merged[key] = input[key];
  }

  // The beta parameters are checked together by makeBetaSchedule, which also builds the betas.
  const precision = validatePrecision(merged.precision);
  const trainedBetas = merged.trainedBetas;
  const betas = makeBetaSchedule({
    numTrainTimesteps: merged.numTrainTimesteps as number,
    betaStart: merged.betaStart as number,
    betaEnd: merged.betaEnd as number,
    betaSchedule: merged.betaSchedule as string,
    trainedBetas: trainedBetas as ArrayLike<number> | null,
    precision: E.isRight(precision) ? precision.right : 'float32',
  });
  // numTrainTimesteps is checked by makeBetaSchedule; repeat only its type guard for the offset check
  const numTrainTimesteps = E.isRight(validateNumTrainTimesteps(merged.numTrainTimesteps)) ? (merged.numTrainTimesteps as number) : undefined;
  const stepsOffsetBelowT: E.Either<SchedulerError, unknown> =
    numTrainTimesteps !== undefined && typeof merged.stepsOffset === 'number' && merged.stepsOffset >= numTrainTimesteps
      ? E.left(schedulerError('InvalidNumber', 'stepsOffset', merged.stepsOffset, `an integer in [0, numTrainTimesteps (${numTrainTimesteps}))`))
      : E.right(merged.stepsOffset);

  // validateAll flattens the InvalidConfig of several unknown keys or several beta problems into one list
  const checked = validateAll('config', input, [
    validateAll('config', input, Object.keys(input).map((key) => knownKey(key, input[key]))),
    precision,
    betas,
    oneOf('varianceType', VARIANCE_TYPES)(merged.varianceType),
    oneOf('predictionType', PREDICTION_TYPES)(merged.predictionType),
    flag('clipSample')(merged.clipSample),
    flag('thresholding')(merged.thresholding),
    flag('rescaleBetasZeroSnr')(merged.rescaleBetasZeroSnr),
    inRange('dynamicThresholdingRatio', 'a number in [0, 1]', (x) => x >= 0 && x <= 1)(merged.dynamicThresholdingRatio),
    inRange('clipSampleRange', 'a finite number > 0', (x) => Number.isFinite(x) && x > 0)(merged.clipSampleRange),
    inRange('sampleMaxValue', 'a finite number > 0', (x) => Number.isFinite(x) && x > 0)(merged.sampleMaxValue),
    validateTimestepSpacing(merged.timestepSpacing),
    validateStepsOffset(merged.stepsOffset),
    stepsOffsetBelowT,
  ]);
  if (E.isLeft(checked)) return checked;
  const [, , table] = checked.right;
  const config = Object.freeze({
    ...(merged as unknown as DDPMConfig),
    trainedBetas: trainedBetas == null ? null : Object.freeze(Array.from(trainedBetas as ArrayLike<number>)),
  });
  return E.right(Object.freeze({ config, betas: table }));
};

/**
 * The step options of a config (the part of it the step kernels read).
 *
 * @example
 * ```ts
 * stepOptionsOf(DEFAULT_DDPM_CONFIG).predictionType // 'epsilon'
 * ```
 */
export const stepOptionsOf = (config: DDPMConfig): StepOptions =>
  Object.freeze({
    predictionType: config.predictionType,
    varianceType: config.varianceType,
    clipSample: config.clipSample,
    clipSampleRange: config.clipSampleRange,
    thresholding: config.thresholding,
    dynamicThresholdingRatio: config.dynamicThresholdingRatio,
    sampleMaxValue: config.sampleMaxValue,
  });
