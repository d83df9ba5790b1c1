// The WebAssembly SIMD kernels of ddpm-scheduler, in AssemblyScript. Built by `npm run build:wasm`
// into src/wasm/generated/kernels.wasm.ts; `npm run check:wasm` checks that the build reproduces it.
//
// No allocation and no runtime: every function works on pointers into the module's memory that the
// JavaScript side hands over (staging chunks, generator state, or tensors made by allocTensor).
//
// Step kernels run the very operations of the JavaScript kernel, in the same order, so both backends
// give bit-identical outputs: f32x4 in torch's float32 op order for float32 tables, f64x2 for float64. The generator runs MT19937 and the uniform extraction in
// i32x4, and Box-Muller's log, sine and cosine in f64x2 with the double operations of
// src/random/sincos.ts (its float32 steps in f32x4), so randn gives the JavaScript bits too.

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
//
// A pass takes its operands and scalars from a parameter block that src/wasm/posteriorPass.ts writes
// before each call (STEP_BLOCK in src/wasm/instance.ts, reserved in the MT19937 section below), and
// its three mode codes as arguments; it reads the block once, before its loop. Re-reading the block
// inside the loop measured 2.7x slower: a load there is repeated every iteration, since the stores to
// the outputs might for all the engine knows change it.

/** Byte offsets in the block: the addresses of the four inputs (u32 each), then of the two outputs. */
const BLOCK_INPUTS: usize = 0;
const BLOCK_OUTPUTS: usize = 16;
/**
 * The scalars a, b, c, -c (the clamp's lower end), c0, ct, sd from byte 32: floats, 4 bytes apart, for
 * step32 (each already rounded to float32); doubles, 8 bytes apart, for step64.
 */
const BLOCK_SCALARS: usize = 32;
/** The block's size in bytes. */
const STEP_BLOCK_BYTES: i32 = 96;

// The lanes of the addresses: `inputs` (bytes 0-15 of the block) and `outputs` (bytes 16-23).
const MODEL: u8 = 0;
const SAMPLE: u8 = 1;
const NOISE: u8 = 2;
const VARIANCE: u8 = 3;
const PREV: u8 = 0;
const X0: u8 = 1;

const PREDICT_EPSILON = 0;
const PREDICT_VELOCITY = 2;
const CLIP_NONE = 0;
const CLIP_THRESHOLD = 2;
const NOISE_NONE = 0;
const NOISE_SCALED = 1;
const NOISE_LEARNED = 2;

// step32 reads the block as four vectors, which its pieces take: the addresses `inputs` (model,
// sample, noise, variance) and `outputs` (prev, x0) as i32 lanes, the scalars `x0Terms` (a, b, c, -c)
// and `meanTerms` (c0, ct, sd; lane 3 unused) as f32 lanes. A piece splats or extracts the lanes it
// uses; Binaryen does each once per iteration of sixteen elements, where it costs nothing measurable.
const A: u8 = 0;
const B: u8 = 1;
const C: u8 = 2;
const NEG_C: u8 = 3;
const C0: u8 = 0;
const CT: u8 = 1;
const SD: u8 = 2;

// The float32 pass's pieces, as static methods: AssemblyScript's @inline decorator is valid TypeScript
// syntax on class members (the linter parses this file as TypeScript).
class Float32Pass {
  /** 2. x0: eq. 15 (x - b m) / a, the identity, or the v form a x - b m; every op rounded to float32. */
  @inline static x0(x: v128, model: v128, x0Terms: v128, prediction: i32): v128 {
    const a = f32x4.splat(f32x4.extract_lane(x0Terms, A));
    const b = f32x4.splat(f32x4.extract_lane(x0Terms, B));
    if (prediction == PREDICT_EPSILON) return f32x4.div(f32x4.sub(x, f32x4.mul(b, model)), a);
    if (prediction == PREDICT_VELOCITY) return f32x4.sub(f32x4.mul(a, x), f32x4.mul(b, model));
    return model;
  }

  /** 3. clamp to [-c, c] by comparisons (pmax(y, l) is y < l ? l : y), then divide by c when thresholding. */
  @inline static clip(y: v128, x0Terms: v128, clipMode: i32): v128 {
    if (clipMode == CLIP_NONE) return y;
    const c = f32x4.splat(f32x4.extract_lane(x0Terms, C));
    const t = f32x4.pmin(f32x4.pmax(y, f32x4.splat(f32x4.extract_lane(x0Terms, NEG_C))), c);
    return clipMode == CLIP_THRESHOLD ? f32x4.div(t, c) : t;
  }

  /**
   * Four elements at byte offset `o + k` (`k` a literal, which the compiler folds into the memory
   * offset): every input element is read before the outputs at that offset are written.
   */
  @inline static four(
    o: usize, k: usize, inputs: v128, outputs: v128, x0Terms: v128, meanTerms: v128, kind: i32, prediction: i32, clipMode: i32,
  ): void {
    const x = v128.load(<usize>i32x4.extract_lane(inputs, SAMPLE) + o + k);
    const model = v128.load(<usize>i32x4.extract_lane(inputs, MODEL) + o + k);
    const y = Float32Pass.clip(Float32Pass.x0(x, model, x0Terms, prediction), x0Terms, clipMode);
    // 5. the posterior mean c0 x0 + ct x_t: two rounded products and their rounded sum
    const c0 = f32x4.splat(f32x4.extract_lane(meanTerms, C0));
    const ct = f32x4.splat(f32x4.extract_lane(meanTerms, CT));
    let r = f32x4.add(f32x4.mul(c0, y), f32x4.mul(ct, x));
    if (kind == NOISE_SCALED) {
      r = f32x4.add(r, f32x4.mul(f32x4.splat(f32x4.extract_lane(meanTerms, SD)), v128.load(<usize>i32x4.extract_lane(inputs, NOISE) + o + k)));
    }
    if (kind == NOISE_LEARNED) {
      // `learned`: sqrt of the predicted variance, a negative one (and -0) counted as +0 (IEEE max)
      const variance = v128.load(<usize>i32x4.extract_lane(inputs, VARIANCE) + o + k);
      r = f32x4.add(r, f32x4.mul(f32x4.sqrt(f32x4.max(variance, f32x4.splat(0))), v128.load(<usize>i32x4.extract_lane(inputs, NOISE) + o + k)));
    }
    v128.store(<usize>i32x4.extract_lane(outputs, X0) + o + k, y);
    v128.store(<usize>i32x4.extract_lane(outputs, PREV) + o + k, r);
  }

  /**
   * `len & ~3` elements of the float32 pass, four at a time, sixteen per iteration (unrolled: the loop's
   * own cost per iteration measured about a fifth of the time at one vector per iteration). Inlined once
   * per combination of the three modes, each passed as a literal, so that every combination is a
   * straight loop with no mode branch (measured 15-25 % faster than one loop with loop-invariant branches).
   */
  @inline static vector(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
    const inputs = v128.load(block + BLOCK_INPUTS);
    const outputs = v128.load(block + BLOCK_OUTPUTS);
    const x0Terms = v128.load(block + BLOCK_SCALARS);
    const meanTerms = v128.load(block + BLOCK_SCALARS + 16);
    const end = (<usize>(len & ~3)) << 2;
    const end16 = (<usize>(len & ~15)) << 2;
    let o: usize = 0;
    for (; o < end16; o += 64) {
      Float32Pass.four(o, 0, inputs, outputs, x0Terms, meanTerms, kind, prediction, clipMode);
      Float32Pass.four(o, 16, inputs, outputs, x0Terms, meanTerms, kind, prediction, clipMode);
      Float32Pass.four(o, 32, inputs, outputs, x0Terms, meanTerms, kind, prediction, clipMode);
      Float32Pass.four(o, 48, inputs, outputs, x0Terms, meanTerms, kind, prediction, clipMode);
    }
    for (; o < end; o += 16) {
      Float32Pass.four(o, 0, inputs, outputs, x0Terms, meanTerms, kind, prediction, clipMode);
    }
  }

  /** Dispatches on the clip mode, passing it on as a literal. */
  @inline static byClip(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
    if (clipMode == 0) Float32Pass.vector(block, len, kind, prediction, 0);
    else if (clipMode == 1) Float32Pass.vector(block, len, kind, prediction, 1);
    else Float32Pass.vector(block, len, kind, prediction, 2);
  }

  /** Dispatches on the prediction type, passing it on as a literal. */
  @inline static byPrediction(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
    if (prediction == 0) Float32Pass.byClip(block, len, kind, 0, clipMode);
    else if (prediction == 1) Float32Pass.byClip(block, len, kind, 1, clipMode);
    else Float32Pass.byClip(block, len, kind, 2, clipMode);
  }
}

/** The last `len & 3` elements of the float32 pass, one at a time, with the same f32 operations. */
function tail32(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
  const model = load<usize>(block + BLOCK_INPUTS + 4 * MODEL);
  const sample = load<usize>(block + BLOCK_INPUTS + 4 * SAMPLE);
  const noise = load<usize>(block + BLOCK_INPUTS + 4 * NOISE);
  const variance = load<usize>(block + BLOCK_INPUTS + 4 * VARIANCE);
  const prev = load<usize>(block + BLOCK_OUTPUTS + 4 * PREV);
  const x0 = load<usize>(block + BLOCK_OUTPUTS + 4 * X0);
  const a = load<f32>(block + BLOCK_SCALARS + 4 * A);
  const b = load<f32>(block + BLOCK_SCALARS + 4 * B);
  const c = load<f32>(block + BLOCK_SCALARS + 4 * C);
  // meanTerms, the second f32x4 of scalars
  const c0 = load<f32>(block + BLOCK_SCALARS + 16 + 4 * C0);
  const ct = load<f32>(block + BLOCK_SCALARS + 16 + 4 * CT);
  const sd = load<f32>(block + BLOCK_SCALARS + 16 + 4 * SD);
  for (let i = len & ~3; i < len; i++) {
    const o = (<usize>i) << 2;
    const x = load<f32>(sample + o);
    const m = load<f32>(model + o);
    let y = prediction == PREDICT_EPSILON ? (x - b * m) / a : prediction == PREDICT_VELOCITY ? a * x - b * m : m;
    if (clipMode != CLIP_NONE) {
      const low = y < -c ? -c : y;
      y = c < low ? c : low;
      if (clipMode == CLIP_THRESHOLD) y = y / c;
    }
    let r = c0 * y + ct * x;
    if (kind == NOISE_SCALED) r = r + sd * load<f32>(noise + o);
    if (kind == NOISE_LEARNED) r = r + sqrt<f32>(max<f32>(load<f32>(variance + o), 0)) * load<f32>(noise + o);
    store<f32>(x0 + o, y);
    store<f32>(prev + o, r);
  }
}

/**
 * One fused float32 pass over `len` contiguous elements, its operands and scalars read from the
 * parameter block at `block`. kind 0: prev = c0 x0 + ct x; kind 1: + sd * noise; kind 2:
 * + sqrt(max(v, 0)) * noise (`learned`). Every input element is read before the same index of the
 * outputs is written, so an output may be an input.
 */
export function step32(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
  // one straight loop per (kind, prediction, clipMode)
  if (kind == 0) Float32Pass.byPrediction(block, len, 0, prediction, clipMode);
  else if (kind == 1) Float32Pass.byPrediction(block, len, 1, prediction, clipMode);
  else Float32Pass.byPrediction(block, len, 2, prediction, clipMode);
  tail32(block, len, kind, prediction, clipMode);
}

// step64 reads the scalars as doubles at these offsets, and splats them before its loop: splatting lanes
// of vectors read from the block, as step32 does, measured 1.3-1.5x slower at four elements per
// iteration (V8 does not move the splats out of the loop).
const F64_A: usize = BLOCK_SCALARS;
const F64_B: usize = BLOCK_SCALARS + 8;
const F64_C: usize = BLOCK_SCALARS + 16;
const F64_NEG_C: usize = BLOCK_SCALARS + 24;
const F64_C0: usize = BLOCK_SCALARS + 32;
const F64_CT: usize = BLOCK_SCALARS + 40;
const F64_SD: usize = BLOCK_SCALARS + 48;

/** The float64 pass's pieces, as the float32 pass's: each element in double, rounded once at the store. */
class Float64Pass {
  /** 2-3. x0 of two lanes in double (eq. 15, the identity, or the v form), clipped or thresholded. */
  @inline static x0(x: v128, model: v128, a: v128, b: v128, c: v128, negC: v128, prediction: i32, clipMode: i32): v128 {
    let y = model;
    if (prediction == PREDICT_EPSILON) y = f64x2.div(f64x2.sub(x, f64x2.mul(b, model)), a);
    else if (prediction == PREDICT_VELOCITY) y = f64x2.sub(f64x2.mul(a, x), f64x2.mul(b, model));
    if (clipMode != CLIP_NONE) {
      y = f64x2.pmin(f64x2.pmax(y, negC), c);
      if (clipMode == CLIP_THRESHOLD) y = f64x2.div(y, c);
    }
    return y;
  }

  /** 5-6. the posterior mean of two lanes in double, plus the noise term of `kind`. */
  @inline static prev(y: v128, x: v128, noise: v128, variance: v128, c0: v128, ct: v128, sd: v128, kind: i32): v128 {
    const r = f64x2.add(f64x2.mul(c0, y), f64x2.mul(ct, x));
    if (kind == NOISE_SCALED) return f64x2.add(r, f64x2.mul(sd, noise));
    if (kind == NOISE_LEARNED) return f64x2.add(r, f64x2.mul(f64x2.sqrt(f64x2.max(variance, f64x2.splat(0))), noise));
    return r;
  }

  /**
   * `len & ~3` elements, four per iteration as two f64x2 halves, inlined once per combination of the
   * modes as in the float32 pass (83 -> 66 us at 65 536 against one loop with the mode branches inside;
   * unrolling it further did not help, the f64x2 divisions bound it).
   */
  @inline static vector(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
    const model = load<usize>(block + BLOCK_INPUTS + 4 * MODEL);
    const sample = load<usize>(block + BLOCK_INPUTS + 4 * SAMPLE);
    const noise = load<usize>(block + BLOCK_INPUTS + 4 * NOISE);
    const variance = load<usize>(block + BLOCK_INPUTS + 4 * VARIANCE);
    const prev = load<usize>(block + BLOCK_OUTPUTS + 4 * PREV);
    const x0 = load<usize>(block + BLOCK_OUTPUTS + 4 * X0);
    const a = v128.load64_splat(block + F64_A);
    const b = v128.load64_splat(block + F64_B);
    const c = v128.load64_splat(block + F64_C);
    const negC = v128.load64_splat(block + F64_NEG_C);
    const c0 = v128.load64_splat(block + F64_C0);
    const ct = v128.load64_splat(block + F64_CT);
    const sd = v128.load64_splat(block + F64_SD);
    const end = (<usize>(len & ~3)) << 2;
    for (let o: usize = 0; o < end; o += 16) {
      const x4 = v128.load(sample + o);
      const m4 = v128.load(model + o);
      // the noise and variance are only read for the kinds that use them
      const z4 = kind == NOISE_NONE ? x4 : v128.load(noise + o);
      const v4 = kind == NOISE_LEARNED ? v128.load(variance + o) : x4;
      const xl = low64(x4);
      const xh = high64(x4);
      const yl = Float64Pass.x0(xl, low64(m4), a, b, c, negC, prediction, clipMode);
      const yh = Float64Pass.x0(xh, high64(m4), a, b, c, negC, prediction, clipMode);
      const pl = Float64Pass.prev(yl, xl, low64(z4), low64(v4), c0, ct, sd, kind);
      const ph = Float64Pass.prev(yh, xh, high64(z4), high64(v4), c0, ct, sd, kind);
      v128.store(x0 + o, pack32(yl, yh));
      v128.store(prev + o, pack32(pl, ph));
    }
  }

  @inline static byClip(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
    if (clipMode == 0) Float64Pass.vector(block, len, kind, prediction, 0);
    else if (clipMode == 1) Float64Pass.vector(block, len, kind, prediction, 1);
    else Float64Pass.vector(block, len, kind, prediction, 2);
  }

  @inline static byPrediction(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
    if (prediction == 0) Float64Pass.byClip(block, len, kind, 0, clipMode);
    else if (prediction == 1) Float64Pass.byClip(block, len, kind, 1, clipMode);
    else Float64Pass.byClip(block, len, kind, 2, clipMode);
  }
}

/** The last `len & 3` elements of the float64 pass, one at a time, with the same double operations. */
function tail64(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
  const model = load<usize>(block + BLOCK_INPUTS + 4 * MODEL);
  const sample = load<usize>(block + BLOCK_INPUTS + 4 * SAMPLE);
  const noise = load<usize>(block + BLOCK_INPUTS + 4 * NOISE);
  const variance = load<usize>(block + BLOCK_INPUTS + 4 * VARIANCE);
  const prev = load<usize>(block + BLOCK_OUTPUTS + 4 * PREV);
  const x0 = load<usize>(block + BLOCK_OUTPUTS + 4 * X0);
  const a = load<f64>(block + F64_A);
  const b = load<f64>(block + F64_B);
  const c = load<f64>(block + F64_C);
  const c0 = load<f64>(block + F64_C0);
  const ct = load<f64>(block + F64_CT);
  const sd = load<f64>(block + F64_SD);
  for (let i = len & ~3; i < len; i++) {
    const o = (<usize>i) << 2;
    const x = <f64>load<f32>(sample + o);
    const m = <f64>load<f32>(model + o);
    let y = prediction == PREDICT_EPSILON ? (x - b * m) / a : prediction == PREDICT_VELOCITY ? a * x - b * m : m;
    if (clipMode != CLIP_NONE) {
      const low = y < -c ? -c : y;
      y = c < low ? c : low;
      if (clipMode == CLIP_THRESHOLD) y = y / c;
    }
    let r = c0 * y + ct * x;
    if (kind == NOISE_SCALED) r = r + sd * <f64>load<f32>(noise + o);
    if (kind == NOISE_LEARNED) r = r + Math.sqrt(max<f64>(<f64>load<f32>(variance + o), 0)) * <f64>load<f32>(noise + o);
    store<f32>(x0 + o, <f32>y);
    store<f32>(prev + o, <f32>r);
  }
}

/**
 * The fused pass for float64 tables: each element in double, rounded to float32 once at the store, as
 * the JavaScript float64 loop does. Same arguments, parameter block and aliasing rule as step32.
 */
export function step64(block: usize, len: i32, kind: i32, prediction: i32, clipMode: i32): void {
  // one straight loop per (kind, prediction, clipMode)
  if (kind == 0) Float64Pass.byPrediction(block, len, 0, prediction, clipMode);
  else if (kind == 1) Float64Pass.byPrediction(block, len, 1, prediction, clipMode);
  else Float64Pass.byPrediction(block, len, 2, prediction, clipMode);
  tail64(block, len, kind, prediction, clipMode);
}

// ---------------------------------------------------------------------------------------------------
// MT19937: 624 words at `state`, regenerated in place
//
// The generator's loops read their vector constants from small tables with splat loads (one
// instruction each). V8 builds a v128 constant written in the code anew at every use, inside loops
// too (a 64-bit immediate move, a move into the vector register and a shuffle), and Binaryen folds
// constants computed before a loop back into their uses, so tables are the cheaper form.
//
// asc places static data from byte 1024 on, where instance.ts keeps the MT19937 state (STATE = 1024,
// 624 words) and then the step's parameter block (STEP_BLOCK); the first two static blocks reserve
// those bytes, so that the tables lie past both and below the staging chunks (randnBlocks.test.ts
// checks the module's data segments).

const MT_N: i32 = 624;
const MT_M: i32 = 397;

// The bytes of the MT19937 state, which the JavaScript side writes: no table may lie here.
memory.data(MT_N << 2, 16);
// The step's parameter block, right after the state (instance.ts's STEP_BLOCK), written the same way.
memory.data(STEP_BLOCK_BYTES, 16);

// Integer constants: the masks of the twist and of the tempering, and the low 24 bits.
const I32_K: usize = memory.data<u32>([0x80000000, 0x7fffffff, 0x9908b0df, 0x9d2c5680, 0xefc60000, 0x00ffffff]);
const K_UPPER: usize = 0;
const K_LOWER: usize = 4;
const K_MATRIX: usize = 8;
const K_TEMPER_B: usize = 12;
const K_TEMPER_C: usize = 16;
const K_LOW24: usize = 20;

// Four lanes of the twist and of the tempering, and the integer table (static methods, so that
// @inline is valid TypeScript syntax for the linter, as for Float32Pass).
class MtVector {
  @inline static splat32(offset: usize): v128 {
    return v128.load32_splat(I32_K + offset);
  }

  @inline static twist4(current: v128, next: v128, far: v128): v128 {
    const y = v128.or(v128.and(current, MtVector.splat32(K_UPPER)), v128.and(next, MtVector.splat32(K_LOWER)));
    // all ones where y is odd: bit 0 shifted to the sign, then spread by an arithmetic shift
    const odd = i32x4.shr_s(i32x4.shl(y, 31), 31);
    return v128.xor(v128.xor(far, i32x4.shr_u(y, 1)), v128.and(odd, MtVector.splat32(K_MATRIX)));
  }

  @inline static uniform4(word: v128): v128 {
    // The MT19937 tempering, then the low 24 bits times 2^-24: exactly PyTorch's float32 uniform.
    let y = v128.xor(word, i32x4.shr_u(word, 11));
    y = v128.xor(y, v128.and(i32x4.shl(y, 7), MtVector.splat32(K_TEMPER_B)));
    y = v128.xor(y, v128.and(i32x4.shl(y, 15), MtVector.splat32(K_TEMPER_C)));
    y = v128.xor(y, i32x4.shr_u(y, 18));
    return f32x4.mul(f32x4.convert_i32x4_s(v128.and(y, MtVector.splat32(K_LOW24))), Log.splatF32(F_TWO_M24));
  }
}

function twist(current: u32, next: u32, far: u32): u32 {
  const y = (current & 0x80000000) | (next & 0x7fffffff);
  return far ^ (y >> 1) ^ ((0 - (y & 1)) & 0x9908b0df);
}

/** Regenerates the 624 words at `state` in place, four at a time where the recurrence allows it. */
export function mtRegenerate(state: usize): void {
  let i = 0;
  // Words i + 397 are still old for i < 227; four lanes read words i .. i + 4, none written yet.
  for (; i + 4 <= MT_N - MT_M; i += 4) {
    const a = state + ((<usize>i) << 2);
    v128.store(a, MtVector.twist4(v128.load(a), v128.load(a + 4), v128.load(a + (<usize>MT_M << 2))));
  }
  for (; i < MT_N - MT_M; i++) {
    const a = state + ((<usize>i) << 2);
    store<u32>(a, twist(load<u32>(a), load<u32>(a + 4), load<u32>(a + (<usize>MT_M << 2))));
  }
  // From 227 on, word i - 227 is already new; it lies 227 words behind, far outside a 4-lane group.
  for (; i + 4 <= MT_N - 1; i += 4) {
    const a = state + ((<usize>i) << 2);
    v128.store(a, MtVector.twist4(v128.load(a), v128.load(a + 4), v128.load(a - (<usize>(MT_N - MT_M) << 2))));
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
      v128.store(dst, MtVector.uniform4(v128.load(src)));
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
// Box-Muller: the logarithm, sine and cosine of src/random/sincos.ts, in f64x2, operation for operation
//
// The JavaScript kernel is the definition. Every rounded operation here is the IEEE double operation
// that sincos.ts does, on the same operands and in the same order, and neither JavaScript nor
// WebAssembly fuses a multiply and an add, so each lane gives the JavaScript bits. Only exact steps
// are done differently: the exponent and mantissa of the log's argument come from its float32 bits
// (Math.clz32 of the 24-bit integer there), and signs are flipped with an xor (a product with +-1
// there). src/wasm/boxMullerExhaustive.test.ts compares both on each of the 2^24 inputs of each.

// float32 constants: Box-Muller's, and the scale 2^-24 of the uniforms.
const F32_K: usize = memory.data<f32>([1, -2, 5.9604644775390625e-8]);
const F_ONE: usize = 0;
const F_MINUS_TWO: usize = 4;
const F_TWO_M24: usize = 8;

// Integer constants of the log's split x = m 2^k: the mantissa field; the largest one with
// 1.mantissa < sqrt 2 (floor((sqrt 2 - 1) 2^23), the threshold of sincos.ts's test on 24-bit
// integers); the exponent field of 1.0; the exponent bias.
const I32_LOG: usize = memory.data<i32>([0x007fffff, 3474675, 0x3f800000, 127]);
const L_MANTISSA: usize = 0;
const L_BELOW_SQRT2: usize = 4;
const L_ONE_BITS: usize = 8;
const L_BIAS: usize = 12;

// Double constants, with sincos.ts's values: the angle, its reduction (PIO2_HI has 33 significant
// bits, so k * PIO2_HI is exact for small k; adding ROUNDER = 1.5 * 2^52 to a double of magnitude
// below 2^51 rounds it to an integer, to nearest, ties to even, held in the low bits of the sum's
// significand), the sine and cosine polynomials, and fdlibm's log: ln 2 in two parts, Lg1 .. Lg7.
const F64_K: usize = memory.data<f64>([
  6.283185307179586, 0.6366197723675814, 6755399441055744, 1.5707963267341256, 6.077100506506192e-11,
  // sin: fdlibm's S6 .. S1
  1.58969099521155010221e-10, -2.50507602534068634195e-8, 2.75573137070700676789e-6,
  -1.98412698298579493134e-4, 8.33333333332248946124e-3, -1.66666666666666324348e-1,
  // cos: fdlibm's C6 .. C1
  -1.13596475577881948265e-11, 2.08757232129817482790e-9, -2.75573143513906633035e-7,
  2.48015872894767294178e-5, -1.38888888888741095749e-3, 4.16666666666666019037e-2,
  1, 0.5,
  // log: 2, LN2_HI, LN2_LO, Lg1 .. Lg7
  2, 6.93147180369123816490e-1, 1.90821492927058770002e-10,
  6.666666666666735130e-1, 3.999999999940941908e-1, 2.857142874366239149e-1, 2.222219843214978396e-1,
  1.818357216161805012e-1, 1.531383769920937332e-1, 1.479819860511658591e-1,
]);
const D_TWO_PI: usize = 0;
const D_TWO_OVER_PI: usize = 8;
const D_ROUNDER: usize = 16;
const D_PIO2_HI: usize = 24;
const D_PIO2_LO: usize = 32;
const D_SIN: usize = 40;
const D_COS: usize = 88;
const D_ONE: usize = 136;
const D_HALF: usize = 144;
const D_TWO: usize = 152;
const D_LN2_HI: usize = 160;
const D_LN2_LO: usize = 168;
const D_LG: usize = 176; // Lg1 at D_LG, Lg7 at D_LG + 48

class Log {
  @inline static splatF32(offset: usize): v128 {
    return v128.load32_splat(F32_K + offset);
  }

  @inline static splat32(offset: usize): v128 {
    return v128.load32_splat(I32_LOG + offset);
  }

  @inline static splatF64(offset: usize): v128 {
    return v128.load64_splat(F64_K + offset);
  }

  /**
   * Two lanes of sincos.ts's `uniformLog` after the split, in double: log(m 2^k) from f = m - 1 and
   * k (both exact), fdlibm's f - s (f - R) + k ln 2 with s = f / (2 + f), unrounded.
   */
  @inline static fromSplit2(f: v128, k: v128): v128 {
    const s = f64x2.div(f, f64x2.add(Log.splatF64(D_TWO), f));
    const z = f64x2.mul(s, s);
    const w = f64x2.mul(z, z);
    // t2 = z (Lg1 + w (Lg3 + w (Lg5 + w Lg7))), t1 = w (Lg2 + w (Lg4 + w Lg6)), R = t2 + t1
    let t2 = f64x2.add(Log.splatF64(D_LG + 32), f64x2.mul(w, Log.splatF64(D_LG + 48)));
    t2 = f64x2.add(Log.splatF64(D_LG + 16), f64x2.mul(w, t2));
    t2 = f64x2.mul(z, f64x2.add(Log.splatF64(D_LG), f64x2.mul(w, t2)));
    let t1 = f64x2.add(Log.splatF64(D_LG + 24), f64x2.mul(w, Log.splatF64(D_LG + 40)));
    t1 = f64x2.mul(w, f64x2.add(Log.splatF64(D_LG + 8), f64x2.mul(w, t1)));
    const r = f64x2.add(t2, t1);
    // k LN2_HI - ((s (f - R) - k LN2_LO) - f)
    const tail = f64x2.sub(f64x2.sub(f64x2.mul(s, f64x2.sub(f, r)), f64x2.mul(k, Log.splatF64(D_LN2_LO))), f);
    return f64x2.sub(f64x2.mul(k, Log.splatF64(D_LN2_HI)), tail);
  }

  /**
   * log(x) rounded to float32 for four normal float32 lanes x > 0, as sincos.ts's `uniformLog` for
   * the values it takes: x = m 2^k with m in [sqrt(1/2), sqrt(2)), read from the bits.
   */
  @inline static log4(x: v128): v128 {
    const mantissa = v128.and(x, Log.splat32(L_MANTISSA));
    // all ones where 1.mantissa >= sqrt 2: then m = 1.mantissa / 2 (exponent field 126) and k + 1
    const big = i32x4.gt_s(mantissa, Log.splat32(L_BELOW_SQRT2));
    const m = v128.or(mantissa, i32x4.add(Log.splat32(L_ONE_BITS), i32x4.shl(big, 23)));
    // m - 1 is exact in float32 (m and 1 lie within a factor of 2: Sterbenz), and so in double
    const f = f32x4.sub(m, Log.splatF32(F_ONE));
    const k = i32x4.sub(i32x4.sub(i32x4.shr_u(x, 23), Log.splat32(L_BIAS)), big);
    const low = Log.fromSplit2(low64(f), f64x2.convert_low_i32x4_s(k));
    const high = Log.fromSplit2(high64(f), f64x2.convert_low_i32x4_s(i32x4.shuffle(k, k, 2, 3, 2, 3)));
    return pack32(low, high);
  }
}

class Trig {
  @inline static splatF64(offset: usize): v128 {
    return v128.load64_splat(F64_K + offset);
  }

  /**
   * Two lanes of the angle theta = float32(2 pi u), as PyTorch's `2.0f * c10::pi<double> * u` rounds it
   * (once, from double), returned exactly in double.
   */
  @inline static angle2(u: v128): v128 {
    return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(f64x2.mul(u, Trig.splatF64(D_TWO_PI))));
  }

  /** sin r for |r| <= pi/4 + a little, two lanes of double, z = r * r: fdlibm's polynomial, by Horner's rule. */
  @inline static sinPoly2(r: v128, z: v128): v128 {
    // r + r z (S1 + z (S2 + z (S3 + z (S4 + z (S5 + z S6))))), as sincos.ts
    let p = f64x2.add(Trig.splatF64(D_SIN + 8), f64x2.mul(z, Trig.splatF64(D_SIN)));
    p = f64x2.add(Trig.splatF64(D_SIN + 16), f64x2.mul(z, p));
    p = f64x2.add(Trig.splatF64(D_SIN + 24), f64x2.mul(z, p));
    p = f64x2.add(Trig.splatF64(D_SIN + 32), f64x2.mul(z, p));
    p = f64x2.add(Trig.splatF64(D_SIN + 40), f64x2.mul(z, p));
    return f64x2.add(r, f64x2.mul(f64x2.mul(r, z), p));
  }

  /** cos r for |r| <= pi/4 + a little, two lanes of double: (1 - z / 2) + z^2 (C1 + z (C2 + ...)). */
  @inline static cosPoly2(z: v128): v128 {
    let p = f64x2.add(Trig.splatF64(D_COS + 8), f64x2.mul(z, Trig.splatF64(D_COS)));
    p = f64x2.add(Trig.splatF64(D_COS + 16), f64x2.mul(z, p));
    p = f64x2.add(Trig.splatF64(D_COS + 24), f64x2.mul(z, p));
    p = f64x2.add(Trig.splatF64(D_COS + 32), f64x2.mul(z, p));
    p = f64x2.add(Trig.splatF64(D_COS + 40), f64x2.mul(z, p));
    return f64x2.add(f64x2.sub(Trig.splatF64(D_ONE), f64x2.mul(Trig.splatF64(D_HALF), z)), f64x2.mul(f64x2.mul(z, z), p));
  }

  /**
   * Sine and cosine of four angles given as two f64x2 halves (each exactly a float32 in [0, 2 pi]),
   * rounded to float32: sine into `sinOut`, cosine returned; sincos.ts's `sinCos`, lane by lane.
   */
  @inline static sinCos4(tl: v128, th: v128, sinOut: usize): v128 {
    const rounder = Trig.splatF64(D_ROUNDER);
    // k = nearest(theta 2 / pi) in 0 .. 4, as a double and, in the low word of each lane, as an integer
    const bl = f64x2.add(f64x2.mul(tl, Trig.splatF64(D_TWO_OVER_PI)), rounder);
    const bh = f64x2.add(f64x2.mul(th, Trig.splatF64(D_TWO_OVER_PI)), rounder);
    const kl = f64x2.sub(bl, rounder);
    const kh = f64x2.sub(bh, rounder);
    // theta - k PIO2_HI is exact; the remainder in double carries about 2^-50 relative error.
    const rl = f64x2.sub(f64x2.sub(tl, f64x2.mul(kl, Trig.splatF64(D_PIO2_HI))), f64x2.mul(kl, Trig.splatF64(D_PIO2_LO)));
    const rh = f64x2.sub(f64x2.sub(th, f64x2.mul(kh, Trig.splatF64(D_PIO2_HI))), f64x2.mul(kh, Trig.splatF64(D_PIO2_LO)));
    const k = i32x4.shuffle(bl, bh, 0, 2, 4, 6);
    const zl = f64x2.mul(rl, rl);
    const zh = f64x2.mul(rh, rh);
    const s = pack32(Trig.sinPoly2(rl, zl), Trig.sinPoly2(rh, zh));
    const c = pack32(Trig.cosPoly2(zl), Trig.cosPoly2(zh));
    // sin(r + k pi/2): odd quadrants swap sine and cosine; the sign of the sine is bit 1 of k, that of
    // the cosine bit 1 of k + 1, i.e. bit 1 xor bit 0 of k. Rounding commutes with negation, so
    // flipping the float32 sign equals sincos.ts's product with -1 before rounding.
    const bit0 = i32x4.shl(k, 31);
    const bit1 = i32x4.shl(k, 30);
    const swap = v128.and(v128.xor(s, c), i32x4.shr_s(bit0, 31));
    const sign = MtVector.splat32(K_UPPER);
    v128.store(sinOut, v128.xor(v128.xor(s, swap), v128.and(bit1, sign)));
    return v128.xor(v128.xor(c, swap), v128.and(v128.xor(bit1, bit0), sign));
  }

  /** Sine and cosine of float32(2 pi u) for four uniforms u in [0, 1): sin into `sinOut`, cos returned. */
  @inline static sinCosTwoPi4(u: v128, sinOut: usize): v128 {
    return Trig.sinCos4(Trig.angle2(low64(u)), Trig.angle2(high64(u)), sinOut);
  }
}

/**
 * Box-Muller over `blocks` blocks of 16 uniforms at `out`, in place, as PyTorch's float32 normal_fill:
 * u1 = 1 - u[j], u2 = u[j + 8], radius sqrt(-2 log u1), cosine into slot j, sine into slot j + 8.
 * The same bits as the JavaScript `boxMullerBlock`: 1 - u, -2 log, the square root, the products and
 * the + 0 are single float32 operations, which the JavaScript kernel does exactly in double and rounds.
 */
export function boxMullerBlocks(out: usize, blocks: i32): void {
  const end = out + ((<usize>blocks) << 6);
  for (let at = out; at < end; at += 64) {
    // Four lanes of u1 (slots j .. j + 3) with their partners u2 (j + 8 .. j + 11) at a time, j = 0, 4:
    // one log and one sine-cosine in flight keep V8's register allocator from spilling, where a
    // whole block (two of each) spilled a third of its instructions (3.6 against 4.3 ns per sample).
    for (let q: usize = 0; q < 32; q += 16) {
      const p = at + q;
      const radius = f32x4.sqrt(f32x4.mul(Log.splatF32(F_MINUS_TWO), Log.log4(f32x4.sub(Log.splatF32(F_ONE), v128.load(p)))));
      const cos = Trig.sinCosTwoPi4(v128.load(p, 32), p + 32);
      // + 0 turns -0 into +0, as PyTorch's `x * std + mean` does
      const zero = f32x4.splat(0);
      v128.store(p, f32x4.add(f32x4.mul(radius, cos), zero));
      v128.store(p, f32x4.add(f32x4.mul(radius, v128.load(p, 32)), zero), 32);
    }
  }
}

/**
 * The log of Box-Muller, exported for the exhaustive comparison and the accuracy sweep: log of `n`
 * (a multiple of 4) normal float32 values x > 0, rounded to float32, from `input` into `out`.
 */
export function logArray(input: usize, out: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, Log.log4(v128.load(input + o)));
  }
}

/**
 * The sine and cosine of Box-Muller, exported as logArray: sine and cosine of `n` (a multiple of 4)
 * float32 angles in [0, 2 pi], rounded to float32.
 */
export function sinCosArray(input: usize, sinOut: usize, cosOut: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    const a = v128.load(input + o);
    v128.store(cosOut + o, Trig.sinCos4(low64(a), high64(a), sinOut + o));
  }
}
