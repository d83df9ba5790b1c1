/**
 * Errors as values. Every boundary of the library (config, setTimesteps, step, addNoise, generator
 * construction) returns `Either<SchedulerError, A>`; nothing there throws on bad input.
 *
 * A `SchedulerError` is a tagged union. Every member names the `parameter` it is about, the value it
 * `received` and what is `allowed`, and carries a readable `message` built from those three.
 *
 * @module
 */

/**
 * The tags of {@link SchedulerError}, one per kind of problem.
 *
 * - `InvalidOption`: a string option that is not one of the allowed values (schedule, spacing, types).
 * - `InvalidNumber`: a numeric parameter out of its range, fractional where an integer is needed, or NaN.
 * - `InvalidBetas`: betas (computed or trained) outside (0, 1], empty, or not finite, or whose
 *   alphasCumprod would make a step NaN (0 before the last timestep; see `validateTables`).
 * - `InvalidTimesteps`: a timestep list, count or offset that cannot be used with the schedule.
 * - `InvalidTimestep`: a timestep handed to `step`, `addNoise` or `getVelocity` that is not usable.
 * - `InvalidTensor`: a tensor of the wrong type, rank, shape or length.
 * - `InvalidSeed`: a generator seed outside what `torch.manual_seed` accepts.
 * - `InvalidGeneratorState`: generator state data that cannot be restored.
 * - `ZeroTerminalSnr`: a prediction type that is undefined where alphasCumprod is 0.
 * - `InvalidConfig`: a config or scheduler_config.json that is not of the right form.
 * - `IoError`: a file that could not be read or written (Node entry point only).
 * - `Aborted`: a loop stopped at a step boundary because its `options.signal` was aborted
 *   (`received` is the signal's `reason`).
 */
export type SchedulerErrorTag =
  | 'InvalidOption'
  | 'InvalidNumber'
  | 'InvalidBetas'
  | 'InvalidTimesteps'
  | 'InvalidTimestep'
  | 'InvalidTensor'
  | 'InvalidSeed'
  | 'InvalidGeneratorState'
  | 'ZeroTerminalSnr'
  | 'InvalidConfig'
  | 'IoError'
  | 'Aborted';

/** What every error says: which parameter, what was received, what is allowed. */
export interface SchedulerErrorOf<Tag extends SchedulerErrorTag> {
  readonly _tag: Tag;
  /** The parameter's name as the caller wrote it (`betaEnd`, `timesteps[3]`, `modelOutput`). */
  readonly parameter: string;
  /** The offending value, or a short description of it for large inputs. */
  readonly received: unknown;
  /** What would have been accepted, in words. */
  readonly allowed: string;
  /** `"<parameter>: received <value>; allowed: <allowed>"`, plus `detail` when there is one. */
  readonly message: string;
}

/**
 * A problem found at a boundary of the library. Switch on `_tag`; show `message`.
 *
 * `InvalidConfig` may carry every problem found in one config in `errors` (config validation reports
 * all problems at once rather than stopping at the first).
 */
export type SchedulerError =
  | SchedulerErrorOf<Exclude<SchedulerErrorTag, 'InvalidConfig'>>
  | (SchedulerErrorOf<'InvalidConfig'> & { readonly errors: ReadonlyArray<SchedulerError> });

const MAX_SHOWN = 80;

const isErrorLike = (value: unknown): value is { readonly name: unknown; readonly message: unknown } => {
  const tag = Object.prototype.toString.call(value);
  return value instanceof Error || tag === '[object Error]' || tag === '[object DOMException]';
};

/**
 * Formats a received value for a message: numbers keep `-0`, `NaN` and `Infinity` readable, bigints
 * get their `n`, long or nested arrays and long strings are cut so that messages stay short (and
 * deeply nested input cannot exhaust the stack).
 */
export const showValue = (value: unknown, depth = 0): string => {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') {
    const s = JSON.stringify(value);
    return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…"` : s;
  }
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  // an abort reason (DOMException, Error) says more by its name and message than by its (empty) JSON;
  // the tag, not instanceof, so that errors from another realm (a worker, a vm context) count too
  if (isErrorLike(value)) return `${String(value.name)}: ${String(value.message)}`;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    const length = (value as unknown as { length?: number }).length;
    return length === undefined ? name : `${name}(${length})`;
  }
  if (Array.isArray(value)) {
    // nested arrays are described, not walked: hostile JSON may nest thousands deep
    if (value.length > 8 || depth >= 2) return `an array of length ${value.length}`;
    return `[${value.map((v) => showValue(v, depth + 1)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    try {
      const s = JSON.stringify(value);
      if (s !== undefined) return s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}…` : s;
    } catch {
      // cyclic or otherwise unserialisable: fall through to the generic description
    }
    return 'an object';
  }
  return String(value);
};

/**
 * Builds a {@link SchedulerError}. `detail` is appended to the message when a reason helps more than
 * the bare value does.
 *
 * @example
 * ```ts
 * schedulerError('InvalidNumber', 'stepsOffset', -1, 'an integer >= 0')
 * // { _tag: 'InvalidNumber', message: 'stepsOffset: received -1; allowed: an integer >= 0', ... }
 * ```
 */
export const schedulerError = <Tag extends Exclude<SchedulerErrorTag, 'InvalidConfig'>>(
  tag: Tag,
  parameter: string,
  received: unknown,
  allowed: string,
  detail?: string,
): SchedulerErrorOf<Tag> =>
  Object.freeze({
    _tag: tag,
    parameter,
    received,
    allowed,
    message: `${parameter}: received ${showValue(received)}; allowed: ${allowed}${detail === undefined ? '' : ` (${detail})`}`,
  });

/**
 * An `InvalidConfig` error. With `errors`, it gathers every problem found in one config and its message
 * lists them, one per line; without, it says that the value as a whole is not of the allowed form.
 *
 * @example
 * ```ts
 * configErrors('scheduler_config', 42, [], 'a JSON object').message
 * // 'scheduler_config: received 42; allowed: a JSON object'
 * ```
 */
export const configErrors = (
  parameter: string,
  received: unknown,
  errors: ReadonlyArray<SchedulerError>,
  allowed = 'a valid configuration',
): SchedulerError =>
  Object.freeze({
    _tag: 'InvalidConfig' as const,
    parameter,
    received,
    allowed,
    errors: Object.freeze([...errors]),
    message:
      errors.length === 0
        ? `${parameter}: received ${showValue(received)}; allowed: ${allowed}`
        : `${parameter}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n${errors
            .map((e) => `  - ${e.message}`)
            .join('\n')}`,
  });

/**
 * An `Error` that carries a {@link SchedulerError}. Only the convenience forms that are documented to
 * throw (for example `torchGenerator(seed)` on an invalid seed) throw it; every boundary returns the
 * plain error value in an `Either` instead.
 */
export class SchedulerException extends Error {
  readonly error: SchedulerError;
  constructor(error: SchedulerError) {
    super(error.message);
    this.name = 'SchedulerException';
    this.error = error;
  }
}
