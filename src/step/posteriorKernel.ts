import { isContiguous, type Tensor } from '../tensor/index.js';
import { torchQuantileInPlace } from './quantile.js';
import type { PosteriorCoefficients, StepOptions } from './types.js';
import {
  CLIP_CLAMP,
  CLIP_NONE,
  CLIP_THRESHOLD,
  NOISE_LEARNED,
  NOISE_NONE,
  NOISE_SCALED,
  PREDICT_EPSILON,
  PREDICT_SAMPLE,
  PREDICT_VELOCITY,
  wasmStepPass,
  type ClipMode,
  type PassScalars,
  type PredictionCode,
} from '../wasm/stepPass.js';
import { roundingFor } from './rounding.js';

// Module-level bindings: the hot loops call these once or more per element.
const { abs, exp, fround, sqrt } = Math;
// One grow-only scratch row for thresholding, so that repeated steps allocate nothing.
let scratch = new Float32Array(0);

const scratchOf = (n: number): Float32Array => {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch;
};

// Two arithmetics, chosen by the table's precision:
// - float32 tables follow diffusers' eager torch ops one by one: every product, sum and quotient is a
//   separate float32 op, rounded (torch does not fuse `a - b * c`). For float32 a, b, fround(a op b)
//   is exactly the IEEE float32 result, so these passes equal a numpy float32 transcription bit for bit.
// - float64 tables compute each element in double and round once, at the store.
// Both clamp exactly as Math.min(Math.max(y, -c), c) does, -0 and NaN included.
//
// The float32 pass runs block by block (BLOCK elements, which stay in L1): x0 into a scratch row, the
// clamp, then the mean and the noise, each a loop of its own. V8 neither vectorizes nor unswitches
// loops, so a branch on a mode inside one fused loop costs more than these passes over L1.

// Elements per block of the float32 pass.
const BLOCK = 256;
// x0 of the current block; only ever holds float32 values, so a store into it is the float32 rounding.
const rowX0 = new Float32Array(BLOCK);

/**
 * 2. x0 = (x - sqrt(1 - abar) m) / sqrt(abar) (eq. 15) in torch's float32 op order. The division is a
 * product with `inv = 1 / a` in double, rounded once to float32 by the store: that equals the IEEE float32
 * quotient for all float32 operands, since the double product is within 2^-52 (relative) of the quotient
 * and a quotient of 24-bit numbers is never closer than 2^-48 to a float32 rounding boundary.
 */
const x0Epsilon = (row: Float32Array, m: Float32Array, mo: number, s: Float32Array, so: number, n: number, b: number, inv: number): void => {
  for (let i = 0; i < n; i++) row[i] = fround((s[so + i] as number) - fround(b * (m[mo + i] as number))) * inv;
};

/** 2. x0 = sqrt(abar) x - sqrt(1 - abar) v: two rounded products, their difference rounded by the store. */
const x0Velocity = (row: Float32Array, m: Float32Array, mo: number, s: Float32Array, so: number, n: number, a: number, b: number): void => {
  for (let i = 0; i < n; i++) row[i] = fround(a * (s[so + i] as number)) - fround(b * (m[mo + i] as number));
};

/** 2. x0 = the model output. */
const x0Sample = (row: Float32Array, m: Float32Array, mo: number, n: number): void => {
  for (let i = 0; i < n; i++) row[i] = m[mo + i] as number;
};

/** 2. x0 of `n` elements into `row`, in float32. */
const x0Into = (
  row: Float32Array, prediction: PredictionCode, m: Float32Array, mo: number, s: Float32Array, so: number, n: number,
  a: number, b: number,
): void => {
  if (prediction === PREDICT_EPSILON) x0Epsilon(row, m, mo, s, so, n, b, 1 / a);
  else if (prediction === PREDICT_VELOCITY) x0Velocity(row, m, mo, s, so, n, a, b);
  else x0Sample(row, m, mo, n);
};

/**
 * Whether every |x0| of the row is below 2^29 c (their sum is; NaN and infinities make it false). There
 * clampFast is exact. Two sums, so that the adds do not wait on each other.
 */
const fastClampHolds = (row: Float32Array, n: number, c: number): boolean => {
  let even = 0;
  let odd = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    even += abs(row[i] as number);
    odd += abs(row[i + 1] as number);
  }
  if (i < n) even += abs(row[i] as number);
  return even + odd < c * 2 ** 29;
};

/**
 * 3. the row clamped to [-c, c] without a branch, times `invC` (1 to clip; 1 / c to threshold, which is
 * the float32 quotient by c as in x0Epsilon). max(y, -c) = y - min(0, y + c) and min(t, c) =
 * t - max(0, t - c), each min / max as (d -+ |d|) / 2: where no clamping happens the subtracted term is
 * exactly 0 (-0 stays -0); where it does, y + c and t - c are exact in double (two 24-bit significands
 * less than 30 binades apart, which fastClampHolds checks), so the result is exactly -c or c.
 * Math.min / Math.max (or comparisons) branch, and mispredict on noisy data.
 */
const clampFast = (row: Float32Array, n: number, c: number, invC: number): void => {
  for (let i = 0; i < n; i++) {
    const y = row[i] as number;
    const u = y + c;
    const t = y - 0.5 * (u - abs(u));
    const w = t - c;
    row[i] = (t - 0.5 * (w + abs(w))) * invC;
  }
};

/** 3. the row clamped with Math.min / Math.max, for rows with huge, infinite or NaN values. */
const clampExact = (row: Float32Array, n: number, c: number, invC: number): void => {
  for (let i = 0; i < n; i++) row[i] = Math.min(Math.max(row[i] as number, -c), c) * invC;
};

/** 4-5. x0 out, and x_prev = f(c0 x0) + f(ct x): the posterior mean of eq. 7 at timestep 0 (no noise). */
const meanOnly = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, row: Float32Array, s: Float32Array, so: number,
  n: number, c0: number, ct: number,
): void => {
  for (let i = 0; i < n; i++) {
    const x = s[so + i] as number;
    const y = row[i] as number;
    x0[xo + i] = y;
    prev[po + i] = fround(c0 * y) + fround(ct * x);
  }
};

/** 4-6. the mean plus f(sd noise): the four fixed variance types. */
const meanScaled = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, row: Float32Array, s: Float32Array, so: number,
  z: Float32Array, zo: number, n: number, c0: number, ct: number, sd: number,
): void => {
  for (let i = 0; i < n; i++) {
    const x = s[so + i] as number;
    const noise = z[zo + i] as number;
    const y = row[i] as number;
    x0[xo + i] = y;
    // the store rounds the last sum to float32
    prev[po + i] = fround(fround(c0 * y) + fround(ct * x)) + fround(sd * noise);
  }
};

/** 4-6. `learned`: the square root of the predicted variance (a negative one counts as 0) scales the noise. */
const meanLearned = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, row: Float32Array, s: Float32Array, so: number,
  z: Float32Array, zo: number, v: Float32Array, vo: number, n: number, c0: number, ct: number,
): void => {
  for (let i = 0; i < n; i++) {
    const x = s[so + i] as number;
    const noise = z[zo + i] as number;
    const variance = v[vo + i] as number;
    const y = row[i] as number;
    x0[xo + i] = y;
    // (v + |v|) / 2 is max(v, +0) without a branch; sqrt is IEEE, so fround(sqrt) is torch's `v ** 0.5`
    const std = fround(sqrt(0.5 * (variance + abs(variance))));
    prev[po + i] = fround(fround(c0 * y) + fround(ct * x)) + fround(std * noise);
  }
};

/** 4-6. `learned_range`: the model's value in [-1, 1] interpolates the log-variance between beta-tilde and beta. */
const meanRange = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, row: Float32Array, s: Float32Array, so: number,
  z: Float32Array, zo: number, v: Float32Array, vo: number, n: number, c0: number, ct: number,
  minLog: number, maxLog: number,
): void => {
  for (let i = 0; i < n; i++) {
    const x = s[so + i] as number;
    const noise = z[zo + i] as number;
    // frac = (v + 1) / 2 and log-variance = frac maxLog + (1 - frac) minLog, each op in float32
    const frac = fround(fround((v[vo + i] as number) + 1) * 0.5);
    const logVariance = fround(fround(frac * maxLog) + fround(fround(1 - frac) * minLog));
    // exp is not an IEEE op: Math.exp rounded once is the correctly rounded float32 value (torch: within 1 ulp)
    const std = fround(exp(fround(0.5 * logVariance)));
    const y = row[i] as number;
    x0[xo + i] = y;
    prev[po + i] = fround(fround(c0 * y) + fround(ct * x)) + fround(std * noise);
  }
};

/**
 * The float32 pass of one batch item, block by block. `z` null: no noise; `v` null: a scalar deviation;
 * otherwise `learned`, or `learned_range` when `range`.
 */
const itemFloat32 = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array | null, zo: number, v: Float32Array | null, vo: number, len: number,
  k: PassScalars, range: boolean, minLog: number, maxLog: number,
): void => {
  const { prediction, clipMode, a, b, c, c0, ct, sd } = k;
  const invC = clipMode === CLIP_THRESHOLD ? 1 / c : 1;
  const row = rowX0;
  for (let from = 0; from < len; from += BLOCK) {
    const n = len - from < BLOCK ? len - from : BLOCK;
    x0Into(row, prediction, m, mo + from, s, so + from, n, a, b);
    if (clipMode !== CLIP_NONE) {
      if (fastClampHolds(row, n, c)) clampFast(row, n, c, invC);
      else clampExact(row, n, c, invC);
    }
    const p = po + from;
    const xi = xo + from;
    const si = so + from;
    if (z === null) meanOnly(prev, p, x0, xi, row, s, si, n, c0, ct);
    else if (v === null) meanScaled(prev, p, x0, xi, row, s, si, z, zo + from, n, c0, ct, sd);
    else if (range) meanRange(prev, p, x0, xi, row, s, si, z, zo + from, v, vo + from, n, c0, ct, minLog, maxLog);
    else meanLearned(prev, p, x0, xi, row, s, si, z, zo + from, v, vo + from, n, c0, ct);
  }
};

// The float32 pass over operands that share one index (the fixed variance types over contiguous tensors)
// runs block by block in two loops: x0 into the L1 row with the sum of |x0|, then the clamp, the mean and
// the noise in one loop per (clip mode, noise or not). One fused loop is slower: its chain of dependent
// float32 roundings (each fround is two conversions) is so long that the processor overlaps too few
// iterations; two shorter loops keep it busy. The sum decides, before anything is written, whether the
// branchless clamp is exact for the block.

/** 2. x0 = (x - sqrt(1 - abar) m) / sqrt(abar) into row[0, n), as x0Epsilon; returns the sum of |x0|. */
const rowEpsilon = (row: Float32Array, m: Float32Array, s: Float32Array, lo: number, n: number, b: number, inv: number): number => {
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = fround(fround((s[lo + r] as number) - fround(b * (m[lo + r] as number))) * inv);
    row[r] = y;
    sum += abs(y);
  }
  return sum;
};

/** 2. x0 = sqrt(abar) x - sqrt(1 - abar) v into row[0, n); returns the sum of |x0|. */
const rowVelocity = (row: Float32Array, m: Float32Array, s: Float32Array, lo: number, n: number, a: number, b: number): number => {
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = fround(fround(a * (s[lo + r] as number)) - fround(b * (m[lo + r] as number)));
    row[r] = y;
    sum += abs(y);
  }
  return sum;
};

/** 2. x0 = the model output into row[0, n); returns the sum of |x0|. */
const rowSample = (row: Float32Array, m: Float32Array, lo: number, n: number): number => {
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = m[lo + r] as number;
    row[r] = y;
    sum += abs(y);
  }
  return sum;
};

// The second loops. The clamp is clampFast's with its two corrections side by side,
// y - ((u - |u|) + (w + |w|)) / 2 with u = y + c, w = y - c: at most one correction is non-zero, and
// neither waits on the other, which shortens the chain. Each loop reads every input of index i before it
// writes an output there, so that an output may be the very same view as an input.

/** 4-6. x0 as the row holds it, then the mean plus f(sd noise). */
const meanNoiseFree = (
  prev: Float32Array, x0: Float32Array, s: Float32Array, z: Float32Array, row: Float32Array, lo: number, n: number,
  c0: number, ct: number, sd: number,
): void => {
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const x = s[i] as number;
    const noise = z[i] as number;
    const y = row[r] as number;
    x0[i] = y;
    prev[i] = fround(fround(c0 * y) + fround(ct * x)) + fround(sd * noise);
  }
};

/** 4-5. x0 as the row holds it, then the mean (timestep 0). */
const meanFree = (
  prev: Float32Array, x0: Float32Array, s: Float32Array, row: Float32Array, lo: number, n: number, c0: number, ct: number,
): void => {
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const x = s[i] as number;
    const y = row[r] as number;
    x0[i] = y;
    prev[i] = fround(c0 * y) + fround(ct * x);
  }
};

/** 3-6. x0 clamped to [-c, c], then the mean plus f(sd noise). */
const meanNoiseClamp = (
  prev: Float32Array, x0: Float32Array, s: Float32Array, z: Float32Array, row: Float32Array, lo: number, n: number,
  c: number, c0: number, ct: number, sd: number,
): void => {
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const x = s[i] as number;
    const noise = z[i] as number;
    const raw = row[r] as number;
    const u = raw + c;
    const w = raw - c;
    const y = raw - 0.5 * (u - abs(u) + (w + abs(w)));
    x0[i] = y;
    prev[i] = fround(fround(c0 * y) + fround(ct * x)) + fround(sd * noise);
  }
};

/** 3-5. x0 clamped to [-c, c], then the mean (timestep 0). */
const meanClamp = (
  prev: Float32Array, x0: Float32Array, s: Float32Array, row: Float32Array, lo: number, n: number,
  c: number, c0: number, ct: number,
): void => {
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const x = s[i] as number;
    const raw = row[r] as number;
    const u = raw + c;
    const w = raw - c;
    const y = raw - 0.5 * (u - abs(u) + (w + abs(w)));
    x0[i] = y;
    prev[i] = fround(c0 * y) + fround(ct * x);
  }
};

/** 3-6. x0 thresholded at c (clamped, then the float32 quotient by c as a product with invC), mean plus noise. */
const meanNoiseThreshold = (
  prev: Float32Array, x0: Float32Array, s: Float32Array, z: Float32Array, row: Float32Array, lo: number, n: number,
  c: number, invC: number, c0: number, ct: number, sd: number,
): void => {
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const x = s[i] as number;
    const noise = z[i] as number;
    const raw = row[r] as number;
    const u = raw + c;
    const w = raw - c;
    const y = fround((raw - 0.5 * (u - abs(u) + (w + abs(w)))) * invC);
    x0[i] = y;
    prev[i] = fround(fround(c0 * y) + fround(ct * x)) + fround(sd * noise);
  }
};

/** 3-5. x0 thresholded at c, then the mean (timestep 0). */
const meanThreshold = (
  prev: Float32Array, x0: Float32Array, s: Float32Array, row: Float32Array, lo: number, n: number,
  c: number, invC: number, c0: number, ct: number,
): void => {
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const x = s[i] as number;
    const raw = row[r] as number;
    const u = raw + c;
    const w = raw - c;
    const y = fround((raw - 0.5 * (u - abs(u) + (w + abs(w)))) * invC);
    x0[i] = y;
    prev[i] = fround(c0 * y) + fround(ct * x);
  }
};

// Elements per block of the shared-index float32 pass (the row stays in L1).
const ROW_BLOCK = 512;
const rowShared = new Float32Array(ROW_BLOCK);

/**
 * The float32 pass over [lo, hi) of operands that share one index, `z` null for no noise. Each block's
 * x0 goes into the row first, so an output may be the very same view as an input.
 */
const rangeFloat32 = (
  prev: Float32Array, x0: Float32Array, m: Float32Array, s: Float32Array, z: Float32Array | null, lo: number,
  hi: number, k: PassScalars,
): void => {
  const { prediction, a, b, c, c0, ct, sd } = k;
  const inv = 1 / a;
  const invC = k.clipMode === CLIP_THRESHOLD ? 1 / c : 1;
  // below this sum of |x0| every |x0| of the block is below 2^29 c, where the branchless clamp is exact
  const bound = c * 2 ** 29;
  const row = rowShared;
  for (let from = lo; from < hi; from += ROW_BLOCK) {
    const n = hi - from < ROW_BLOCK ? hi - from : ROW_BLOCK;
    const sum =
      prediction === PREDICT_EPSILON
        ? rowEpsilon(row, m, s, from, n, b, inv)
        : prediction === PREDICT_VELOCITY
          ? rowVelocity(row, m, s, from, n, a, b)
          : rowSample(row, m, from, n);
    let clipMode = k.clipMode;
    if (clipMode !== CLIP_NONE && !(sum < bound)) {
      // huge, infinite or NaN values: the exact clamp, then the block as if unclipped
      clampExact(row, n, c, invC);
      clipMode = CLIP_NONE;
    }
    if (z === null) {
      if (clipMode === CLIP_NONE) meanFree(prev, x0, s, row, from, n, c0, ct);
      else if (clipMode === CLIP_CLAMP) meanClamp(prev, x0, s, row, from, n, c, c0, ct);
      else meanThreshold(prev, x0, s, row, from, n, c, invC, c0, ct);
    } else if (clipMode === CLIP_NONE) meanNoiseFree(prev, x0, s, z, row, from, n, c0, ct, sd);
    else if (clipMode === CLIP_CLAMP) meanNoiseClamp(prev, x0, s, z, row, from, n, c, c0, ct, sd);
    else meanNoiseThreshold(prev, x0, s, z, row, from, n, c, invC, c0, ct, sd);
  }
};

/** 2. x0 in double (eq. 15, the identity, or the v form), rounded only where the caller stores it. */
const x0Float64 = (prediction: PredictionCode, x: number, m: number, a: number, b: number): number =>
  prediction === PREDICT_EPSILON ? (x - b * m) / a : prediction === PREDICT_VELOCITY ? a * x - b * m : m;

/** 3. clip or threshold in double (clampFast is exact for float32 values only). */
const clipFloat64 = (mode: ClipMode, y: number, c: number): number =>
  mode === CLIP_NONE ? y : mode === CLIP_CLAMP ? Math.min(Math.max(y, -c), c) : Math.min(Math.max(y, -c), c) / c;

/** The double-precision pass for float64 tables: no noise, a scalar deviation, or `learned`. */
const loopFloat64 = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array | null, zo: number, v: Float32Array | null, vo: number, len: number,
  k: PassScalars,
): void => {
  const { prediction, clipMode, a, b, c, c0, ct, sd } = k;
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    const y = clipFloat64(clipMode, x0Float64(prediction, x, m[mo + i] as number, a, b), c);
    let r = c0 * y + ct * x;
    if (z !== null) {
      const variance = v === null ? 0 : (v[vo + i] as number);
      r += (v === null ? sd : sqrt(0.5 * (variance + abs(variance)))) * (z[zo + i] as number);
    }
    x0[xo + i] = y;
    prev[po + i] = r;
  }
};

/** `learned_range` in double. */
const loopRangeFloat64 = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array, zo: number, v: Float32Array, vo: number, len: number,
  k: PassScalars, minLog: number, maxLog: number,
): void => {
  const { prediction, clipMode, a, b, c, c0, ct } = k;
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    const y = clipFloat64(clipMode, x0Float64(prediction, x, m[mo + i] as number, a, b), c);
    const frac = ((v[vo + i] as number) + 1) * 0.5;
    const noise = z[zo + i] as number;
    x0[xo + i] = y;
    prev[po + i] = c0 * y + ct * x + exp(0.5 * (frac * maxLog + (1 - frac) * minLog)) * noise;
  }
};

/** Whether one set of coefficients serves every batch item or each item has its own. @internal */
export const isCoefficientList = (
  c: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
): c is ReadonlyArray<PosteriorCoefficients> => Array.isArray(c);

/** The dynamic threshold of one batch item: |x0| into scratch, its quantile, clamped to [1, sampleMaxValue]. */
const thresholdOf = (
  m: Float32Array, mo: number, s: Float32Array, so: number, len: number,
  prediction: PredictionCode, a: number, b: number, options: StepOptions, float32: boolean,
): number => {
  // read before the loops: an optimized loop entered mid-way has no feedback for reads after it (V8 deopts)
  const ratio = options.dynamicThresholdingRatio;
  const maxValue = float32 ? fround(options.sampleMaxValue) : options.sampleMaxValue;
  const row = scratchOf(len);
  // stored as float32, like the float32 tensor torch.quantile reads; x0 as the pass computes it
  if (float32) {
    x0Into(row, prediction, m, mo, s, so, len, a, b);
    for (let i = 0; i < len; i++) row[i] = abs(row[i] as number);
  } else {
    for (let i = 0; i < len; i++) row[i] = abs(x0Float64(prediction, s[so + i] as number, m[mo + i] as number, a, b));
  }
  const quantile = torchQuantileInPlace(row, 0, len, ratio, float32);
  // torch.clamp(s, min=1, max=sampleMaxValue): the max wins, so a sampleMaxValue below 1 is the threshold
  return Math.min(Math.max(quantile, 1), maxValue);
};

const predictionCode = (options: StepOptions): PredictionCode =>
  options.predictionType === 'epsilon'
    ? PREDICT_EPSILON
    : options.predictionType === 'v_prediction'
      ? PREDICT_VELOCITY
      : PREDICT_SAMPLE;

// The tensor's data from its first element on, so that element j of it is index j (a view only when the
// offset is not 0, once per call).
const rebased = (t: Tensor): Float32Array => (t.offset === 0 ? t.data : t.data.subarray(t.offset));

/**
 * The fixed variance types over tensors that are each one contiguous block of the sample's shape: batch
 * item k is the index range [k len, (k + 1) len) of every operand. With one set of coefficients and no
 * thresholding the whole batch is one range, one pass.
 */
const runUniform = (
  prevSample: Tensor, predOriginalSample: Tensor, modelOutput: Tensor, sample: Tensor, noise: Tensor | null,
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>, options: StepOptions,
  batch: number, len: number, float32: boolean, prediction: PredictionCode,
): void => {
  const perItem = isCoefficientList(coefficients);
  const r = roundingFor(float32);
  const whole = !perItem && !options.thresholding;
  const count = whole ? 1 : batch;
  const span = whole ? batch * len : len;
  const clipRange = r(options.clipSampleRange);
  const [pd, xd, md, sd] = [rebased(prevSample), rebased(predOriginalSample), rebased(modelOutput), rebased(sample)];
  const zd = noise === null ? null : rebased(noise);
  for (let item = 0; item < count; item++) {
    const k = (perItem ? coefficients[item] : coefficients) as PosteriorCoefficients;
    const lo = item * span;
    // float32 scalars, as the float32 ops (and step32's f32 parameters) take them
    const a = r(k.sqrtAlphaProdT);
    const b = r(k.sqrtBetaProdT);
    // 3. clip to the configured range, or threshold at this item's quantile of |x0|
    let clipMode: ClipMode = options.clipSample ? CLIP_CLAMP : CLIP_NONE;
    let c = clipRange;
    if (options.thresholding) {
      clipMode = CLIP_THRESHOLD;
      c = thresholdOf(md, lo, sd, lo, len, prediction, a, b, options, float32);
    }
    // 4-5. the posterior mean of eq. 7 (coefficients precomputed), then 6. the noise term
    const scalars: PassScalars = {
      float32, prediction, clipMode, a, b, c,
      c0: r(k.predOriginalSampleCoeff),
      ct: r(k.currentSampleCoeff),
      sd: r(k.noiseScale),
    };
    const z = k.addsNoise ? zd : null;
    const at = (t: Tensor) => ({ data: t.data, offset: t.offset + lo });
    // The WebAssembly backend runs the same operations (bit-identical), over the whole range at once.
    const done = wasmStepPass(
      at(prevSample), at(predOriginalSample), at(modelOutput), at(sample), z === null ? null : at(noise as Tensor), null,
      span, z === null ? NOISE_NONE : NOISE_SCALED, scalars,
    );
    if (done) continue;
    if (float32) rangeFloat32(pd, xd, md, sd, z, lo, lo + span, scalars);
    else loopFloat64(pd, lo, xd, lo, md, lo, sd, lo, z, lo, null, 0, span, scalars);
  }
};

/**
 * The fused posterior pass over validated tensors whose batch items are each contiguous
 * (`isContiguous(t, 1)`). `variance` is the model's variance half for the learned types, `noise` is
 * null when no item adds noise, `coefficients` is one set or one per batch item. Reads every input element
 * before writing the same index of the outputs, so an output may be the very same view as an input.
 *
 * @internal
 */
export const runPosterior = (
  prevSample: Tensor,
  predOriginalSample: Tensor,
  modelOutput: Tensor,
  variance: Tensor | null,
  sample: Tensor,
  noise: Tensor | null,
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  options: StepOptions,
): void => {
  const perItem = isCoefficientList(coefficients);
  const batch = sample.shape[0] as number;
  let len = 1;
  for (let d = 1; d < sample.shape.length; d++) len *= sample.shape[d] as number;
  const first = perItem ? coefficients[0] : coefficients;
  const float32 = first?.precision !== 'float64';
  const clipRange = float32 ? fround(options.clipSampleRange) : options.clipSampleRange;
  const varianceType = options.varianceType;
  const prediction = predictionCode(options);
  const learned = varianceType === 'learned' || varianceType === 'learned_range';
  if (!learned && [prevSample, predOriginalSample, modelOutput, sample, ...(noise === null ? [] : [noise])].every((t) => isContiguous(t))) {
    runUniform(prevSample, predOriginalSample, modelOutput, sample, noise, coefficients, options, batch, len, float32, prediction);
    return;
  }
  for (let item = 0; item < batch; item++) {
    const k = (perItem ? coefficients[item] : coefficients) as PosteriorCoefficients;
    const po = prevSample.offset + item * (prevSample.stride[0] as number);
    const xo = predOriginalSample.offset + item * (predOriginalSample.stride[0] as number);
    const mo = modelOutput.offset + item * (modelOutput.stride[0] as number);
    const so = sample.offset + item * (sample.stride[0] as number);
    // float32 scalars, as the float32 ops (and step32's f32 parameters) take them
    const r = roundingFor(float32);
    const a = r(k.sqrtAlphaProdT);
    const b = r(k.sqrtBetaProdT);
    // 3. clip to the configured range, or threshold at this item's quantile of |x0|
    let clipMode: ClipMode = options.clipSample ? CLIP_CLAMP : CLIP_NONE;
    let c = clipRange;
    if (options.thresholding) {
      clipMode = CLIP_THRESHOLD;
      c = thresholdOf(modelOutput.data, mo, sample.data, so, len, prediction, a, b, options, float32);
    }
    // 4-5. the posterior mean of eq. 7 (coefficients precomputed), then 6. the noise term
    const scalars: PassScalars = {
      float32, prediction, clipMode, a, b, c,
      c0: r(k.predOriginalSampleCoeff),
      ct: r(k.currentSampleCoeff),
      sd: r(k.noiseScale),
    };
    const pd = prevSample.data;
    const xd = predOriginalSample.data;
    const md = modelOutput.data;
    const sdata = sample.data;
    // The WebAssembly backend runs the same operations (bit-identical); learned_range's exp stays here.
    const prevOp = { data: pd, offset: po };
    const x0Op = { data: xd, offset: xo };
    const modelOp = { data: md, offset: mo };
    const sampleOp = { data: sdata, offset: so };
    if (!k.addsNoise || noise === null) {
      if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, null, null, len, NOISE_NONE, scalars)) {
        if (float32) itemFloat32(pd, po, xd, xo, md, mo, sdata, so, null, 0, null, 0, len, scalars, false, 0, 0);
        else loopFloat64(pd, po, xd, xo, md, mo, sdata, so, null, 0, null, 0, len, scalars);
      }
      continue;
    }
    const zd = noise.data;
    const zo = noise.offset + item * (noise.stride[0] as number);
    const noiseOp = { data: zd, offset: zo };
    if (varianceType === 'learned' || varianceType === 'learned_range') {
      const v = variance as Tensor;
      const vd = v.data;
      const vo = v.offset + item * (v.stride[0] as number);
      if (varianceType === 'learned_range') {
        if (float32) {
          itemFloat32(pd, po, xd, xo, md, mo, sdata, so, zd, zo, vd, vo, len, scalars, true, r(k.minLogVariance), r(k.maxLogVariance));
        } else {
          loopRangeFloat64(pd, po, xd, xo, md, mo, sdata, so, zd, zo, vd, vo, len, scalars, k.minLogVariance, k.maxLogVariance);
        }
      } else if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, noiseOp, { data: vd, offset: vo }, len, NOISE_LEARNED, scalars)) {
        if (float32) itemFloat32(pd, po, xd, xo, md, mo, sdata, so, zd, zo, vd, vo, len, scalars, false, 0, 0);
        else loopFloat64(pd, po, xd, xo, md, mo, sdata, so, zd, zo, vd, vo, len, scalars);
      }
    } else if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, noiseOp, null, len, NOISE_SCALED, scalars)) {
      if (float32) itemFloat32(pd, po, xd, xo, md, mo, sdata, so, zd, zo, null, 0, len, scalars, false, 0, 0);
      else loopFloat64(pd, po, xd, xo, md, mo, sdata, so, zd, zo, null, 0, len, scalars);
    }
  }
};
