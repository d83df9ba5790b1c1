/**
 * The posterior pass of the JavaScript kernels: {@link posteriorElement} over `len` contiguous
 * elements, bit for bit, fast.
 *
 * A float32 pass runs block by block (BLOCK elements, which stay in L1): one loop per prediction type
 * writes the block's x0, already clipped, into a float32 row and sums |x0|; then one loop per noise kind
 * writes x0 and x_prev. V8 neither vectorizes nor unswitches loops, so each mode gets a straight loop
 * of its own instead of a branch per element; one fused loop per block was measured slower than two
 * (its chain of dependent float32 roundings is too long for the processor to overlap iterations).
 *
 * The clamp is branchless (Math.min / Math.max or comparisons mispredict on noisy data):
 * max(y, -c) = y - min(0, y + c) and min(t, c) = t - max(0, t - c), each min / max as (d -+ |d|) / 2,
 * and at most one correction is non-zero, so y - ((u - |u|) + (w + |w|)) / 2 with u = y + c, w = y - c.
 * Where no clamping happens the correction is exactly 0 (-0 stays -0); where it does, y + c and y - c are
 * exact in double when |y| < 2^29 c (two 24-bit significands less than 30 binades apart), so the result
 * is exactly -c or c. The sum of |x0| tells whether that holds for every element of the block (NaN and
 * infinities make it false); a block where it does not is computed by the specification itself.
 * Without clipping the same formula with c = 2^1000 is the identity on finite values.
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
const { abs, exp, fround, sqrt } = Math;

/** Elements per block of the float32 pass. */
const BLOCK = 512;
/** The block's clipped x0; a store into it is the float32 rounding. */
const row = new Float32Array(BLOCK);
/** The clamp bound that makes the branchless clamp the identity on finite values. */
const NO_CLIP = 2 ** 1000;

/** The clip parameters of one float32 pass: the clamp bound, the factor after it, the block test. */
interface Clip {
  readonly c: number;
  /** 1 to clip; 1 / c in double to threshold (the product, rounded by the row's store, is the float32 quotient). */
  readonly scale: number;
  /** A block whose sum of |x0| is below this has every |x0| below 2^29 c (and none NaN or infinite). */
  readonly bound: number;
}

const clipOf = (s: PassScalars): Clip => {
  // clamping to [-inf, inf] is the identity, NaN and -0 included
  if (s.clipMode === CLIP_NONE || (s.clipMode === CLIP_CLAMP && s.c === Infinity)) return { c: NO_CLIP, scale: 1, bound: Infinity };
  // an infinite threshold: every block by the specification
  const bound = s.c < Infinity ? s.c * 2 ** 29 : 0;
  return { c: s.c, scale: s.clipMode === CLIP_THRESHOLD ? 1 / s.c : 1, bound };
};

/** 3. The branchless clamp of y to [-c, c], times `scale`; exact for |y| < 2^29 c. */
const clampFast = (y: number, c: number, scale: number): number => {
  const u = y + c;
  const w = y - c;
  return (y - 0.5 * (u - abs(u) + (w + abs(w)))) * scale;
};

// 2-3. x0 of n elements from index `at` into the row, clipped; each returns the sum of |x0| before the clip.
// The division of eq. 15 is a product with inv = 1 / a in double, rounded once to float32: that equals
// the IEEE float32 quotient for float32 operands (the double product is within 2^-52 of the quotient,
// and a quotient of 24-bit numbers is never within 2^-48 of a float32 rounding boundary).

const rowEpsilon = (m: Float32Array, mo: number, x: Float32Array, xo: number, n: number, s: PassScalars, k: Clip): number => {
  const { b } = s;
  const inv = 1 / s.a;
  const { c, scale } = k;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = fround(fround((x[xo + r] as number) - fround(b * (m[mo + r] as number))) * inv);
    sum += abs(y);
    row[r] = clampFast(y, c, scale);
  }
  return sum;
};

const rowVelocity = (m: Float32Array, mo: number, x: Float32Array, xo: number, n: number, s: PassScalars, k: Clip): number => {
  const { a, b } = s;
  const { c, scale } = k;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = fround(fround(a * (x[xo + r] as number)) - fround(b * (m[mo + r] as number)));
    sum += abs(y);
    row[r] = clampFast(y, c, scale);
  }
  return sum;
};

const rowSample = (m: Float32Array, mo: number, n: number, k: Clip): number => {
  const { c, scale } = k;
  let sum = 0;
  for (let r = 0; r < n; r++) {
    const y = m[mo + r] as number;
    sum += abs(y);
    row[r] = clampFast(y, c, scale);
  }
  return sum;
};

/** Where one block reads and writes: every operand at the block's first index. */
interface At {
  prev: number;
  x0: number;
  model: number;
  sample: number;
  noise: number;
  variance: number;
}

// 5-6. x0 from the row, then x_prev = f(f(c0 x0) + f(ct x)) plus the noise term; each loop reads every
// input of an index before it writes the outputs there, so an output may be an input's very view.

const meanNone = (o: PassOperands, at: At, n: number, s: PassScalars): void => {
  const { c0, ct } = s;
  const [prev, x0, x] = [o.prev.data, o.x0.data, o.sample.data];
  for (let r = 0; r < n; r++) {
    const xi = x[at.sample + r] as number;
    const y = row[r] as number;
    x0[at.x0 + r] = y;
    // the store rounds the sum to float32
    prev[at.prev + r] = fround(c0 * y) + fround(ct * xi);
  }
};

const meanScaled = (o: PassOperands, at: At, n: number, s: PassScalars): void => {
  const { c0, ct, sd } = s;
  const [prev, x0, x, z] = [o.prev.data, o.x0.data, o.sample.data, (o.noise as Operand).data];
  for (let r = 0; r < n; r++) {
    const xi = x[at.sample + r] as number;
    const zi = z[at.noise + r] as number;
    const y = row[r] as number;
    x0[at.x0 + r] = y;
    prev[at.prev + r] = fround(fround(c0 * y) + fround(ct * xi)) + fround(sd * zi);
  }
};

const meanLearned = (o: PassOperands, at: At, n: number, s: PassScalars): void => {
  const { c0, ct } = s;
  const [prev, x0, x, z, v] = [o.prev.data, o.x0.data, o.sample.data, (o.noise as Operand).data, (o.variance as Operand).data];
  for (let r = 0; r < n; r++) {
    const xi = x[at.sample + r] as number;
    const zi = z[at.noise + r] as number;
    const vi = v[at.variance + r] as number;
    const y = row[r] as number;
    x0[at.x0 + r] = y;
    // (v + |v|) / 2 is max(v, +0) without a branch; sqrt is IEEE, so fround(sqrt) is the float32 sqrt
    const std = fround(sqrt(0.5 * (vi + abs(vi))));
    prev[at.prev + r] = fround(fround(c0 * y) + fround(ct * xi)) + fround(std * zi);
  }
};

const meanRange = (o: PassOperands, at: At, n: number, s: PassScalars): void => {
  const { c0, ct, minLog, maxLog } = s;
  const [prev, x0, x, z, v] = [o.prev.data, o.x0.data, o.sample.data, (o.noise as Operand).data, (o.variance as Operand).data];
  for (let r = 0; r < n; r++) {
    const xi = x[at.sample + r] as number;
    const zi = z[at.noise + r] as number;
    const frac = fround(fround((v[at.variance + r] as number) + 1) * 0.5);
    const logVariance = fround(fround(frac * maxLog) + fround(fround(1 - frac) * minLog));
    // Math.exp rounded once is the correctly rounded float32 exp here
    const std = fround(exp(fround(0.5 * logVariance)));
    const y = row[r] as number;
    x0[at.x0 + r] = y;
    prev[at.prev + r] = fround(fround(c0 * y) + fround(ct * xi)) + fround(std * zi);
  }
};

/** One block by the specification: the blocks with huge, infinite or NaN values of x0. */
const bySpecification = (o: PassOperands, at: At, n: number, s: PassScalars): void => {
  const z = o.noise === null ? null : o.noise.data;
  const v = o.variance === null ? null : o.variance.data;
  for (let r = 0; r < n; r++) {
    const [y, p] = posteriorElement(
      o.sample.data[at.sample + r] as number,
      o.model.data[at.model + r] as number,
      z === null ? 0 : (z[at.noise + r] as number),
      v === null ? 0 : (v[at.variance + r] as number),
      s,
    );
    o.x0.data[at.x0 + r] = y;
    o.prev.data[at.prev + r] = p;
  }
};

const float32Pass = (o: PassOperands, len: number, s: PassScalars): void => {
  const k = clipOf(s);
  const at: At = { prev: 0, x0: 0, model: 0, sample: 0, noise: 0, variance: 0 };
  const { model, sample } = o;
  const mean = s.noise === NOISE_NONE ? meanNone : s.noise === NOISE_SCALED ? meanScaled : s.noise === NOISE_LEARNED ? meanLearned : meanRange;
  for (let from = 0; from < len; from += BLOCK) {
    const n = len - from < BLOCK ? len - from : BLOCK;
    at.prev = o.prev.offset + from;
    at.x0 = o.x0.offset + from;
    at.model = model.offset + from;
    at.sample = sample.offset + from;
    at.noise = o.noise === null ? 0 : o.noise.offset + from;
    at.variance = o.variance === null ? 0 : o.variance.offset + from;
    const sum =
      s.prediction === PREDICT_EPSILON
        ? rowEpsilon(model.data, at.model, sample.data, at.sample, n, s, k)
        : s.prediction === PREDICT_VELOCITY
          ? rowVelocity(model.data, at.model, sample.data, at.sample, n, s, k)
          : rowSample(model.data, at.model, n, k);
    if (sum < k.bound) mean(o, at, n, s);
    else bySpecification(o, at, n, s);
  }
};

/** The float64 pass: each element in double by the specification's own steps, rounded at the store. */
const float64Pass = (o: PassOperands, len: number, s: PassScalars): void => {
  const at: At = { prev: o.prev.offset, x0: o.x0.offset, model: o.model.offset, sample: o.sample.offset, noise: o.noise?.offset ?? 0, variance: o.variance?.offset ?? 0 };
  for (let from = 0; from < len; from += BLOCK) {
    const n = len - from < BLOCK ? len - from : BLOCK;
    bySpecification(o, at, n, s);
    at.prev += n;
    at.x0 += n;
    at.model += n;
    at.sample += n;
    at.noise += n;
    at.variance += n;
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
