/**
 * Small validators for the schedule's config fields. Each returns the value, typed, or one
 * {@link SchedulerError} naming the parameter, the value received and what is allowed, so that a config
 * validator can run them all and report every problem at once.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import {
  BETA_SCHEDULES,
  PRECISIONS,
  TIMESTEP_SPACINGS,
  type BetaSchedule,
  type Precision,
  type TimestepSpacing,
} from './types.js';

/**
 * The largest numTrainTimesteps: 1 000 000 (as many as trained betas may give, MAX_TRAINED_BETAS),
 * whose tables take about 40 ms and 30 MB to build here. Diffusion models train with 1000 to 4000;
 * a larger value is refused instead of building tables until memory runs out.
 */
export const MAX_TRAIN_TIMESTEPS = 1_000_000;

const quoted = (names: ReadonlyArray<string>): string => names.map((n) => `'${n}'`).join(', ');

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/**
 * A number of training timesteps: an integer in [1, 2^31 - 1].
 *
 * @example
 * ```ts
 * validateNumTrainTimesteps(1000) // right(1000)
 * validateNumTrainTimesteps(0)    // left: 'numTrainTimesteps: received 0; allowed: an integer in [1, 1000000]'
 * ```
 */
export const validateNumTrainTimesteps = (
  value: unknown,
  parameter = 'numTrainTimesteps',
): E.Either<SchedulerError, number> =>
  isInteger(value) && value >= 1 && value <= MAX_TRAIN_TIMESTEPS
    ? E.right(value)
    : E.left(schedulerError('InvalidNumber', parameter, value, `an integer in [1, ${MAX_TRAIN_TIMESTEPS}]`));

/**
 * A steps offset: an integer >= 0. (Whether it fits a given schedule is checked by `timestepsFor`.)
 *
 * @example
 * ```ts
 * validateStepsOffset(1)   // right(1)
 * validateStepsOffset(0.5) // left: 'stepsOffset: received 0.5; allowed: an integer >= 0'
 * ```
 */
export const validateStepsOffset = (value: unknown, parameter = 'stepsOffset'): E.Either<SchedulerError, number> =>
  isInteger(value) && value >= 0 && value <= MAX_TRAIN_TIMESTEPS
    ? E.right(value)
    : E.left(schedulerError('InvalidNumber', parameter, value, 'an integer >= 0'));

/**
 * A beta bound (`betaStart`, `betaEnd`): a number in (0, 1]. diffusers accepts any float here (a
 * betaEnd of 2 gives negative alphas); we do not.
 *
 * @example
 * ```ts
 * validateBetaBound('betaEnd', 0.02) // right(0.02)
 * validateBetaBound('betaEnd', 2)    // left: 'betaEnd: received 2; allowed: a number in (0, 1]'
 * ```
 */
export const validateBetaBound = (parameter: string, value: unknown): E.Either<SchedulerError, number> =>
  typeof value === 'number' && value > 0 && value <= 1
    ? E.right(value)
    : E.left(schedulerError('InvalidBetas', parameter, value, 'a number in (0, 1]'));

const validateOption =
  <A extends string>(options: ReadonlyArray<A>, defaultParameter: string) =>
  (value: unknown, parameter = defaultParameter): E.Either<SchedulerError, A> =>
    typeof value === 'string' && (options as ReadonlyArray<string>).includes(value)
      ? E.right(value as A)
      : E.left(schedulerError('InvalidOption', parameter, value, `one of ${quoted(options)}`));

/**
 * A beta schedule name: one of {@link BETA_SCHEDULES}.
 *
 * @example
 * ```ts
 * validateBetaSchedule('cosine') // left: "betaSchedule: received \"cosine\"; allowed: one of 'linear', ..."
 * ```
 */
export const validateBetaSchedule: (value: unknown, parameter?: string) => E.Either<SchedulerError, BetaSchedule> =
  validateOption(BETA_SCHEDULES, 'betaSchedule');

/**
 * A timestep spacing name: one of {@link TIMESTEP_SPACINGS}.
 *
 * @example
 * ```ts
 * validateTimestepSpacing('trailing') // right('trailing')
 * ```
 */
export const validateTimestepSpacing: (
  value: unknown,
  parameter?: string,
) => E.Either<SchedulerError, TimestepSpacing> = validateOption(TIMESTEP_SPACINGS, 'timestepSpacing');

/**
 * A precision: `'float32'` or `'float64'`; `undefined` means the default `'float32'`.
 *
 * @example
 * ```ts
 * validatePrecision(undefined) // right('float32')
 * ```
 */
export const validatePrecision = (value: unknown, parameter = 'precision'): E.Either<SchedulerError, Precision> =>
  value === undefined ? E.right('float32') : validateOption(PRECISIONS, 'precision')(value, parameter);

/**
 * Trained betas: array-like, `numTrainTimesteps` long when that is known, every value finite in (0, 1]
 * and still > 0 once rounded to the table's precision. Returns the betas as a new table.
 *
 * @example
 * ```ts
 * validateTrainedBetas([0.1, 0.2], 2, 'float32') // right(Float32Array [0.1, 0.2])
 * validateTrainedBetas([], 2, 'float32')         // left: InvalidBetas, 'trainedBetas: received []; ...'
 * ```
 */
export const validateTrainedBetas = (
  value: unknown,
  numTrainTimesteps: number | undefined,
  precision: Precision,
  parameter = 'trainedBetas',
): E.Either<SchedulerError, Float32Array | Float64Array> => {
  const arrayLike =
    value !== null && typeof value === 'object' && typeof (value as { length?: unknown }).length === 'number';
  if (!arrayLike) return E.left(schedulerError('InvalidBetas', parameter, value, 'an array of numbers in (0, 1]'));
  const source = value as ArrayLike<unknown>;
  if (source.length === 0) return E.left(schedulerError('InvalidBetas', parameter, value, 'a non-empty array of numbers in (0, 1]'));
  if (numTrainTimesteps !== undefined && source.length !== numTrainTimesteps) {
    return E.left(
      schedulerError('InvalidBetas', `${parameter}.length`, source.length, `numTrainTimesteps (${numTrainTimesteps})`),
    );
  }
  const table = precision === 'float32' ? new Float32Array(source.length) : new Float64Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const beta = source[i];
    if (typeof beta !== 'number' || !(beta > 0 && beta <= 1)) {
      return E.left(schedulerError('InvalidBetas', `${parameter}[${i}]`, beta, 'a number in (0, 1]'));
    }
    table[i] = beta;
    // a beta below float32's smallest subnormal would become 0 in the table
    if (table[i] === 0) {
      return E.left(schedulerError('InvalidBetas', `${parameter}[${i}]`, beta, `a number in (0, 1] that is > 0 in ${precision}`));
    }
  }
  return E.right(table);
};
