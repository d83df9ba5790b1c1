/**
 * A model of the sampling chain for Gaussian data, simpler than the code under test: float64 tables and
 * timesteps written from the formulas, and the closed-form mean and variance of a linear-Gaussian chain.
 *
 * For data N(mu, s^2) (per coordinate) the exact x0 prediction is x0 = mu + k (x_t - a mu) with
 * k = a s^2 / (a^2 s^2 + b^2). A step of the form x_prev = c0 x0 + ct x_t + sd z (DDPM, and DDIM after
 * writing its eps as (x_t - a x0) / b) is then linear in (x_t, z), so with g = c0 k + ct:
 *   mean' = c0 mu (1 - k a) + g mean,   var' = g^2 var + sd^2.
 *
 * @module
 */
import type { Tensor } from '../src/tensor/index.js';

/** The spacings of the reference timesteps. */
export type ReferenceSpacing = 'leading' | 'trailing' | 'linspace';

/** diffusers' default linear betas (1e-4 .. 0.02 over T steps) in double. @example `linearBetas64()[999] // 0.02` */
export const linearBetas64 = (T = 1000, start = 0.0001, end = 0.02): Float64Array =>
  Float64Array.from({ length: T }, (_, i) => start + ((end - start) * i) / (T - 1));

/** alphaBar_t = prod_{i <= t} (1 - beta_i), in double. @example `alphasCumprod64([0.5, 0.5]) // [0.5, 0.25]` */
export const alphasCumprod64 = (betas: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(betas.length);
  let acc = 1;
  for (let i = 0; i < betas.length; i++) out[i] = acc *= 1 - (betas[i] as number);
  return out;
};

/**
 * Lin et al. (2023), Algorithm 1, in double, returning alphaBar directly: shift sqrt(alphaBar) so that its
 * last value is 0, scale so that its first value is kept, square.
 *
 * @example
 * ```ts
 * zeroSnrAlphasCumprod64(alphasCumprod64(linearBetas64()))[999]; // 0
 * ```
 */
export const zeroSnrAlphasCumprod64 = (alphasCumprod: ArrayLike<number>): Float64Array => {
  const n = alphasCumprod.length;
  const first = Math.sqrt(alphasCumprod[0] as number);
  const last = Math.sqrt(alphasCumprod[n - 1] as number);
  return Float64Array.from({ length: n }, (_, i) => {
    const scaled = ((Math.sqrt(alphasCumprod[i] as number) - last) * first) / (first - last);
    return i === n - 1 ? 0 : scaled * scaled;
  });
};

/**
 * The inference timesteps from the definitions of Lin et al. (2023), Table 2, in decreasing order.
 *
 * @example
 * ```ts
 * referenceTimesteps('trailing', 1000, 4); // [999, 749, 499, 249]
 * ```
 */
export const referenceTimesteps = (spacing: ReferenceSpacing, T: number, n: number, stepsOffset = 0): number[] => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    if (spacing === 'leading') out.push(i * Math.floor(T / n) + stepsOffset);
    else if (spacing === 'linspace') out.push(Math.round((i * (T - 1)) / (n - 1)));
    else out.push(Math.round(T - (i * T) / n) - 1);
  }
  return spacing === 'trailing' ? out : out.reverse();
};

/** One linear step x_prev = c0 x0 + ct x_t + sd z, with the alphaBar at which x0 is predicted. */
export interface LinearStep {
  readonly alphaBar: number;
  readonly c0: number;
  readonly ct: number;
  readonly sd: number;
}

const pairs = (table: ArrayLike<number>, timesteps: ReadonlyArray<number>) =>
  timesteps.map((t, i) => {
    const prev = timesteps[i + 1] ?? -1;
    return { t, abT: table[t] as number, abPrev: prev < 0 ? 1 : (table[prev] as number) };
  });

/**
 * The DDPM posterior steps (eq. 6-7) over a schedule: fixed_small uses beta-tilde, fixed_large beta; no noise at t = 0.
 *
 * @example
 * ```ts
 * ddpmSteps(table, [999, 499], 'fixed_small'); // two steps: 999 -> 499 -> clean
 * ```
 */
export const ddpmSteps = (
  table: ArrayLike<number>,
  timesteps: ReadonlyArray<number>,
  variance: 'fixed_small' | 'fixed_large' = 'fixed_small',
): LinearStep[] =>
  pairs(table, timesteps).map(({ t, abT, abPrev }) => {
    const beta = 1 - abT / abPrev;
    const c0 = (Math.sqrt(abPrev) * beta) / (1 - abT);
    const ct = (Math.sqrt(1 - beta) * (1 - abPrev)) / (1 - abT);
    const betaTilde = ((1 - abPrev) / (1 - abT)) * beta;
    const sd = t === 0 ? 0 : Math.sqrt(variance === 'fixed_small' ? betaTilde : beta);
    return { alphaBar: abT, c0, ct, sd };
  });

/**
 * The DDIM steps (Song et al. 2021, eq. 12 and 16) with diffusers' conventions: sigma = eta times the DDPM
 * posterior standard deviation, alphaBar 1 after the last step (`set_alpha_to_one`). With eps written as
 * (x_t - a x0) / b the step is x_prev = (sqrt(abPrev) - dir a / b) x0 + (dir / b) x_t + sigma z.
 *
 * @example
 * ```ts
 * ddimSteps(table, [980, 960], 0)[0].sd; // 0: deterministic
 * ```
 */
export const ddimSteps = (table: ArrayLike<number>, timesteps: ReadonlyArray<number>, eta: number): LinearStep[] =>
  pairs(table, timesteps).map(({ abT, abPrev }) => {
    const sigma = eta * Math.sqrt(((1 - abPrev) / (1 - abT)) * (1 - abT / abPrev));
    const dir = Math.sqrt(Math.max(1 - abPrev - sigma * sigma, 0));
    const a = Math.sqrt(abT);
    const b = Math.sqrt(1 - abT);
    return { alphaBar: abT, c0: Math.sqrt(abPrev) - (dir * a) / b, ct: dir / b, sd: sigma };
  });

/** The mean and variance of one coordinate. */
export interface Moments {
  readonly mean: number;
  readonly variance: number;
}

/**
 * The closed-form mean and variance of the chain's output for data N(mu, s^2) per coordinate, from a
 * start distribution (default N(0, 1), the initial noise).
 *
 * @example
 * ```ts
 * gaussianChainMoments(0.5, 0.3, ddpmSteps(table, timesteps)); // { mean: 0.49999..., variance: 0.0877... }
 * ```
 */
export const gaussianChainMoments = (
  mu: number,
  s: number,
  steps: ReadonlyArray<LinearStep>,
  start: Moments = { mean: 0, variance: 1 },
): Moments => {
  let { mean, variance } = start;
  for (const { alphaBar, c0, ct, sd } of steps) {
    const a = Math.sqrt(alphaBar);
    const k = (a * s * s) / (alphaBar * s * s + (1 - alphaBar));
    const g = c0 * k + ct;
    mean = c0 * mu * (1 - k * a) + g * mean;
    variance = g * g * variance + sd * sd;
  }
  return { mean, variance };
};

/** The sample mean and (unbiased) variance of every value of a tensor, pooled, in double, and their count. @example `sampleMoments(x).count // x.size` */
export const sampleMoments = (x: Tensor): Moments & { readonly count: number } => {
  const data = x.data;
  const n = data.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += data[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (data[i] as number) - mean;
    ss += d * d;
  }
  return { mean, variance: ss / (n - 1), count: n };
};

/**
 * How many standard errors the sample mean and variance of `count` independent Gaussian values lie from
 * the expected ones: SE(mean) = sqrt(var / n), SE(variance) = var sqrt(2 / (n - 1)).
 *
 * @example
 * ```ts
 * zScores(sampleMoments(x), { mean: 0, variance: 1 }); // { mean: z, variance: z }
 * ```
 */
export const zScores = (observed: Moments & { readonly count: number }, expected: Moments): { mean: number; variance: number } => ({
  mean: (observed.mean - expected.mean) / Math.sqrt(expected.variance / observed.count),
  variance: (observed.variance - expected.variance) / (expected.variance * Math.sqrt(2 / (observed.count - 1))),
});
