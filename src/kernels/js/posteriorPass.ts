/**
 * The posterior pass of the JavaScript kernels: {@link posteriorElement} over `len` contiguous
 * elements, bit for bit, fast.
 *
 * A float32 pass runs block by block (BLOCK elements, which stay in L1): one loop per prediction type
 * writes the block's x0 into a float32 row and sums |x0|; one loop clamps (or thresholds) the row in
 * place; one loop per noise kind writes x0 and x_prev. V8 neither vectorizes nor unswitches loops, so
 * each mode gets straight loops of its own rather than a branch per element (a clip branch inside the
 * mean loops measured 10-20 % slower); diffusers' default (clipSample with a fixed variance type) has its
 * clamp fused into its mean loop. One fused loop per block was measured slower than these two or three
 * (its chain of dependent float32 roundings is too long for the processor to overlap iterations).
 *
 * The clamp is branchless (Math.min / Math.max or comparisons mispredict on noisy data):
 * max(y, -c) = y - min(0, y + c) and min(t, c) = t - max(0, t - c), each min / max as (d -+ |d|) / 2,
 * and at most one correction is non-zero, so y - ((u - |u|) + (w + |w|)) / 2 with u = y + c, w = y - c.
 * Where no clamping happens the correction is exactly 0 (-0 stays -0); where it does, y + c and y - c are
 * exact in double when |y| < 2^29 c (two 24-bit significands less than 30 binades apart), so the result
 * is exactly -c or c. The sum of |x0| tells whether that holds for every element of the block (NaN and
 * infinities make it false); a block where it does not is computed by the specification itself.
 *
 * @module
 */
import { posteriorElement } from '../posteriorElement.js';
import { expOfKind } from '../torchMath.js';
import {
  CLIP_CLAMP,
  CLIP_NONE,
  CLIP_THRESHOLD,
  NOISE_LEARNED,
  NOISE_NONE,
  NOISE_SCALED,
  PREDICT_EPSILON,
  PREDICT_VELOCITY,
  type Operand,
  type PassOperands,
  type PassScalars,
} from '../types.js';

// Module-level bindings: under some runtimes (jest's module wrapper) a global Math lookup per element
// costs hundreds of nanoseconds.
const { abs, exp, fround, max, min, sqrt } = Math;

/** Elements per block of the float32 pass. */
const BLOCK = 512;
/** The block's x0; a store into it is the float32 rounding. */
const row = new Float32Array(BLOCK);

/**
 * The operands with one shared index: every operand but the variance at the same offset, so that the
 * loops index them all with one `i` (separate offsets measured about 15 % slower). Operands at different
 * offsets are rebased onto subarrays that start at their first element.
 */
const sharingIndex = (o: PassOperands, len: number): PassOperands => {
  const at = o.sample.offset;
  if (o.prev.offset === at && o.x0.offset === at && o.model.offset === at && (o.noise === null || o.noise.offset === at)) return o;
  const from = (a: Operand): Operand => ({ data: a.data.subarray(a.offset, a.offset + len), offset: 0 });
  return { ...o, prev: from(o.prev), x0: from(o.x0), model: from(o.model), sample: from(o.sample), noise: o.noise === null ? null : from(o.noise) };
};

// 2. x0 of the n elements from index lo into the row; each returns the sum of |x0|.
// The division of eq. 15 is a product with inv = 1 / a in double, rounded once to float32: that equals
// the IEEE float32 quotient for float32 operands (the double product is within 2^-52 of the quotient,
// and a quotient of 24-bit numbers is never within 2^-48 of a float32 rounding boundary).

const rowEpsilon = (m: Float32Array, x: Float32Array, lo: number, n: number, s: PassScalars): number => {
  const { b } = s;
  const inv = 1 / s.a;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const y = fround(fround((x[i] as number) - fround(b * (m[i] as number))) * inv);
    row[r] = y;
    sum += abs(y);
  }
  return sum;
};

const rowVelocity = (m: Float32Array, x: Float32Array, lo: number, n: number, s: PassScalars): number => {
  const { a, b } = s;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const y = fround(fround(a * (x[i] as number)) - fround(b * (m[i] as number)));
    row[r] = y;
    sum += abs(y);
  }
  return sum;
};

const rowSample = (m: Float32Array, lo: number, n: number): number => {
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = m[lo + r] as number;
    row[r] = y;
    sum += abs(y);
  }
  return sum;
};

/** 3. The block's x0 clamped to [-c, c] in place, without a branch; exact where every |x0| < 2^29 c. */
const clampRow = (n: number, c: number): void => {
  for (let r = 0; r < n; r++) {
    const y = row[r] as number;
    const u = y + c;
    const w = y - c;
    row[r] = y - 0.5 * (u - abs(u) + (w + abs(w)));
  }
};

/** 3. Thresholding: the clamp, then the float32 quotient by c as a product with `inv` = 1 / c (see eq. 15's). */
const thresholdRow = (n: number, c: number, inv: number): void => {
  for (let r = 0; r < n; r++) {
    const y = row[r] as number;
    const u = y + c;
    const w = y - c;
    row[r] = (y - 0.5 * (u - abs(u) + (w + abs(w)))) * inv;
  }
};

// 4-6. x0 from the row, then x_prev = f(f(c0 x0) + f(ct x)) plus the noise term, for the n elements from
// index lo (the variance at its own offset); each loop reads every input of an index before it writes
// the outputs there, so an output may be an input's very view. Arrays are loaded into locals one by
// one: read out of one shared struct per block instead, the same loops measured 1.6x slower.

const meanNone = (o: PassOperands, lo: number, n: number, s: PassScalars): void => {
  const { c0, ct } = s;
  const prev = o.prev.data;
  const x0 = o.x0.data;
  const x = o.sample.data;
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const xi = x[i] as number;
    const y = row[r] as number;
    x0[i] = y;
    // the store rounds the sum to float32
    prev[i] = fround(c0 * y) + fround(ct * xi);
  }
};

const meanScaled = (o: PassOperands, lo: number, n: number, s: PassScalars): void => {
  const { c0, ct, sd } = s;
  const prev = o.prev.data;
  const x0 = o.x0.data;
  const x = o.sample.data;
  const z = (o.noise as Operand).data;
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const xi = x[i] as number;
    const zi = z[i] as number;
    const y = row[r] as number;
    x0[i] = y;
    prev[i] = fround(fround(c0 * y) + fround(ct * xi)) + fround(sd * zi);
  }
};

/**
 * meanScaled with the clamp of step 3 fused in (clampRow's formula): the fixed variance types with
 * clipSample, diffusers' default, spared one pass over the row (measured about 6 % of the pass).
 */
const meanScaledClamped = (o: PassOperands, lo: number, n: number, s: PassScalars): void => {
  const { c, c0, ct, sd } = s;
  const prev = o.prev.data;
  const x0 = o.x0.data;
  const x = o.sample.data;
  const z = (o.noise as Operand).data;
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const xi = x[i] as number;
    const zi = z[i] as number;
    const raw = row[r] as number;
    const u = raw + c;
    const w = raw - c;
    const y = raw - 0.5 * (u - abs(u) + (w + abs(w)));
    x0[i] = y;
    prev[i] = fround(fround(c0 * y) + fround(ct * xi)) + fround(sd * zi);
  }
};

const meanLearned = (o: PassOperands, lo: number, n: number, s: PassScalars): void => {
  const { c0, ct } = s;
  const prev = o.prev.data;
  const x0 = o.x0.data;
  const x = o.sample.data;
  const z = (o.noise as Operand).data;
  const v = (o.variance as Operand).data;
  const vo = (o.variance as Operand).offset + lo - o.sample.offset;
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const xi = x[i] as number;
    const zi = z[i] as number;
    const vi = v[vo + r] as number;
    const y = row[r] as number;
    x0[i] = y;
    // (v + |v|) / 2 is max(v, +0) without a branch, but for v = -inf (NaN there, where max gives 0: a
    // branch that noisy data never takes); sqrt is IEEE, so fround(sqrt) is the float32 sqrt
    const positive = 0.5 * (vi + abs(vi));
    const std = fround(sqrt(positive === positive ? positive : max(vi, 0)));
    prev[i] = fround(fround(c0 * y) + fround(ct * xi)) + fround(std * zi);
  }
};

const meanRange = (o: PassOperands, lo: number, n: number, s: PassScalars): void => {
  const { c0, ct, minLog, maxLog } = s;
  const expf32 = expOfKind(s.expKind);
  const prev = o.prev.data;
  const x0 = o.x0.data;
  const x = o.sample.data;
  const z = (o.noise as Operand).data;
  const v = (o.variance as Operand).data;
  const vo = (o.variance as Operand).offset + lo - o.sample.offset;
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const xi = x[i] as number;
    const zi = z[i] as number;
    const frac = fround(fround((v[vo + r] as number) + 1) * 0.5);
    const logVariance = fround(fround(frac * maxLog) + fround(fround(1 - frac) * minLog));
    // torch's float32 exp of the pass's kernel family: Sleef's or glibc's
    const std = expf32(fround(0.5 * logVariance));
    const y = row[r] as number;
    x0[i] = y;
    prev[i] = fround(fround(c0 * y) + fround(ct * xi)) + fround(std * zi);
  }
};

/** The n elements from index lo by the specification: the blocks with huge, infinite or NaN values of x0. */
const bySpecification = (o: PassOperands, lo: number, n: number, s: PassScalars): void => {
  const z = o.noise === null ? null : o.noise.data;
  const v = o.variance === null ? null : o.variance.data;
  const vo = o.variance === null ? 0 : o.variance.offset + lo - o.sample.offset;
  for (let r = 0; r < n; r++) {
    const i = lo + r;
    const [y, p] = posteriorElement(
      o.sample.data[i] as number,
      o.model.data[i] as number,
      z === null ? 0 : (z[i] as number),
      v === null ? 0 : (v[vo + r] as number),
      s,
    );
    o.x0.data[i] = y;
    o.prev.data[i] = p;
  }
};

const float32Pass = (operands: PassOperands, len: number, s: PassScalars): void => {
  const o = sharingIndex(operands, len);
  const { clipMode, c, prediction, noise } = s;
  // clamping to [-inf, inf] is the identity, NaN and -0 included
  const clip = clipMode === CLIP_CLAMP && c === Infinity ? CLIP_NONE : clipMode;
  // below this sum of |x0| a block has every |x0| below 2^29 c (an infinite threshold: no block)
  const bound = clip === CLIP_NONE ? Infinity : c < Infinity ? c * 2 ** 29 : 0;
  const inv = 1 / c;
  const m = o.model.data;
  const x = o.sample.data;
  const start = o.sample.offset;
  for (let lo = start; lo < start + len; lo += BLOCK) {
    const n = start + len - lo < BLOCK ? start + len - lo : BLOCK;
    const sum = prediction === PREDICT_EPSILON ? rowEpsilon(m, x, lo, n, s) : prediction === PREDICT_VELOCITY ? rowVelocity(m, x, lo, n, s) : rowSample(m, lo, n);
    if (!(sum < bound)) {
      bySpecification(o, lo, n, s);
      continue;
    }
    if (noise === NOISE_SCALED && clip === CLIP_CLAMP) {
      meanScaledClamped(o, lo, n, s);
      continue;
    }
    if (clip === CLIP_CLAMP) clampRow(n, c);
    else if (clip === CLIP_THRESHOLD) thresholdRow(n, c, inv);
    if (noise === NOISE_SCALED) meanScaled(o, lo, n, s);
    else if (noise === NOISE_NONE) meanNone(o, lo, n, s);
    else if (noise === NOISE_LEARNED) meanLearned(o, lo, n, s);
    else meanRange(o, lo, n, s);
  }
};

/**
 * The float64 pass: each element in double, the specification's steps written out (with the mode
 * branches inside the loop: they are predicted, and this pass is not the one diffusers' numbers run),
 * rounded once at the store.
 */
const float64Pass = (o: PassOperands, len: number, s: PassScalars): void => {
  const { prediction, clipMode, a, b, c, c0, ct } = s;
  const prev = o.prev.data;
  const po = o.prev.offset;
  const x0 = o.x0.data;
  const yo = o.x0.offset;
  const m = o.model.data;
  const mo = o.model.offset;
  const x = o.sample.data;
  const xo = o.sample.offset;
  const z = o.noise === null ? x : o.noise.data;
  const zo = o.noise === null ? 0 : o.noise.offset;
  const v = o.variance === null ? x : o.variance.data;
  const vo = o.variance === null ? 0 : o.variance.offset;
  const { noise, sd, minLog, maxLog } = s;
  for (let i = 0; i < len; i++) {
    const xi = x[xo + i] as number;
    const mi = m[mo + i] as number;
    // 2-3. x0, clipped or thresholded
    let y = prediction === PREDICT_EPSILON ? (xi - b * mi) / a : prediction === PREDICT_VELOCITY ? a * xi - b * mi : mi;
    if (clipMode !== CLIP_NONE) {
      y = min(max(y, -c), c);
      if (clipMode === CLIP_THRESHOLD) y = y / c;
    }
    // 5-6. the mean, plus sigma z
    let p = c0 * y + ct * xi;
    if (noise !== NOISE_NONE) {
      const vi = v[vo + i] as number;
      const std = noise === NOISE_SCALED ? sd : noise === NOISE_LEARNED ? sqrt(max(vi, 0)) : exp(0.5 * ((vi + 1) * 0.5 * maxLog + (1 - (vi + 1) * 0.5) * minLog));
      p += std * (z[zo + i] as number);
    }
    x0[yo + i] = y;
    prev[po + i] = p;
  }
};

/**
 * The JavaScript posterior pass: {@link posteriorElement} for each of `len` elements of the operands.
 *
 * @example
 * ```ts
 * jsPosteriorPass({ prev, x0, model, sample, noise, variance: null }, 4096, scalars);
 * ```
 * @internal
 */
export const jsPosteriorPass = (operands: PassOperands, len: number, scalars: PassScalars): void => {
  if (scalars.float32) float32Pass(operands, len, scalars);
  else float64Pass(operands, len, scalars);
};
