// The WebAssembly SIMD kernels of ddpm-scheduler, in AssemblyScript. Built by `npm run build:wasm`
// into src/wasm/generated/kernels.wasm.ts; `npm run check:wasm` checks that the build reproduces it.
//
// No allocation and no runtime: every function works on pointers into the module's memory that the
// JavaScript side hands over (staging chunks, generator state, or tensors made by allocTensor).
//
// Step kernels run the very operations of the JavaScript kernel, in the same order, so both backends
// give bit-identical outputs: f32x4 in torch's float32 op order for float32 tables, f64x2 for float64. The generator runs MT19937 and the uniform extraction in
// i32x4 and Box-Muller in f32x4 with a float32 polynomial log; the angle's reduction and its sine and
// cosine polynomials run in f64x2 and are rounded to float32 (see sinCos4 for why).

// ---------------------------------------------------------------------------------------------------
// f32 <-> f64 lane helpers

function low64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

function high64(v: v128): v128 {
  return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
}

function pack32(a: v128, b: v128): v128 {
  // Each demotion rounds to nearest, as Math.fround does on a store into a Float32Array.
  return i64x2.shuffle(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 2);
}

// ---------------------------------------------------------------------------------------------------
// The posterior step (DDPM eq. 7 and 15)
//
// step32 (float32 tables) does diffusers' eager torch ops one by one in f32x4: each product, sum and
// quotient is its own IEEE float32 op, as torch runs them unfused. step64 (float64 tables) widens to
// f64x2 and rounds once at the store. Both match the JavaScript kernel operation for operation.

const PREDICT_EPSILON = 0;
const PREDICT_VELOCITY = 2;
const CLIP_NONE = 0;
const CLIP_THRESHOLD = 2;
const NOISE_NONE = 0;
const NOISE_SCALED = 1;
const NOISE_LEARNED = 2;

// The float32 pass's pieces, as static methods: AssemblyScript's @inline decorator is valid TypeScript
// syntax on class members (the linter parses this file as TypeScript).
class Float32Pass {
  /** 2. x0: eq. 15 (x - b m) / a, the identity, or the v form a x - b m; every op rounded to float32. */
  @inline static x0(x: v128, m: v128, a: v128, b: v128, prediction: i32): v128 {
    if (prediction == PREDICT_EPSILON) return f32x4.div(f32x4.sub(x, f32x4.mul(b, m)), a);
    if (prediction == PREDICT_VELOCITY) return f32x4.sub(f32x4.mul(a, x), f32x4.mul(b, m));
    return m;
  }

  /** 3. clamp to [-c, c] by comparisons (pmax(y, l) is y < l ? l : y), then divide by c when thresholding. */
  @inline static clip(y: v128, c: v128, negC: v128, clipMode: i32): v128 {
    if (clipMode == CLIP_NONE) return y;
    const t = f32x4.pmin(f32x4.pmax(y, negC), c);
    return clipMode == CLIP_THRESHOLD ? f32x4.div(t, c) : t;
  }

  /**
   * `len & ~3` elements of the float32 pass, four at a time. Inlined once per combination of the three
   * modes, each passed as a literal, so that every combination is a straight loop with no mode branch
   * (measured 15-25 % faster than one loop with loop-invariant branches).
   */
  @inline static vector(
    prev: usize, x0: usize, m: usize, s: usize, z: usize, v: usize, len: i32,
    kind: i32, prediction: i32, clipMode: i32, a: f32, b: f32, c: f32, c0: f32, ct: f32, sd: f32,
  ): void {
    const av = f32x4.splat(a);
    const bv = f32x4.splat(b);
    const cv = f32x4.splat(c);
    const negC = f32x4.splat(-c);
    const c0v = f32x4.splat(c0);
    const ctv = f32x4.splat(ct);
    const sdv = f32x4.splat(sd);
    const zero = f32x4.splat(0);
    const end = (<usize>(len & ~3)) << 2;
    for (let o: usize = 0; o < end; o += 16) {
      const x = v128.load(s + o);
      const y = Float32Pass.clip(Float32Pass.x0(x, v128.load(m + o), av, bv, prediction), cv, negC, clipMode);
      // 5. the posterior mean c0 x0 + ct x_t: two rounded products and their rounded sum
      let r = f32x4.add(f32x4.mul(c0v, y), f32x4.mul(ctv, x));
      if (kind == NOISE_SCALED) r = f32x4.add(r, f32x4.mul(sdv, v128.load(z + o)));
      // `learned`: sqrt of the predicted variance, a negative one (and -0) counted as +0 (IEEE max)
      if (kind == NOISE_LEARNED) r = f32x4.add(r, f32x4.mul(f32x4.sqrt(f32x4.max(v128.load(v + o), zero)), v128.load(z + o)));
      v128.store(x0 + o, y);
      v128.store(prev + o, r);
    }
  }

  /** Dispatches on the clip mode, passing it on as a literal. */
  @inline static byClip(
    prev: usize, x0: usize, m: usize, s: usize, z: usize, v: usize, len: i32,
    kind: i32, prediction: i32, clipMode: i32, a: f32, b: f32, c: f32, c0: f32, ct: f32, sd: f32,
  ): void {
    if (clipMode == 0) Float32Pass.vector(prev, x0, m, s, z, v, len, kind, prediction, 0, a, b, c, c0, ct, sd);
    else if (clipMode == 1) Float32Pass.vector(prev, x0, m, s, z, v, len, kind, prediction, 1, a, b, c, c0, ct, sd);
    else Float32Pass.vector(prev, x0, m, s, z, v, len, kind, prediction, 2, a, b, c, c0, ct, sd);
  }

  /** Dispatches on the prediction type, passing it on as a literal. */
  @inline static byPrediction(
    prev: usize, x0: usize, m: usize, s: usize, z: usize, v: usize, len: i32,
    kind: i32, prediction: i32, clipMode: i32, a: f32, b: f32, c: f32, c0: f32, ct: f32, sd: f32,
  ): void {
    if (prediction == 0) Float32Pass.byClip(prev, x0, m, s, z, v, len, kind, 0, clipMode, a, b, c, c0, ct, sd);
    else if (prediction == 1) Float32Pass.byClip(prev, x0, m, s, z, v, len, kind, 1, clipMode, a, b, c, c0, ct, sd);
    else Float32Pass.byClip(prev, x0, m, s, z, v, len, kind, 2, clipMode, a, b, c, c0, ct, sd);
  }
}

/** The last `len & 3` elements of the float32 pass, one at a time, with the same f32 operations. */
function tail32(
  prev: usize, x0: usize, m: usize, s: usize, z: usize, v: usize, len: i32,
  kind: i32, prediction: i32, clipMode: i32, a: f32, b: f32, c: f32, c0: f32, ct: f32, sd: f32,
): void {
  for (let i = len & ~3; i < len; i++) {
    const o = (<usize>i) << 2;
    const x = load<f32>(s + o);
    const mi = load<f32>(m + o);
    let y = prediction == PREDICT_EPSILON ? (x - b * mi) / a : prediction == PREDICT_VELOCITY ? a * x - b * mi : mi;
    if (clipMode != CLIP_NONE) {
      const low = y < -c ? -c : y;
      y = c < low ? c : low;
      if (clipMode == CLIP_THRESHOLD) y = y / c;
    }
    let r = c0 * y + ct * x;
    if (kind == NOISE_SCALED) r = r + sd * load<f32>(z + o);
    if (kind == NOISE_LEARNED) {
      const variance = load<f32>(v + o);
      r = r + sqrt<f32>(max<f32>(variance, 0)) * load<f32>(z + o);
    }
    store<f32>(x0 + o, y);
    store<f32>(prev + o, r);
  }
}

/**
 * One fused float32 pass over `len` contiguous elements. kind 0: prev = c0 x0 + ct x; kind 1:
 * + sd * noise; kind 2: + sqrt(max(v, 0)) * noise (`learned`). Every input element is read before the
 * same index of the outputs is written, so an output may be an input.
 */
export function step32(
  prev: usize, x0: usize, m: usize, s: usize, z: usize, v: usize, len: i32,
  kind: i32, prediction: i32, clipMode: i32, a: f32, b: f32, c: f32, c0: f32, ct: f32, sd: f32,
): void {
  // one straight loop per (kind, prediction, clipMode)
  if (kind == 0) Float32Pass.byPrediction(prev, x0, m, s, z, v, len, 0, prediction, clipMode, a, b, c, c0, ct, sd);
  else if (kind == 1) Float32Pass.byPrediction(prev, x0, m, s, z, v, len, 1, prediction, clipMode, a, b, c, c0, ct, sd);
  else Float32Pass.byPrediction(prev, x0, m, s, z, v, len, 2, prediction, clipMode, a, b, c, c0, ct, sd);
  tail32(prev, x0, m, s, z, v, len, kind, prediction, clipMode, a, b, c, c0, ct, sd);
}

/** 2-3. x0 of two lanes in double (eq. 15, the identity, or the v form), clipped or thresholded. */
function x0Of64(x: v128, m: v128, a: v128, b: v128, c: v128, negC: v128, prediction: i32, clipMode: i32): v128 {
  let y = m;
  if (prediction == PREDICT_EPSILON) y = f64x2.div(f64x2.sub(x, f64x2.mul(b, m)), a);
  else if (prediction == PREDICT_VELOCITY) y = f64x2.sub(f64x2.mul(a, x), f64x2.mul(b, m));
  if (clipMode != CLIP_NONE) {
    y = f64x2.pmin(f64x2.pmax(y, negC), c);
    if (clipMode == CLIP_THRESHOLD) y = f64x2.div(y, c);
  }
  return y;
}

/** 5-6. the posterior mean of two lanes in double, plus the noise term of `kind`. */
function prev64(y: v128, x: v128, z: v128, v: v128, c0: v128, ct: v128, sd: v128, kind: i32): v128 {
  const r = f64x2.add(f64x2.mul(c0, y), f64x2.mul(ct, x));
  if (kind == NOISE_SCALED) return f64x2.add(r, f64x2.mul(sd, z));
  if (kind == NOISE_LEARNED) return f64x2.add(r, f64x2.mul(f64x2.sqrt(f64x2.max(v, f64x2.splat(0))), z));
  return r;
}

/**
 * The fused pass for float64 tables: each element in double, rounded to float32 once at the store, as
 * the JavaScript float64 loop does. Same arguments and aliasing rule as step32.
 */
export function step64(
  prev: usize, x0: usize, m: usize, s: usize, z: usize, v: usize, len: i32,
  kind: i32, prediction: i32, clipMode: i32, a: f64, b: f64, c: f64, c0: f64, ct: f64, sd: f64,
): void {
  const av = f64x2.splat(a);
  const bv = f64x2.splat(b);
  const cv = f64x2.splat(c);
  const negC = f64x2.splat(-c);
  const c0v = f64x2.splat(c0);
  const ctv = f64x2.splat(ct);
  const sdv = f64x2.splat(sd);
  const vectorEnd = len & ~3;
  let i = 0;
  for (; i < vectorEnd; i += 4) {
    const o = (<usize>i) << 2;
    const x4 = v128.load(s + o);
    const m4 = v128.load(m + o);
    // the noise and variance are only read for the kinds that use them
    const z4 = kind == NOISE_NONE ? x4 : v128.load(z + o);
    const v4 = kind == NOISE_LEARNED ? v128.load(v + o) : x4;
    const xl = low64(x4);
    const xh = high64(x4);
    const yl = x0Of64(xl, low64(m4), av, bv, cv, negC, prediction, clipMode);
    const yh = x0Of64(xh, high64(m4), av, bv, cv, negC, prediction, clipMode);
    const pl = prev64(yl, xl, low64(z4), low64(v4), c0v, ctv, sdv, kind);
    const ph = prev64(yh, xh, high64(z4), high64(v4), c0v, ctv, sdv, kind);
    v128.store(x0 + o, pack32(yl, yh));
    v128.store(prev + o, pack32(pl, ph));
  }
  for (; i < len; i++) {
    const o = (<usize>i) << 2;
    const x = <f64>load<f32>(s + o);
    const mi = <f64>load<f32>(m + o);
    let y = prediction == PREDICT_EPSILON ? (x - b * mi) / a : prediction == PREDICT_VELOCITY ? a * x - b * mi : mi;
    if (clipMode != CLIP_NONE) {
      const low = y < -c ? -c : y;
      y = c < low ? c : low;
      if (clipMode == CLIP_THRESHOLD) y = y / c;
    }
    let r = c0 * y + ct * x;
    if (kind == NOISE_SCALED) r = r + sd * <f64>load<f32>(z + o);
    if (kind == NOISE_LEARNED) {
      const variance = <f64>load<f32>(v + o);
      r = r + Math.sqrt(max<f64>(variance, 0)) * <f64>load<f32>(z + o);
    }
    store<f32>(x0 + o, <f32>y);
    store<f32>(prev + o, <f32>r);
  }
}

// ---------------------------------------------------------------------------------------------------
// MT19937: 624 words at `state`, regenerated in place

const MT_N: i32 = 624;
const MT_M: i32 = 397;

function twist(current: u32, next: u32, far: u32): u32 {
  const y = (current & 0x80000000) | (next & 0x7fffffff);
  return far ^ (y >> 1) ^ ((0 - (y & 1)) & 0x9908b0df);
}

function twist4(current: v128, next: v128, far: v128): v128 {
  const y = v128.or(v128.and(current, i32x4.splat(<i32>0x80000000)), v128.and(next, i32x4.splat(0x7fffffff)));
  const odd = i32x4.sub(i32x4.splat(0), v128.and(y, i32x4.splat(1)));
  return v128.xor(v128.xor(far, i32x4.shr_u(y, 1)), v128.and(odd, i32x4.splat(<i32>0x9908b0df)));
}

/** Regenerates the 624 words at `state` in place, four at a time where the recurrence allows it. */
export function mtRegenerate(state: usize): void {
  let i = 0;
  // Words i + 397 are still old for i < 227; four lanes read words i .. i + 4, none written yet.
  for (; i + 4 <= MT_N - MT_M; i += 4) {
    const a = state + ((<usize>i) << 2);
    v128.store(a, twist4(v128.load(a), v128.load(a + 4), v128.load(a + (<usize>MT_M << 2))));
  }
  for (; i < MT_N - MT_M; i++) {
    const a = state + ((<usize>i) << 2);
    store<u32>(a, twist(load<u32>(a), load<u32>(a + 4), load<u32>(a + (<usize>MT_M << 2))));
  }
  // From 227 on, word i - 227 is already new; it lies 227 words behind, far outside a 4-lane group.
  for (; i + 4 <= MT_N - 1; i += 4) {
    const a = state + ((<usize>i) << 2);
    v128.store(a, twist4(v128.load(a), v128.load(a + 4), v128.load(a - (<usize>(MT_N - MT_M) << 2))));
  }
  for (; i < MT_N - 1; i++) {
    const a = state + ((<usize>i) << 2);
    store<u32>(a, twist(load<u32>(a), load<u32>(a + 4), load<u32>(a - (<usize>(MT_N - MT_M) << 2))));
  }
  const last = state + (<usize>(MT_N - 1) << 2);
  store<u32>(last, twist(load<u32>(last), load<u32>(state), load<u32>(state + (<usize>(MT_M - 1) << 2))));
}

let regenerations: i32 = 0;

/** How many times the words were regenerated since the last call of this function (then reset). */
export function takeRegenerations(): i32 {
  const r = regenerations;
  regenerations = 0;
  return r;
}

/** Advances the index by `count` outputs, regenerating as PyTorch would; returns the new index. */
export function mtSkip(state: usize, index: i32, count: i32): i32 {
  let left = count;
  let at = index;
  while (left > 0) {
    if (at >= MT_N) {
      mtRegenerate(state);
      regenerations++;
      at = 0;
    }
    const take = min(left, MT_N - at);
    at += take;
    left -= take;
  }
  return at;
}

function uniform4(word: v128): v128 {
  // The MT19937 tempering, then the low 24 bits times 2^-24: exactly PyTorch's float32 uniform.
  let y = v128.xor(word, i32x4.shr_u(word, 11));
  y = v128.xor(y, v128.and(i32x4.shl(y, 7), i32x4.splat(0x9d2c5680)));
  y = v128.xor(y, v128.and(i32x4.shl(y, 15), i32x4.splat(<i32>0xefc60000)));
  y = v128.xor(y, i32x4.shr_u(y, 18));
  return f32x4.mul(f32x4.convert_i32x4_s(v128.and(y, i32x4.splat(0xffffff))), f32x4.splat(5.9604644775390625e-8));
}

function uniform1(word: u32): f32 {
  let y = word ^ (word >> 11);
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >> 18;
  return <f32>(y & 0xffffff) * <f32>5.9604644775390625e-8;
}

/** Writes `count` float32 uniforms in [0, 1) to `out`; returns the new index. */
export function mtUniforms(out: usize, count: i32, state: usize, index: i32): i32 {
  let at = index;
  let written = 0;
  while (written < count) {
    if (at >= MT_N) {
      mtRegenerate(state);
      regenerations++;
      at = 0;
    }
    const take = min(count - written, MT_N - at);
    const end = written + take;
    let src = state + ((<usize>at) << 2);
    let dst = out + ((<usize>written) << 2);
    let k = written;
    for (; k + 4 <= end; k += 4) {
      v128.store(dst, uniform4(v128.load(src)));
      src += 16;
      dst += 16;
    }
    for (; k < end; k++) {
      store<f32>(dst, uniform1(load<u32>(src)));
      src += 4;
      dst += 4;
    }
    at += take;
    written = end;
  }
  return at;
}

// ---------------------------------------------------------------------------------------------------
// float32 polynomial log (Cephes' coefficients, as avx_mathfun uses them); sin and cos in double

const SQRT_HALF: f32 = 0.7071067811865476;

/** log(x) for normal float32 x > 0, four lanes; x = m 2^e with m in [sqrt(1/2), sqrt(2)). */
function log4(x: v128): v128 {
  const one = f32x4.splat(1);
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  // m in [0.5, sqrt(1/2)): take 2m - 1 and e - 1; both subtractions are exact (Sterbenz).
  const small = f32x4.lt(m, f32x4.splat(SQRT_HALF));
  e = i32x4.add(e, small);
  m = f32x4.add(f32x4.sub(m, one), v128.and(m, small));
  const z = f32x4.mul(m, m);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  const ef = f32x4.convert_i32x4_s(e);
  // log 2 split in two, the low part first, so that e log 2 adds with little rounding
  y = f32x4.add(y, f32x4.mul(ef, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(f32x4.splat(0.5), z));
  return f32x4.add(f32x4.add(m, y), f32x4.mul(ef, f32x4.splat(0.693359375)));
}

// 2 pi and pi/2 in double; PIO2_HI has 33 significant bits, so k * PIO2_HI is exact for small k.
const TWO_PI: f64 = 6.283185307179586;
const TWO_OVER_PI: f64 = 0.6366197723675814;
const PIO2_HI: f64 = 1.5707963267341256;
const PIO2_LO: f64 = 6.077100506506192e-11;

/**
 * Two lanes of the angle theta = float32(2 pi u), as PyTorch's `2.0f * c10::pi<double> * u` rounds it
 * (once, from double), returned exactly in double.
 */
function angle2(u: v128): v128 {
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(u, f64x2.splat(TWO_PI))));
}

/** Sine and cosine of float32(2 pi u) for four uniforms u in [0, 1): sin into `sinOut`, cos returned. */
function sinCosTwoPi4(u: v128, sinOut: usize): v128 {
  const tl = angle2(low64(u));
  const th = angle2(high64(u));
  return sinCos4(tl, th, sinOut);
}

/** sin r and cos r for |r| <= pi/4 + a little, two lanes of double: fdlibm's minimax polynomials. */
function sinPoly2(r: v128): v128 {
  const z = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.mul(f64x2.splat(1.58969099521155010221e-10), z), f64x2.splat(-2.50507602534068634195e-8));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(2.75573137070700676789e-6));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-1.98412698298579493134e-4));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(8.33333333332248946124e-3));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-1.66666666666666324348e-1));
  return f64x2.add(r, f64x2.mul(f64x2.mul(r, z), p));
}

function cosPoly2(r: v128): v128 {
  const z = f64x2.mul(r, r);
  let p = f64x2.add(f64x2.mul(f64x2.splat(-1.13596475577881948265e-11), z), f64x2.splat(2.08757232129817482790e-9));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-2.75573143513906633035e-7));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(2.48015872894767294178e-5));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(-1.38888888888741095749e-3));
  p = f64x2.add(f64x2.mul(p, z), f64x2.splat(4.16666666666666019037e-2));
  return f64x2.add(f64x2.sub(f64x2.splat(1), f64x2.mul(f64x2.splat(0.5), z)), f64x2.mul(f64x2.mul(z, z), p));
}

/**
 * Sine and cosine of four angles given as two f64x2 halves (each exactly a float32 in [0, 2 pi]),
 * rounded to float32: sine into `sinOut`, cosine returned. The reduction and the polynomials run in
 * double, so that the float32 results are the correctly rounded ones (float32 polynomials, each within
 * 1 ulp, compounded with the logarithm's error to 3 ulp in radius * cos).
 */
function sinCos4(tl: v128, th: v128, sinOut: usize): v128 {
  const kl = f64x2.nearest(f64x2.mul(tl, f64x2.splat(TWO_OVER_PI)));
  const kh = f64x2.nearest(f64x2.mul(th, f64x2.splat(TWO_OVER_PI)));
  // theta - k PIO2_HI is exact; the remainder in double carries about 2^-50 relative error.
  const rl = f64x2.sub(f64x2.sub(tl, f64x2.mul(kl, f64x2.splat(PIO2_HI))), f64x2.mul(kl, f64x2.splat(PIO2_LO)));
  const rh = f64x2.sub(f64x2.sub(th, f64x2.mul(kh, f64x2.splat(PIO2_HI))), f64x2.mul(kh, f64x2.splat(PIO2_LO)));
  const k = i64x2.shuffle(i32x4.trunc_sat_f64x2_s_zero(kl), i32x4.trunc_sat_f64x2_s_zero(kh), 0, 2);
  const s = pack32(sinPoly2(rl), sinPoly2(rh));
  const c = pack32(cosPoly2(rl), cosPoly2(rh));
  // sin(r + k pi/2): odd quadrants swap sine and cosine; the signs follow bit 1 of k and of k + 1.
  const swap = i32x4.eq(v128.and(k, i32x4.splat(1)), i32x4.splat(1));
  const sinSign = i32x4.shl(v128.and(k, i32x4.splat(2)), 30);
  const cosSign = i32x4.shl(v128.and(i32x4.add(k, i32x4.splat(1)), i32x4.splat(2)), 30);
  v128.store(sinOut, v128.xor(v128.bitselect(c, s, swap), sinSign));
  return v128.xor(v128.bitselect(s, c, swap), cosSign);
}

/**
 * Box-Muller over `blocks` blocks of 16 uniforms at `out`, in place, as PyTorch's float32 normal_fill:
 * u1 = 1 - u[j], u2 = u[j + 8], radius sqrt(-2 log u1), cosine into slot j, sine into slot j + 8.
 */
export function boxMullerBlocks(out: usize, blocks: i32): void {
  const one = f32x4.splat(1);
  const minusTwo = f32x4.splat(-2);
  const zero = f32x4.splat(0);
  let base = out;
  for (let b = 0; b < blocks; b++) {
    for (let h: usize = 0; h < 32; h += 16) {
      const at = base + h;
      const radius = f32x4.sqrt(f32x4.mul(minusTwo, log4(f32x4.sub(one, v128.load(at)))));
      const cos = sinCosTwoPi4(v128.load(at + 32), at + 32);
      // + 0 turns -0 into +0, as PyTorch's `x * std + mean` does
      v128.store(at, f32x4.add(f32x4.mul(radius, cos), zero));
      v128.store(at + 32, f32x4.add(f32x4.mul(radius, v128.load(at + 32)), zero));
    }
    base += 64;
  }
}

/** For the accuracy sweep: log of `n` (a multiple of 4) float32 values, from `input` into `out`. */
export function logArray(input: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, log4(v128.load(input + o)));
  }
}

/** For the accuracy sweep: sine and cosine of `n` (a multiple of 4) float32 angles in [0, 2 pi]. */
export function sinCosArray(input: usize, sinOut: usize, cosOut: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    const a = v128.load(input + o);
    v128.store(cosOut + o, sinCos4(low64(a), high64(a), sinOut + o));
  }
}
