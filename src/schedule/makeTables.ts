import { betasOrThrow } from './checkBetas.js';
import { cumulativeProduct, oneMinus } from './internal.js';
import type { ScheduleTables, Table } from './types.js';

/**
 * The tables a scheduler reads: `alphas = 1 - betas` and `alphasCumprod`, their running product.
 * Precision follows the array type: a Float32Array gives float32 tables as diffusers' (the product is
 * accumulated in double and stored in float32, as torch's CPU cumprod does), a Float64Array double ones.
 *
 * Returns a frozen value holding a copy of `betas`; none of its arrays is written afterwards. Throws a
 * `SchedulerException` (InvalidBetas) unless `betas` is a Float32Array or Float64Array of 1 to
 * 1 000 000 values in (0, 1].
 *
 * @example
 * ```ts
 * const { alphasCumprod } = makeTables(new Float32Array([0.5, 0.5]));
 * alphasCumprod; // Float32Array [0.5, 0.25]
 * ```
 */
export const makeTables = (betas: Table): ScheduleTables => {
  const checked = betasOrThrow(betas, 'betas');
  const alphas = oneMinus(checked);
  return Object.freeze({ betas: checked.slice(), alphas, alphasCumprod: cumulativeProduct(alphas) });
};
