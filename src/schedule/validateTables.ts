import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import type { ScheduleTables } from './types.js';

/** What a table check needs to know of the config besides the tables. */
export interface TableUse {
  /** How the betas were given, for the message: `'trainedBetas'`, or the schedule's parameters. */
  readonly source: string;
  /** Whether `varianceType` is `'learned_range'`, which takes log(beta_t) of every step. */
  readonly learnedRange: boolean;
  /** Whether `predictionType` is `'epsilon'`, which divides by sqrt(alphaBar_t) (eq. 15). */
  readonly epsilonPrediction: boolean;
}

/** The smallest positive float32, 2^-149: the smallest alphaBar a float32 table can hold. */
const MIN_POSITIVE_FLOAT32 = 2 ** -149;

/**
 * Checks that every step of the tables has a finite posterior (issue 15: no NaN from an accepted
 * config), on the final tables (after any zero-SNR rescale):
 *
 * 1. `alphasCumprod` may be 0 at the last timestep only (where `rescaleBetasZeroSnr` puts it, and
 *    where a beta of 1 at T - 1 puts it). Once it is 0 at t < T - 1, the step from t + 1 divides
 *    alphaBar_{t+1} / alphaBar_t = 0 / 0 for every prediction type (diffusers returns NaN there too):
 *    the product underflowed (betaEnd 0.999 over 1000 steps) or a beta of 1 came early (betaStart 1).
 * 2. For `learned_range`, `alphasCumprod` strictly decreases wherever it is < 1. A repeated value
 *    (betas too small to change the product in the table's precision) makes that step's
 *    beta_t = 1 - alphaBar_t / alphaBar_prev exactly 0, so log(beta_t) = -inf, and Nichol & Dhariwal's
 *    interpolation frac log(beta_t) + (1 - frac) log(beta-tilde_t) is NaN at frac = 0 and +inf below
 *    it (diffusers: the same). Strict decrease keeps beta_t >= 2^-24 (2^-53 in double) at every step
 *    pair, so the log is finite. Where the value is 1 there is no noise and `step` refuses the
 *    timestep already.
 * 3. For `epsilon`, `alphasCumprod` is 0 or >= 2^-149 (float32's smallest positive value, so this
 *    only limits float64 tables). x0 = (x_t - sqrt(1 - alphaBar_t) eps) / sqrt(alphaBar_t) is stored
 *    in float32: a double alphaBar of 1e-75 makes it 1e38 times the inputs, +inf. Below 2^-149 the
 *    quotient stays under 3e22 times the inputs, as with any float32 table. (Where it is 0, `step`
 *    refuses epsilon: `ZeroTerminalSnr`.)
 *
 * @example
 * ```ts
 * validateTables(makeTables(new Float32Array([1, 0.5])), { source: 'trainedBetas', learnedRange: false, epsilonPrediction: true })
 * // left: InvalidBetas, 'alphasCumprod[0]: received 0; allowed: > 0 before the last timestep (1) ...'
 * ```
 */
export const validateTables = (tables: ScheduleTables, use: TableUse): E.Either<SchedulerError, ScheduleTables> => {
  const a: unknown = typeof tables === 'object' && tables !== null ? tables.alphasCumprod : undefined;
  if (!(a instanceof Float32Array) && !(a instanceof Float64Array)) {
    return E.left(schedulerError('InvalidTensor', 'tables.alphasCumprod', a, 'the tables of makeTables (a Float32Array or Float64Array alphasCumprod)'));
  }
  if (typeof use !== 'object' || use === null) {
    return E.left(schedulerError('InvalidOption', 'use', use, 'an object { source, learnedRange, epsilonPrediction }'));
  }
  const last = a.length - 1;
  for (let t = 0; t < last; t++) {
    if ((a[t] as number) === 0) {
      return E.left(
        schedulerError(
          'InvalidBetas',
          `alphasCumprod[${t}]`,
          0,
          `> 0 before the last timestep (${last}); only the last may be 0, as rescaleBetasZeroSnr makes it`,
          `${use.source} drive alphasCumprod to 0 at timestep ${t} of ${a.length}, so the step from ${t + 1} is 0 / 0 for every prediction type`,
        ),
      );
    }
  }
  if (use.learnedRange) {
    for (let t = 1; t <= last; t++) {
      const value = a[t] as number;
      if (value < 1 && value === (a[t - 1] as number)) {
        return E.left(
          schedulerError(
            'InvalidBetas',
            `alphasCumprod[${t}]`,
            value,
            `< alphasCumprod[${t - 1}] for varianceType 'learned_range' (strictly decreasing wherever < 1)`,
            `${use.source} leave alphasCumprod unchanged from timestep ${t - 1} to ${t}: beta_t is 0 there and learned_range takes its log`,
          ),
        );
      }
    }
  }
  if (use.epsilonPrediction) {
    for (let t = 0; t <= last; t++) {
      const value = a[t] as number;
      if (value > 0 && value < MIN_POSITIVE_FLOAT32) {
        return E.left(
          schedulerError(
            'InvalidBetas',
            `alphasCumprod[${t}]`,
            value,
            "0 or >= 2^-149 (float32's smallest positive value) for predictionType 'epsilon'",
            `${use.source} make alphasCumprod ${value} at timestep ${t}: x0 = (x - sqrt(1 - alphaBar) eps) / sqrt(alphaBar) overflows float32 there`,
          ),
        );
      }
    }
  }
  return E.right(tables);
};
