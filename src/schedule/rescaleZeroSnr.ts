import { betasOrThrow } from './checkBetas.js';
import { cumulativeProduct, emptyLike, oneMinus } from './internal.js';
import type { Table } from './types.js';

/**
 * Rescales betas so that the last timestep has zero signal-to-noise ratio (Lin et al. 2023, "Common
 * Diffusion Noise Schedules and Sample Steps are Flawed", Algorithm 1): sqrt(alphasCumprod) is shifted so
 * that its last value is 0 and scaled so that its first value is unchanged, then turned back into betas.
 *
 * Pure: returns a new table of the same type. A Float32Array is rescaled in float32 ops in diffusers'
 * order (cumprod accumulated in double, as torch does), a Float64Array in double.
 *
 * Where diffusers divides 0 by 0 we define the result: with a single beta (T = 1), or whenever
 * sqrt(alphasCumprod) is constant, the shift leaves nothing to scale and every beta becomes 1; a ratio
 * alphaBar[t] / alphaBar[t - 1] with alphaBar[t - 1] = 0 (the product underflowed) is 0, so that beta is 1.
 * diffusers returns NaN betas in both cases. Throws a `SchedulerException` (InvalidBetas) unless
 * `betas` is a Float32Array or Float64Array of 1 to 1 000 000 values in (0, 1] (a beta above 1 would
 * make a negative alpha and NaN roots).
 *
 * @example
 * ```ts
 * const betas = rescaleZeroSnr(new Float32Array([0.1, 0.2, 0.3]));
 * betas[2]; // 1: alphasCumprod[2] becomes exactly 0
 * ```
 */
export const rescaleZeroSnr = (input: Table): Table => {
  const betas = betasOrThrow(input, 'betas');
  const n = betas.length;
  // a Float32Array store rounds every intermediate to float32, as torch's float32 ops do
  const rootBar = cumulativeProduct(oneMinus(betas));
  for (let i = 0; i < n; i++) rootBar[i] = Math.sqrt(rootBar[i] as number);
  const first = rootBar[0] as number;
  const last = rootBar[n - 1] as number;
  const round = betas instanceof Float32Array ? Math.fround : (x: number) => x;
  const span = round(first - last);
  const scale = span === 0 ? 1 : round(first / span);
  for (let i = 0; i < n; i++) {
    const shifted = round((rootBar[i] as number) - last);
    rootBar[i] = shifted * scale;
  }
  const bar = rootBar;
  for (let i = 0; i < n; i++) bar[i] = (bar[i] as number) * (bar[i] as number);
  const out = emptyLike(betas);
  out[0] = 1 - (bar[0] as number);
  for (let i = 1; i < n; i++) {
    const previous = bar[i - 1] as number;
    const alpha = previous === 0 ? 0 : round((bar[i] as number) / previous);
    out[i] = 1 - alpha;
  }
  return out;
};
