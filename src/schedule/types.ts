/**
 * The vocabulary of the schedule layer: schedule and spacing names, precision, table types, specs.
 *
 * @module
 */
import type { CpuCapability } from '../cpuCapability.js';

/** The beta schedules diffusers' DDPMScheduler knows, spelt as in its configs. */
export type BetaSchedule = 'linear' | 'scaled_linear' | 'squaredcos_cap_v2' | 'sigmoid' | 'laplace';

/**
 * Every {@link BetaSchedule}, in a fixed order.
 *
 * @example
 * ```ts
 * BETA_SCHEDULES.includes('scaled_linear') // true
 * ```
 */
export const BETA_SCHEDULES: ReadonlyArray<BetaSchedule> = Object.freeze([
  'linear',
  'scaled_linear',
  'squaredcos_cap_v2',
  'sigmoid',
  'laplace',
] as const);

/** How inference timesteps are spread over the training range (Table 2 of Lin et al. 2023). */
export type TimestepSpacing = 'leading' | 'trailing' | 'linspace';

/**
 * Every {@link TimestepSpacing}, in a fixed order.
 *
 * @example
 * ```ts
 * TIMESTEP_SPACINGS // ['leading', 'trailing', 'linspace']
 * ```
 */
export const TIMESTEP_SPACINGS: ReadonlyArray<TimestepSpacing> = Object.freeze(['leading', 'trailing', 'linspace'] as const);

/**
 * The precision of the tables: `'float32'` reproduces diffusers' float32 tensors, `'float64'` (ours)
 * computes and keeps every table in double.
 */
export type Precision = 'float32' | 'float64';

/** The precisions, in a fixed order. @example `PRECISIONS[0] // 'float32'` */
export const PRECISIONS: ReadonlyArray<Precision> = Object.freeze(['float32', 'float64'] as const);

/** A schedule table: `Float32Array` for `'float32'` precision, `Float64Array` for `'float64'`. */
export type Table = Float32Array | Float64Array;

/** What {@link makeBetaSchedule} needs: diffusers' beta parameters in camelCase. */
export interface BetaScheduleSpec {
  readonly numTrainTimesteps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  /** Validated: one of {@link BETA_SCHEDULES}. */
  readonly betaSchedule: BetaSchedule | string;
  /** When given (non-null), used instead of `betaSchedule`; must hold `numTrainTimesteps` values in (0, 1]. */
  readonly trainedBetas?: ArrayLike<number> | null;
  /** Default `'float32'`. */
  readonly precision?: Precision;
  /**
   * The PyTorch CPU kernel family whose float32 `linspace` (and `sigmoid`) to reproduce; default
   * `'avx512'`. Ignored by the alpha-bar schedules, trained betas and `precision: 'float64'`.
   */
  readonly cpuCapability?: CpuCapability;
}

/** The tables every step reads, computed once from the betas. */
export interface ScheduleTables {
  readonly betas: Table;
  readonly alphas: Table;
  readonly alphasCumprod: Table;
}

/** What {@link timestepsFor} needs besides the spacing. `stepsOffset` (default 0) is used by `'leading'` only, as in diffusers. */
export interface TimestepRequest {
  readonly numTrainTimesteps: number;
  readonly numInferenceSteps: number;
  readonly stepsOffset?: number;
}
