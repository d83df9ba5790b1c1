import * as E from 'fp-ts/lib/Either.js';
import { configErrors, type SchedulerError } from '../errors.js';
import type { Table } from '../schedule/index.js';
import { validateConfig, type DDPMConfig } from './config.js';

/**
 * The scheduler as a value: the validated config, the tables computed once from it, and the timesteps
 * of the current schedule. It is frozen and never changes; `setTimesteps` returns a new one. The typed
 * arrays it exposes are never written after construction (do not write them either).
 */
export interface DDPMScheduler {
  readonly _tag: 'DDPMScheduler';
  readonly config: DDPMConfig;
  /** beta_t for t = 0 .. T-1 (after the zero-SNR rescale when the config asks for it). */
  readonly betas: Table;
  /** 1 - beta_t. */
  readonly alphas: Table;
  /** alphaBar_t, the running product of the alphas. */
  readonly alphasCumprod: Table;
  /** The timesteps to run, in decreasing order: T-1 .. 0 until `setTimesteps` is called. */
  readonly timesteps: Int32Array;
  /** The number of inference steps set by `setTimesteps` (with custom timesteps, their count); null before. */
  readonly numInferenceSteps: number | null;
  /** Whether the timesteps were given by the caller rather than made from a spacing. */
  readonly customTimesteps: boolean;
  /** The number of training timesteps, as diffusers' `len(scheduler)`. */
  readonly length: number;
  /** The standard deviation of the initial noise: 1 for DDPM. */
  readonly initNoiseSigma: number;
  /** What was ignored when the config was read (unknown keys, another scheduler's class name). */
  readonly warnings: ReadonlyArray<string>;
}

// The schedulers this module made: a brand that a look-alike, a spread copy or a JSON round trip
// cannot carry, so that nothing but a value built from a validated config reaches the kernels.
const made = new WeakSet<object>();

/**
 * Whether `x` is a scheduler value made by this library (by createScheduler, fromDiffusersConfig or
 * setTimesteps); a copy of one, even a perfect one, is not.
 *
 * @example
 * ```ts
 * isDDPMScheduler({}) // false
 * isDDPMScheduler({ ...s }) // false, for any scheduler s
 * ```
 */
export const isDDPMScheduler = (x: unknown): x is DDPMScheduler => typeof x === 'object' && x !== null && made.has(x);

/** @internal The error for a value passed where a scheduler belongs. */
export const notAScheduler = (received: unknown): SchedulerError =>
  configErrors(
    'scheduler',
    received,
    [],
    'a DDPMScheduler value made by createScheduler, fromDiffusersConfig or setTimesteps; a copy (a spread, a JSON round trip) is not one: createScheduler(copy.config) or fromDiffusersConfig(toDiffusersConfig(s)) makes one',
  );

/** @internal Builds a scheduler value from its parts, freezes it and brands it as made here. */
export const makeScheduler = (fields: Omit<DDPMScheduler, '_tag'>): DDPMScheduler => {
  const s: DDPMScheduler = Object.freeze({ _tag: 'DDPMScheduler' as const, ...fields, warnings: Object.freeze([...fields.warnings]) });
  made.add(s);
  return s;
};

/**
 * Makes a scheduler from a partial config over diffusers' defaults ({@link DEFAULT_DDPM_CONFIG}).
 * Every problem of the config is reported at once (see {@link validateConfig}). The tables follow
 * diffusers' float32 arithmetic, or double with `precision: 'float64'`.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * const s = createScheduler({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });
 * if (E.isRight(s)) console.log(s.right.alphasCumprod[999]); // 0.0046...
 * ```
 */
export const createScheduler = (config: Partial<DDPMConfig> = {}, warnings: ReadonlyArray<string> = []): E.Either<SchedulerError, DDPMScheduler> => {
  const valid = validateConfig(config);
  if (E.isLeft(valid)) return valid;
  const { config: c, tables } = valid.right;
  const timesteps = new Int32Array(c.numTrainTimesteps);
  for (let i = 0; i < timesteps.length; i++) timesteps[i] = c.numTrainTimesteps - 1 - i;
  return E.right(
    makeScheduler({
      config: c,
      betas: tables.betas,
      alphas: tables.alphas,
      alphasCumprod: tables.alphasCumprod,
      timesteps,
      numInferenceSteps: null,
      customTimesteps: false,
      length: c.numTrainTimesteps,
      initNoiseSigma: 1,
      warnings,
    }),
  );
};
