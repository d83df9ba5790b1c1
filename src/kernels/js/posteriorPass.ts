/**
 * The posterior pass of the JavaScript kernels: {@link posteriorElement} over `len` contiguous
 * elements, bit for bit, fast.
 *
 * A float32 pass runs block by block (BLOCK elements, which stay in L1): one loop per prediction type
 * writes the block's x0 into a float32 row and sums |x0|; then one loop per noise kind clips x0 and
 * writes it and x_prev. V8 neither vectorizes nor unswitches loops, so the prediction and the noise
 * kind each get straight loops of their own; the clip is one branch per element that never changes
 * within a pass (predicted). One fused loop per block was measured slower than two (its chain of
 * dependent float32 roundings is too long for the processor to overlap iterations).
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
/** The block's x0 before the clip; a store into it is the float32 rounding. */
const row = new Float32Array(BLOCK);

/** The clip of one float32 pass: the clamp bound, the factor after it, the block test. */
interface Clip {
  readonly c: number;
  /** 1 to clip; 1 / c in double to threshold (the product rounded to float32 is the float32 quotient). */
  readonly scale: number;
  /** A block whose sum of |x0| is below this has every |x0| below 2^29 c (and none NaN or infinite). */
  readonly bound: number;
  /** Whether the clamp runs at all (a branch the processor predicts: it never changes within a pass). */
  readonly clips: boolean;
}

const clipOf = (s: PassScalars): Clip => {
  // clamping to [-inf, inf] is the identity, NaN and -0 included
  if (s.clipMode === CLIP_NONE || (s.clipMode === CLIP_CLAMP && s.c === Infinity)) return { c: 0, scale: 1, bound: Infinity, clips: false };
  // an infinite threshold: every block by the specification
  const bound = s.c < Infinity ? s.c * 2 ** 29 : 0;
  return { c: s.c, scale: s.clipMode === CLIP_THRESHOLD ? 1 / s.c : 1, bound, clips: true };
};

/** 3. The branchless clamp of y to [-c, c], times `scale`; exact for |y| < 2^29 c. */
const clampFast = (y: number, c: number, scale: number): number => {
  const u = y + c;
  const w = y - c;
  return (y - 0.5 * (u - abs(u) + (w + abs(w)))) * scale;
};

// 2. x0 of n elements from index `mo` / `xo` into the row; each returns the sum of |x0|.
// The division of eq. 15 is a product with inv = 1 / a in double, rounded once to float32: that equals
// the IEEE float32 quotient for float32 operands (the double product is within 2^-52 of the quotient,
// and a quotient of 24-bit numbers is never within 2^-48 of a float32 rounding boundary).

const rowEpsilon = (m: Float32Array, mo: number, x: Float32Array, xo: number, n: number, s: PassScalars): number => {
  const { b } = s;
  const inv = 1 / s.a;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = fround(fround((x[xo + r] as number) - fround(b * (m[mo + r] as number))) * inv);
    sum += abs(y);
    row[r] = y;
  }
  return sum;
};

const rowVelocity = (m: Float32Array, mo: number, x: Float32Array, xo: number, n: number, s: PassScalars): number => {
  const { a, b } = s;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = fround(fround(a * (x[xo + r] as number)) - fround(b * (m[mo + r] as number)));
    sum += abs(y);
    row[r] = y;
  }
  return sum;
};

const rowSample = (m: Float32Array, mo: number, n: number): number => {
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = m[mo + r] as number;
    sum += abs(y);
    row[r] = y;
  }
  return sum;
};

// 3-6. x0 from the row, clipped, then x_prev = f(f(c0 x0) + f(ct x)) plus the noise term, for the n elements of
// the block at index `from`; each loop reads every input of an index before it writes the outputs there,
// so an output may be an input's very view. Arrays and offsets are loaded into locals first.

const meanNone = (o: PassOperands, from: number, n: number, s: PassScalars, k: Clip): void => {
  const { c, scale, clips } = k;
  const { c0, ct } = s;
  const prev = o.prev.data;
  const po = o.prev.offset + from;
  const x0 = o.x0.data;
  const yo = o.x0.offset + from;
  const x = o.sample.data;
  const xo = o.sample.offset + from;
  for (let r = 0; r < n; r++) {
    const xi = x[xo + r] as number;
    const raw = row[r] as number;
    const y = clips ? fround(clampFast(raw, c, scale)) : raw;
    x0[yo + r] = y;
    // the store rounds the sum to float32
    prev[po + r] = fround(c0 * y) + fround(ct * xi);
  }
};

const meanScaled = (o: PassOperands, from: number, n: number, s: PassScalars, k: Clip): void => {
  const { c, scale, clips } = k;
  const { c0, ct, sd } = s;
  const prev = o.prev.data;
  const po = o.prev.offset + from;
  const x0 = o.x0.data;
  const yo = o.x0.offset + from;
  const x = o.sample.data;
  const xo = o.sample.offset + from;
  const z = (o.noise as Operand).data;
  const zo = (o.noise as Operand).offset + from;
  for (let r = 0; r < n; r++) {
    const xi = x[xo + r] as number;
    const zi = z[zo + r] as number;
    const raw = row[r] as number;
    const y = clips ? fround(clampFast(raw, c, scale)) : raw;
    x0[yo + r] = y;
    prev[po + r] = fround(fround(c0 * y) + fround(ct * xi)) + fround(sd * zi);
  }
};

const meanLearned = (o: PassOperands, from: number, n: number, s: PassScalars, k: Clip): void => {
  const { c, scale, clips } = k;
  const { c0, ct } = s;
  const prev = o.prev.data;
  const po = o.prev.offset + from;
  const x0 = o.x0.data;
  const yo = o.x0.offset + from;
  const x = o.sample.data;
  const xo = o.sample.offset + from;
  const z = (o.noise as Operand).data;
  const zo = (o.noise as Operand).offset + from;
  const v = (o.variance as Operand).data;
  const vo = (o.variance as Operand).offset + from;
  for (let r = 0; r < n; r++) {
    const xi = x[xo + r] as number;
    const zi = z[zo + r] as number;
    const vi = v[vo + r] as number;
    const raw = row[r] as number;
    const y = clips ? fround(clampFast(raw, c, scale)) : raw;
    x0[yo + r] = y;
    // (v + |v|) / 2 is max(v, +0) without a branch; sqrt is IEEE, so fround(sqrt) is the float32 sqrt
    const std = fround(sqrt(0.5 * (vi + abs(vi))));
    prev[po + r] = fround(fround(c0 * y) + fround(ct * xi)) + fround(std * zi);
  }
};

const meanRange = (o: PassOperands, from: number, n: number, s: PassScalars, k: Clip): void => {
  const { c, scale, clips } = k;
  const { c0, ct, minLog, maxLog } = s;
  const prev = o.prev.data;
  const po = o.prev.offset + from;
  const x0 = o.x0.data;
  const yo = o.x0.offset + from;
  const x = o.sample.data;
  const xo = o.sample.offset + from;
  const z = (o.noise as Operand).data;
  const zo = (o.noise as Operand).offset + from;
  const v = (o.variance as Operand).data;
  const vo = (o.variance as Operand).offset + from;
  for (let r = 0; r < n; r++) {
    const xi = x[xo + r] as number;
    const zi = z[zo + r] as number;
    const frac = fround(fround((v[vo + r] as number) + 1) * 0.5);
    const logVariance = fround(fround(frac * maxLog) + fround(fround(1 - frac) * minLog));
    // Math.exp rounded once is the correctly rounded float32 exp here
    const std = fround(exp(fround(0.5 * logVariance)));
    const raw = row[r] as number;
    const y = clips ? fround(clampFast(raw, c, scale)) : raw;
    x0[yo + r] = y;
    prev[po + r] = fround(fround(c0 * y) + fround(ct * xi)) + fround(std * zi);
  }
};

/** n elements from index `from` by the specification: the blocks with huge, infinite or NaN values of x0. */
const bySpecification = (o: PassOperands, from: number, n: number, s: PassScalars): void => {
  const z = o.noise === null ? null : o.noise.data;
  const v = o.variance === null ? null : o.variance.data;
  const zo = o.noise === null ? 0 : o.noise.offset + from;
  const vo = o.variance === null ? 0 : o.variance.offset + from;
  for (let r = 0; r < n; r++) {
    const [y, p] = posteriorElement(
      o.sample.data[o.sample.offset + from + r] as number,
      o.model.data[o.model.offset + from + r] as number,
      z === null ? 0 : (z[zo + r] as number),
      v === null ? 0 : (v[vo + r] as number),
      s,
    );
    o.x0.data[o.x0.offset + from + r] = y;
    o.prev.data[o.prev.offset + from + r] = p;
  }
};

const float32Pass = (o: PassOperands, len: number, s: PassScalars): void => {
  const k = clipOf(s);
  const { model, sample } = o;
  const mean = s.noise === NOISE_NONE ? meanNone : s.noise === NOISE_SCALED ? meanScaled : s.noise === NOISE_LEARNED ? meanLearned : meanRange;
  for (let from = 0; from < len; from += BLOCK) {
    const n = len - from < BLOCK ? len - from : BLOCK;
    const mo = model.offset + from;
    const so = sample.offset + from;
    const sum =
      s.prediction === PREDICT_EPSILON
        ? rowEpsilon(model.data, mo, sample.data, so, n, s)
        : s.prediction === PREDICT_VELOCITY
          ? rowVelocity(model.data, mo, sample.data, so, n, s)
          : rowSample(model.data, mo, n);
    if (sum < k.bound) mean(o, from, n, s, k);
    else bySpecification(o, from, n, s);
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
