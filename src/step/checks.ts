/**
 * The checks of the step layer's exported primitives (`posteriorCoefficients`, `posteriorStep`,
 * `posteriorStepInto`, `ddpmStep`, `addNoiseWith`, `velocityWith`): a table, step options and the
 * argument objects, each a typed error naming its parameter. The scheduler's own paths build these
 * values themselves and do not come through here.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { MAX_TRAIN_TIMESTEPS } from '../schedule/validate.js';
import { validateAll } from '../validation.js';
import { validateCpuCapability } from '../cpuCapability.js';
import type { PosteriorCoefficients, PredictionType, StepOptions, Table, VarianceType } from './types.js';

/** diffusers' prediction types. @internal */
export const PREDICTION_TYPE_NAMES: ReadonlyArray<PredictionType> = Object.freeze(['epsilon', 'sample', 'v_prediction'] as const);
/** diffusers' variance types. @internal */
export const VARIANCE_TYPE_NAMES: ReadonlyArray<VarianceType> = Object.freeze([
  'fixed_small',
  'fixed_small_log',
  'fixed_large',
  'fixed_large_log',
  'learned',
  'learned_range',
] as const);

const quoted = (names: ReadonlyArray<string>): string => names.map((n) => `'${n}'`).join(', ');

/**
 * An `alphasCumprod` table: a Float32Array (diffusers' float32 arithmetic) or a Float64Array (double),
 * of 1 to MAX_TRAIN_TIMESTEPS values, each in [0, 1] (0 only where the schedule ends at zero SNR).
 *
 * @example
 * ```ts
 * checkTable(Float32Array.of(0.9, 0.5), 'alphasCumprod') // right(the table)
 * checkTable([0.9, 0.5], 'alphasCumprod')                // left(InvalidTensor 'alphasCumprod')
 * ```
 * @internal
 */
export const checkTable = (table: unknown, parameter: string): E.Either<SchedulerError, Table> => {
  if (!(table instanceof Float32Array) && !(table instanceof Float64Array)) {
    return E.left(schedulerError('InvalidTensor', parameter, table, 'a Float32Array or Float64Array of alphasCumprod values (a scheduler\'s alphasCumprod)'));
  }
  if (table.length < 1 || table.length > MAX_TRAIN_TIMESTEPS) {
    return E.left(schedulerError('InvalidTensor', `${parameter}.length`, table.length, `1 to ${MAX_TRAIN_TIMESTEPS} values`));
  }
  for (let i = 0; i < table.length; i++) {
    const a = table[i] as number;
    if (!(a >= 0 && a <= 1)) return E.left(schedulerError('InvalidTensor', `${parameter}[${i}]`, a, 'a number in [0, 1]'));
  }
  return E.right(table);
};

/**
 * A variance type name.
 *
 * @internal
 */
export const checkVarianceType = (value: unknown, parameter: string): E.Either<SchedulerError, VarianceType> =>
  VARIANCE_TYPE_NAMES.includes(value as VarianceType)
    ? E.right(value as VarianceType)
    : E.left(schedulerError('InvalidOption', parameter, value, `one of ${quoted(VARIANCE_TYPE_NAMES)}`));

const field = <A>(parameter: string, value: unknown, ok: (v: unknown) => boolean, allowed: string): E.Either<SchedulerError, A> =>
  ok(value) ? E.right(value as A) : E.left(schedulerError(typeof value === 'number' ? 'InvalidNumber' : 'InvalidOption', parameter, value, allowed));

/**
 * Step options, every field checked and every problem reported at once: the prediction and variance
 * types by name, the two flags, a clip range and a largest threshold that are finite and > 0, a
 * thresholding ratio in [0, 1].
 *
 * @example
 * ```ts
 * checkStepOptions(defaultStepOptions)                          // right(defaultStepOptions)
 * checkStepOptions({ ...defaultStepOptions, predictionType: 'eps' }) // left(InvalidOption 'options.predictionType')
 * ```
 * @internal
 */
export const checkStepOptions = (options: unknown): E.Either<SchedulerError, StepOptions> => {
  if (typeof options !== 'object' || options === null) {
    return E.left(schedulerError('InvalidOption', 'options', options, 'step options: { predictionType, varianceType, clipSample, ... } (defaultStepOptions)'));
  }
  const o = options as Record<keyof StepOptions, unknown>;
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  const checked = validateAll('options', options, [
    field<PredictionType>('options.predictionType', o.predictionType, (v) => PREDICTION_TYPE_NAMES.includes(v as PredictionType), `one of ${quoted(PREDICTION_TYPE_NAMES)}`),
    checkVarianceType(o.varianceType, 'options.varianceType'),
    field<boolean>('options.clipSample', o.clipSample, (v) => typeof v === 'boolean', 'true or false'),
    field<number>('options.clipSampleRange', o.clipSampleRange, positive, 'a finite number > 0'),
    field<boolean>('options.thresholding', o.thresholding, (v) => typeof v === 'boolean', 'true or false'),
    field<number>('options.dynamicThresholdingRatio', o.dynamicThresholdingRatio, (v) => typeof v === 'number' && v >= 0 && v <= 1, 'a number in [0, 1]'),
    field<number>('options.sampleMaxValue', o.sampleMaxValue, positive, 'a finite number > 0'),
    validateCpuCapability(o.cpuCapability, 'options.cpuCapability'),
  ]);
  return E.isLeft(checked) ? checked : E.right(options as StepOptions);
};

/**
 * The largest threshold of float32 arithmetic: a `sampleMaxValue` below 2^-149 is 0 in float32, so the
 * threshold clamps to [-0, 0] and divides by 0 (NaN), as `createScheduler` refuses for a float32 config.
 * Checked once the precision is known (the coefficients' or the table's); float64 keeps any value > 0.
 *
 * @example
 * ```ts
 * checkThresholdIn({ ...defaultStepOptions, thresholding: true, sampleMaxValue: 1e-46 }, 'float32') // left(InvalidNumber 'options.sampleMaxValue')
 * ```
 * @internal
 */
export const checkThresholdIn = (options: StepOptions, precision: 'float32' | 'float64'): E.Either<SchedulerError, void> =>
  options.thresholding && precision === 'float32' && Math.fround(options.sampleMaxValue) === 0
    ? E.left(
        schedulerError('InvalidNumber', 'options.sampleMaxValue', options.sampleMaxValue, 'a finite number > 0 that stays > 0 in float32 (>= 2^-149 = 1.4e-45)'),
      )
    : E.right(undefined);

/**
 * An argument that must be an object (the inputs or outputs of a step).
 *
 * @internal
 */
export const checkObject = <A>(value: unknown, parameter: string, allowed: string): E.Either<SchedulerError, A> =>
  typeof value === 'object' && value !== null ? E.right(value as A) : E.left(schedulerError('InvalidOption', parameter, value, allowed));

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * One set of posterior coefficients handed to `posteriorStep(Into)`: made by `posteriorCoefficients`,
 * or changed by a custom sampler (the DDIM recipe turns the noise off), as long as every number the
 * pass reads is usable: a precision, finite square roots and weights, alphaBar_t in [0, 1] (and a
 * nonzero sqrt(alphaBar_t) for epsilon), and, when the item adds noise, a finite deviation >= 0 for
 * the fixed variance types and finite log-variances for `learned_range`.
 *
 * @example
 * ```ts
 * checkCoefficientSet(k, 'coefficients', defaultStepOptions)                     // right(k)
 * checkCoefficientSet({ ...k, noiseScale: NaN }, 'coefficients', defaultStepOptions) // left(InvalidNumber 'coefficients.noiseScale')
 * ```
 * @internal
 */
export const checkCoefficientSet = (k: unknown, parameter: string, options: StepOptions): E.Either<SchedulerError, PosteriorCoefficients> => {
  if (typeof k !== 'object' || k === null) {
    return E.left(schedulerError('InvalidOption', parameter, k, 'a set of coefficients (posteriorCoefficients)'));
  }
  const c = k as Record<keyof PosteriorCoefficients, unknown>;
  const bad = (field: string, value: unknown, allowed: string) =>
    E.left(schedulerError(typeof value === 'number' ? 'InvalidNumber' : 'InvalidOption', `${parameter}.${field}`, value, allowed));
  if (c.precision !== 'float32' && c.precision !== 'float64') return bad('precision', c.precision, "'float32' or 'float64'");
  if (typeof c.addsNoise !== 'boolean') return bad('addsNoise', c.addsNoise, 'true or false');
  if (!(typeof c.timestep === 'number' && Number.isInteger(c.timestep) && c.timestep >= 0)) return bad('timestep', c.timestep, 'an integer >= 0');
  if (!(typeof c.alphaProdT === 'number' && c.alphaProdT >= 0 && c.alphaProdT <= 1)) return bad('alphaProdT', c.alphaProdT, 'a number in [0, 1]');
  for (const field of ['sqrtAlphaProdT', 'sqrtBetaProdT', 'predOriginalSampleCoeff', 'currentSampleCoeff'] as const) {
    if (!finite(c[field])) return bad(field, c[field], 'a finite number');
  }
  if (options.predictionType === 'epsilon' && c.alphaProdT !== 0 && c.sqrtAlphaProdT === 0) {
    return bad('sqrtAlphaProdT', c.sqrtAlphaProdT, 'a nonzero number for epsilon prediction (x0 divides by it)');
  }
  if (c.addsNoise) {
    const learned = options.varianceType === 'learned' || options.varianceType === 'learned_range';
    if (!learned && !(finite(c.noiseScale) && c.noiseScale >= 0)) {
      return bad('noiseScale', c.noiseScale, `a finite number >= 0 (coefficients made for options.varianceType '${options.varianceType}')`);
    }
    if (options.varianceType === 'learned_range') {
      for (const field of ['minLogVariance', 'maxLogVariance'] as const) {
        if (!finite(c[field])) return bad(field, c[field], 'a finite log-variance');
      }
    }
  }
  return E.right(k as PosteriorCoefficients);
};
