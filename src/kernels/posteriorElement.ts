/**
 * The specification of one element of the DDPM posterior step: what every fast pass, in JavaScript
 * or WebAssembly, computes for each index, bit for bit (each is tested against it element for element).
 *
 * The steps are numbered as diffusers numbers them in `DDPMScheduler.step`; equations are those of
 * Ho, Jain & Abbeel, "Denoising Diffusion Probabilistic Models" (2020). Step 1 (alphaBar_t, beta_t and
 * their square roots) and step 4 (the weights of eq. 7) are per-step scalars, computed once by the step
 * layer and handed over in {@link PassScalars}.
 *
 * Arithmetic: for a float32 table every product, sum and quotient is its own IEEE float32 op, in the
 * order diffusers' eager torch code runs them (torch does not fuse `a - b * c`); `Math.fround` of a
 * double op on float32 operands is exactly that float32 op. For a float64 table each element is
 * computed in double and rounded to float32 once, where it is stored.
 *
 * @module
 */
import { expOfKind } from './torchMath.js';
import {
  CLIP_CLAMP,
  CLIP_NONE,
  NOISE_LEARNED,
  NOISE_NONE,
  NOISE_SCALED,
  PREDICT_EPSILON,
  PREDICT_VELOCITY,
  type ClipMode,
  type PassScalars,
  type PredictionCode,
} from './types.js';

const { exp, fround, max, min, sqrt } = Math;

/** Rounds a double op's result as the pass's arithmetic does: to float32, or not at all. @internal */
export type Rounding = (x: number) => number;

const unrounded: Rounding = (x) => x;

/** The rounding of a pass: float32 ops, or double. @internal */
export const roundingOf = (float32: boolean): Rounding => (float32 ? fround : unrounded);

/**
 * 2. The predicted original sample x0 from the model output `m` and the sample `x`: eq. 15,
 * x0 = (x - sqrt(1 - abar) eps) / sqrt(abar), for epsilon; the output itself for `sample`; and
 * x0 = sqrt(abar) x - sqrt(1 - abar) v for v-prediction (Salimans & Ho 2022, eq. 2 rearranged).
 * `a` = sqrt(abar_t), `b` = sqrt(1 - abar_t).
 *
 * @internal
 */
export const predictedX0 = (prediction: PredictionCode, x: number, m: number, a: number, b: number, r: Rounding): number =>
  prediction === PREDICT_EPSILON ? r(r(x - r(b * m)) / a) : prediction === PREDICT_VELOCITY ? r(r(a * x) - r(b * m)) : m;

/**
 * 3. x0 clipped to [-c, c] (`clipSample`), or dynamically thresholded (Saharia et al. 2022, Imagen,
 * sec. 2.3): clamped at this item's threshold c, then divided by it. The clamp is
 * `Math.min(Math.max(y, -c), c)`: NaN stays NaN and -0 stays -0, as torch.clamp.
 *
 * @internal
 */
export const clippedX0 = (mode: ClipMode, y: number, c: number, r: Rounding): number => {
  if (mode === CLIP_NONE) return y;
  const clamped = min(max(y, -c), c);
  return mode === CLIP_CLAMP ? clamped : r(clamped / c);
};

/**
 * 6. The standard deviation sigma_t that multiplies the noise: the fixed variance types' scalar; for
 * `learned`, the square root of the model's variance channel `v` (a negative value counts as 0); for
 * `learned_range` (Nichol & Dhariwal 2021, eq. 15), exp of half the log-variance
 * frac log(beta_t) + (1 - frac) log(beta-tilde_t) with frac = (v + 1) / 2, the float32 exp being
 * torch's of the pass's kernel family (`expKind`).
 *
 * @internal
 */
export const noiseStd = (s: PassScalars, v: number, r: Rounding): number => {
  if (s.noise === NOISE_SCALED) return s.sd;
  if (s.noise === NOISE_LEARNED) return r(sqrt(max(v, 0)));
  const frac = r(r(v + 1) * 0.5);
  const logVariance = r(r(frac * s.maxLog) + r(r(1 - frac) * s.minLog));
  // float32: torch's exp of the kernel family (Sleef's or glibc's); float64: the double exp
  return r === unrounded ? exp(0.5 * logVariance) : expOfKind(s.expKind)(r(0.5 * logVariance));
};

/**
 * One element of the posterior step: from the sample `x`, the model output `m`, the noise `z` and the
 * variance channel `v` (read only by the kinds that use them), the stored float32 values of x0 and of
 * x_prev.
 *
 * @example
 * ```ts
 * const s = { float32: true, prediction: PREDICT_SAMPLE, clipMode: CLIP_CLAMP, noise: NOISE_SCALED,
 *   a: 1, b: 0, c: 1, c0: 0.5, ct: 0.5, sd: Math.fround(0.1), minLog: 0, maxLog: 0, expKind: EXP_SLEEF };
 * posteriorElement(Math.fround(0.2), 3, 1, 0, s) // [1, 0.7000000476837158]: x0 clipped to 1
 * ```
 * @internal
 */
export const posteriorElement = (x: number, m: number, z: number, v: number, s: PassScalars): readonly [x0: number, prev: number] => {
  const r = roundingOf(s.float32);
  const y = clippedX0(s.clipMode, predictedX0(s.prediction, x, m, s.a, s.b, r), s.c, r);
  // 5. the posterior mean mu~_t(x_t, x0) of eq. 7, with the weights of step 4
  const mean = r(r(s.c0 * y) + r(s.ct * x));
  // 6. plus sigma_t z for every timestep > 0
  const prev = s.noise === NOISE_NONE ? mean : r(mean + r(noiseStd(s, v, r) * z));
  return [fround(y), fround(prev)];
};
