import * as E from 'fp-ts/lib/Either.js';
import { configErrors, SchedulerException, schedulerError, type SchedulerError } from '../errors.js';
import { validateAll } from '../validation.js';
import { DEFAULT_CPU_CAPABILITY, validateCpuCapability, type CpuCapability } from '../cpuCapability.js';
import {
  makeBetaSchedule,
  makeTables,
  rescaleZeroSnr,
  validateTables,
  validateNumTrainTimesteps,
  validatePrecision,
  validateStepsOffset,
  validateTimestepSpacing,
  type BetaSchedule,
  type Precision,
  type ScheduleTables,
  type Table,
  type TimestepSpacing,
} from '../schedule/index.js';
import { PREDICTION_TYPE_NAMES, VARIANCE_TYPE_NAMES } from '../step/checks.js';
import type { PredictionType, StepOptions, VarianceType } from '../step/index.js';

/**
 * Every parameter of diffusers' `DDPMScheduler`, in camelCase, with diffusers' own string values, plus
 * our `precision` and `cpuCapability`. See {@link DEFAULT_DDPM_CONFIG} for the defaults (diffusers' own).
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
  /**
   * The largest dynamic threshold: finite and > 0 once rounded to the table's precision (>= 2^-149 for
   * float32). One that rounds to 0 (1e-46 in float32) would make the threshold 0 and x0 / 0 NaN, as in
   * diffusers; any positive float32 keeps the thresholded x0 in [-1, 1].
   */
  readonly sampleMaxValue: number;
  readonly timestepSpacing: TimestepSpacing;
  /** Added to every `leading` timestep (Stable Diffusion uses 1). */
  readonly stepsOffset: number;
  /** Rescale the betas to zero terminal SNR (Lin et al. 2023). */
  readonly rescaleBetasZeroSnr: boolean;
  /** Ours: `'float32'` reproduces diffusers' float32 numbers, `'float64'` keeps tables and coefficients in double. */
  readonly precision: Precision;
  /**
   * Ours: the PyTorch CPU kernel family whose numbers to reproduce (`torch.backends.cpu.get_cpu_capability()`
   * lowercased; default `'avx512'`). It changes the float32 `linear`, `scaled_linear` and `sigmoid`
   * betas and the `learned_range` noise scale; the noise itself follows the generator's own
   * `cpuCapability`, which must be the same (a step refuses a generator of another family).
   * `toDiffusersConfig` never writes it.
   */
  readonly cpuCapability: CpuCapability;
}

/**
 * diffusers' defaults for `DDPMScheduler`, `precision: 'float32'` and `cpuCapability: 'avx512'`.
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
  cpuCapability: DEFAULT_CPU_CAPABILITY,
});

/** The prediction types, in diffusers' spelling. */
export const PREDICTION_TYPES: ReadonlyArray<PredictionType> = PREDICTION_TYPE_NAMES;

/** The variance types, in diffusers' spelling. */
export const VARIANCE_TYPES: ReadonlyArray<VarianceType> = VARIANCE_TYPE_NAMES;

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

/** A valid config together with the betas it defines (before any zero-SNR rescale) and its tables. */
export interface ValidatedConfig {
  readonly config: DDPMConfig;
  readonly betas: Table;
  /** The tables a scheduler of this config reads (after the zero-SNR rescale when it asks for one). */
  readonly tables: ScheduleTables;
}

// A number that stays > 0 once rounded to the table's precision (float32 rounds 1e-46 to 0).
const positiveIn = (precision: Precision) => (x: number): boolean =>
  Number.isFinite(x) && x > 0 && (precision === 'float64' || Math.fround(x) > 0);

/**
 * The tables of valid betas and a valid rescale flag, checked for a finite posterior at every step
 * (see validateTables); null when the betas or the flag are invalid themselves (reported already).
 */
const tablesOf = (
  betas: E.Either<SchedulerError, Table>,
  merged: Record<string, unknown>,
): E.Either<SchedulerError, ScheduleTables | null> => {
  if (E.isLeft(betas) || typeof merged.rescaleBetasZeroSnr !== 'boolean') return E.right(null);
  const rescaled = merged.rescaleBetasZeroSnr ? rescaleZeroSnr(betas.right) : betas.right;
  // betas too small to change sqrt(alphasCumprod) in the table's precision rescale to exactly 0
  const zero = merged.rescaleBetasZeroSnr ? rescaled.indexOf(0) : -1;
  if (zero >= 0) {
    return E.left(
      schedulerError(
        'InvalidBetas',
        'rescaleBetasZeroSnr',
        true,
        'betas whose zero-SNR rescale stays in (0, 1]',
        zero === 0
          ? 'the rescale makes betas[0] 0: alphasCumprod[0] is 1'
          : `the rescale makes betas[${zero}] 0: sqrt(alphasCumprod) does not change from timestep ${zero - 1} to ${zero}`,
      ),
    );
  }
  const source =
    (merged.trainedBetas == null ? `betaSchedule '${String(merged.betaSchedule)}' from betaStart and betaEnd` : 'trainedBetas') +
    (merged.rescaleBetasZeroSnr ? ', rescaled to zero terminal SNR,' : '');
  return validateTables(makeTables(rescaled), {
    source,
    learnedRange: merged.varianceType === 'learned_range',
    epsilonPrediction: merged.predictionType === 'epsilon',
  });
};

/**
 * Validates a partial config over {@link DEFAULT_DDPM_CONFIG} and reports every problem at once: one
 * problem comes back as itself, several as one `InvalidConfig` error whose `errors` lists them all.
 * Keys that are not DDPMConfig parameters (a typo such as `betaShedule`) are problems too.
 *
 * No NaN from an accepted config (issue 15; docs/parity.md, "Configs that would step to NaN"): the
 * final tables (after the zero-SNR rescale) are checked by `validateTables` (alphasCumprod 0 before
 * the last timestep, a repeated value under `learned_range`, a float64 value below 2^-149 under
 * `epsilon`), a rescale that makes a beta 0 is refused, and `sampleMaxValue` must stay > 0 in the
 * table's precision. Each is `InvalidBetas` or `InvalidNumber`, reported with the other problems.
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
  const capability = validateCpuCapability(merged.cpuCapability);
  const trainedBetas = merged.trainedBetas;
  const betas = makeBetaSchedule({
    numTrainTimesteps: merged.numTrainTimesteps as number,
    betaStart: merged.betaStart as number,
    betaEnd: merged.betaEnd as number,
    betaSchedule: merged.betaSchedule as string,
    trainedBetas: trainedBetas as ArrayLike<number> | null,
    precision: E.isRight(precision) ? precision.right : 'float32',
    cpuCapability: E.isRight(capability) ? capability.right : DEFAULT_CPU_CAPABILITY,
  });
  // numTrainTimesteps is checked by makeBetaSchedule; repeat only its type guard for the offset check
  const numTrainTimesteps = E.isRight(validateNumTrainTimesteps(merged.numTrainTimesteps)) ? (merged.numTrainTimesteps as number) : undefined;
  const stepsOffsetBelowT: E.Either<SchedulerError, unknown> =
    numTrainTimesteps !== undefined && typeof merged.stepsOffset === 'number' && merged.stepsOffset >= numTrainTimesteps
      ? E.left(schedulerError('InvalidNumber', 'stepsOffset', merged.stepsOffset, `an integer in [0, numTrainTimesteps (${numTrainTimesteps}))`))
      : E.right(merged.stepsOffset);

  const tables = tablesOf(betas, merged);
  const floatPrecision = E.isRight(precision) ? precision.right : 'float32';

  // validateAll flattens the InvalidConfig of several unknown keys or several beta problems into one list
  const checked = validateAll('config', input, [
    validateAll('config', input, Object.keys(input).map((key) => knownKey(key, input[key]))),
    precision,
    betas,
    capability,
    oneOf('varianceType', VARIANCE_TYPES)(merged.varianceType),
    oneOf('predictionType', PREDICTION_TYPES)(merged.predictionType),
    flag('clipSample')(merged.clipSample),
    flag('thresholding')(merged.thresholding),
    flag('rescaleBetasZeroSnr')(merged.rescaleBetasZeroSnr),
    inRange('dynamicThresholdingRatio', 'a number in [0, 1]', (x) => x >= 0 && x <= 1)(merged.dynamicThresholdingRatio),
    inRange('clipSampleRange', 'a finite number > 0', (x) => Number.isFinite(x) && x > 0)(merged.clipSampleRange),
    inRange(
      'sampleMaxValue',
      floatPrecision === 'float32' ? 'a finite number > 0 that stays > 0 in float32 (>= 2^-149 = 1.4e-45)' : 'a finite number > 0',
      positiveIn(floatPrecision),
    )(merged.sampleMaxValue),
    validateTimestepSpacing(merged.timestepSpacing),
    validateStepsOffset(merged.stepsOffset),
    stepsOffsetBelowT,
    tables,
  ]);
  if (E.isLeft(checked)) return checked;
  const [, , table] = checked.right;
  // the betas and the flag are valid here, so tablesOf made and checked their tables
  const finalTables = E.isRight(tables) && tables.right !== null ? tables.right : makeTables(table);
  const config = Object.freeze({
    ...(merged as unknown as DDPMConfig),
    trainedBetas: trainedBetas == null ? null : Object.freeze(Array.from(trainedBetas as ArrayLike<number>)),
  });
  return E.right(Object.freeze({ config, betas: table, tables: finalTables }));
};

/**
 * The step options of a config (the part of it the step kernels read). Throws a `SchedulerException`
 * (InvalidOption 'config') for a value that is not an object; the step primitives check the fields.
 *
 * @example
 * ```ts
 * stepOptionsOf(DEFAULT_DDPM_CONFIG).predictionType // 'epsilon'
 * ```
 */
export const stepOptionsOf = (config: DDPMConfig): StepOptions => {
  if (typeof config !== 'object' || config === null) {
    throw new SchedulerException(schedulerError('InvalidOption', 'config', config, 'a scheduler config (s.config, or DEFAULT_DDPM_CONFIG)'));
  }
  return Object.freeze({
    predictionType: config.predictionType,
    varianceType: config.varianceType,
    clipSample: config.clipSample,
    clipSampleRange: config.clipSampleRange,
    thresholding: config.thresholding,
    dynamicThresholdingRatio: config.dynamicThresholdingRatio,
    sampleMaxValue: config.sampleMaxValue,
    cpuCapability: config.cpuCapability,
  });
};
