// The WebAssembly SIMD kernels of ddpm-scheduler, in AssemblyScript. Built by `npm run build:wasm`
// twice: into src/wasm/generated/kernels.wasm.ts (SIMD) and kernels-relaxed.wasm.ts (SIMD plus relaxed
// SIMD, where ASC_FEATURE_RELAXED_SIMD is true); `npm run check:wasm` checks that both builds reproduce.
//
// No allocation and no runtime: every function works on pointers into the module's memory that the
// JavaScript side hands over (staging chunks, generator state, or tensors made by allocTensor).
//
// Step kernels run the very operations of the JavaScript kernel, in the same order, so both backends
// give bit-identical outputs: f32x4 in torch's float32 op order for float32 tables, f64x2 for float64.
// The generator runs MT19937 and the uniform extraction in i32x4, and torch.randn's two Box-Muller
// flavors (glibc's logf, sinf and cosf; the AVX2 kernel's float32 polynomials) with the operations of
// src/kernels/js, so randn gives the JavaScript bits too: in the SIMD build in f64x2, each fused
// multiply-add emulated; in the relaxed build with `relaxed_madd` as the fused one (instance.ts takes
// that build only where fusedMultiplyAdds() shows the engine fuses it).

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

/**
 * Mode.of<T>(): the mode code (0, 1 or 2: a NOISE_*, PREDICT_* or CLIP_* value) that the type T stands
 * for, u8, u16 and u32 for 0, 1 and 2. The passes take their modes as type arguments, so that AssemblyScript
 * compiles each combination's loop with the other modes' code already removed (sizeof<T>() is a
 * compile-time constant, and an `if` on a constant keeps one branch). With the modes as literal
 * arguments of inlined functions, Binaryen merged the combinations' loops back into one per prediction
 * type that tested the noise kind and the clip mode in every iteration (read off the module's text: 7
 * loops in step32 where there are 27 combinations).
 */
class Mode {
  @inline static of<T>(): i32 {
    return sizeof<T>() == 1 ? 0 : sizeof<T>() == 2 ? 1 : 2;
  }
}

// The float32 pass's pieces, as static methods: AssemblyScript's @inline decorator is valid TypeScript
// syntax on class members (the linter parses this file as TypeScript).
class Float32Pass {
  /** 2. x0: eq. 15 (x - b m) / a, the identity, or the v form a x - b m; every op rounded to float32. */
  @inline static x0<P>(x: v128, model: v128, x0Terms: v128): v128 {
    const a = f32x4.splat(f32x4.extract_lane(x0Terms, A));
    const b = f32x4.splat(f32x4.extract_lane(x0Terms, B));
    if (Mode.of<P>() == PREDICT_EPSILON) return f32x4.div(f32x4.sub(x, f32x4.mul(b, model)), a);
    if (Mode.of<P>() == PREDICT_VELOCITY) return f32x4.sub(f32x4.mul(a, x), f32x4.mul(b, model));
    return model;
  }

  /** 3. clamp to [-c, c] by comparisons (pmax(y, l) is y < l ? l : y), then divide by c when thresholding. */
  @inline static clip<M>(y: v128, x0Terms: v128): v128 {
    if (Mode.of<M>() == CLIP_NONE) return y;
    const c = f32x4.splat(f32x4.extract_lane(x0Terms, C));
    const t = f32x4.pmin(f32x4.pmax(y, f32x4.splat(f32x4.extract_lane(x0Terms, NEG_C))), c);
    return Mode.of<M>() == CLIP_THRESHOLD ? f32x4.div(t, c) : t;
  }

  /**
   * Four elements at byte offset `o + k` (`k` a literal, which the compiler folds into the memory
   * offset): every input element is read before the outputs at that offset are written.
   */
  @inline static four<K, P, M>(o: usize, k: usize, inputs: v128, outputs: v128, x0Terms: v128, meanTerms: v128): void {
    const x = v128.load(<usize>i32x4.extract_lane(inputs, SAMPLE) + o + k);
    const model = v128.load(<usize>i32x4.extract_lane(inputs, MODEL) + o + k);
    const y = Float32Pass.clip<M>(Float32Pass.x0<P>(x, model, x0Terms), x0Terms);
    // 5. the posterior mean c0 x0 + ct x_t: two rounded products and their rounded sum
    const c0 = f32x4.splat(f32x4.extract_lane(meanTerms, C0));
    const ct = f32x4.splat(f32x4.extract_lane(meanTerms, CT));
    let r = f32x4.add(f32x4.mul(c0, y), f32x4.mul(ct, x));
    if (Mode.of<K>() == NOISE_SCALED) {
      r = f32x4.add(r, f32x4.mul(f32x4.splat(f32x4.extract_lane(meanTerms, SD)), v128.load(<usize>i32x4.extract_lane(inputs, NOISE) + o + k)));
    }
    if (Mode.of<K>() == NOISE_LEARNED) {
      // `learned`: sqrt of the predicted variance, a negative one (and -0) counted as +0 (IEEE max)
      const variance = v128.load(<usize>i32x4.extract_lane(inputs, VARIANCE) + o + k);
      r = f32x4.add(r, f32x4.mul(f32x4.sqrt(f32x4.max(variance, f32x4.splat(0))), v128.load(<usize>i32x4.extract_lane(inputs, NOISE) + o + k)));
    }
    v128.store(<usize>i32x4.extract_lane(outputs, X0) + o + k, y);
    v128.store(<usize>i32x4.extract_lane(outputs, PREV) + o + k, r);
  }

  /**
   * `len & ~3` elements of the float32 pass, four at a time, sixteen per iteration (unrolled: the loop's
   * own cost per iteration measured about a fifth of the time at one vector per iteration). Compiled
   * once per combination of the three modes (the noise kind K, the prediction P, the clip mode M: see
   * Mode), so that every combination is a straight loop with no mode branch.
   */
  @inline static vector<K, P, M>(block: usize, len: i32): void {
    const inputs = v128.load(block + BLOCK_INPUTS);
    const outputs = v128.load(block + BLOCK_OUTPUTS);
    const x0Terms = v128.load(block + BLOCK_SCALARS);
    const meanTerms = v128.load(block + BLOCK_SCALARS + 16);
    const end = (<usize>(len & ~3)) << 2;
    const end16 = (<usize>(len & ~15)) << 2;
    let o: usize = 0;
    for (; o < end16; o += 64) {
      Float32Pass.four<K, P, M>(o, 0, inputs, outputs, x0Terms, meanTerms);
      Float32Pass.four<K, P, M>(o, 16, inputs, outputs, x0Terms, meanTerms);
      Float32Pass.four<K, P, M>(o, 32, inputs, outputs, x0Terms, meanTerms);
      Float32Pass.four<K, P, M>(o, 48, inputs, outputs, x0Terms, meanTerms);
    }
    for (; o < end; o += 16) {
      Float32Pass.four<K, P, M>(o, 0, inputs, outputs, x0Terms, meanTerms);
    }
  }

  /** Dispatches on the clip mode, passing it on as a type. */
  @inline static byClip<K, P>(block: usize, len: i32, clipMode: i32): void {
    if (clipMode == 0) Float32Pass.vector<K, P, u8>(block, len);
    else if (clipMode == 1) Float32Pass.vector<K, P, u16>(block, len);
    else Float32Pass.vector<K, P, u32>(block, len);
  }

  /** Dispatches on the prediction type, passing it on as a type. */
  @inline static byPrediction<K>(block: usize, len: i32, prediction: i32, clipMode: i32): void {
    if (prediction == 0) Float32Pass.byClip<K, u8>(block, len, clipMode);
    else if (prediction == 1) Float32Pass.byClip<K, u16>(block, len, clipMode);
    else Float32Pass.byClip<K, u32>(block, len, clipMode);
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
  if (kind == 0) Float32Pass.byPrediction<u8>(block, len, prediction, clipMode);
  else if (kind == 1) Float32Pass.byPrediction<u16>(block, len, prediction, clipMode);
  else Float32Pass.byPrediction<u32>(block, len, prediction, clipMode);
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
  @inline static x0<P, M>(x: v128, model: v128, a: v128, b: v128, c: v128, negC: v128): v128 {
    let y = model;
    if (Mode.of<P>() == PREDICT_EPSILON) y = f64x2.div(f64x2.sub(x, f64x2.mul(b, model)), a);
    else if (Mode.of<P>() == PREDICT_VELOCITY) y = f64x2.sub(f64x2.mul(a, x), f64x2.mul(b, model));
    if (Mode.of<M>() != CLIP_NONE) {
      y = f64x2.pmin(f64x2.pmax(y, negC), c);
      if (Mode.of<M>() == CLIP_THRESHOLD) y = f64x2.div(y, c);
    }
    return y;
  }

  /** 5-6. the posterior mean of two lanes in double, plus the noise term of `kind`. */
  @inline static prev<K>(y: v128, x: v128, noise: v128, variance: v128, c0: v128, ct: v128, sd: v128): v128 {
    const r = f64x2.add(f64x2.mul(c0, y), f64x2.mul(ct, x));
    if (Mode.of<K>() == NOISE_SCALED) return f64x2.add(r, f64x2.mul(sd, noise));
    if (Mode.of<K>() == NOISE_LEARNED) return f64x2.add(r, f64x2.mul(f64x2.sqrt(f64x2.max(variance, f64x2.splat(0))), noise));
    return r;
  }

  /**
   * `len & ~3` elements, four per iteration as two f64x2 halves, compiled once per combination of the
   * modes as in the float32 pass (unrolling it further did not help, the f64x2 divisions bound it).
   */
  @inline static vector<K, P, M>(block: usize, len: i32): void {
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
      const z4 = Mode.of<K>() == NOISE_NONE ? x4 : v128.load(noise + o);
      const v4 = Mode.of<K>() == NOISE_LEARNED ? v128.load(variance + o) : x4;
      const xl = low64(x4);
      const xh = high64(x4);
      const yl = Float64Pass.x0<P, M>(xl, low64(m4), a, b, c, negC);
      const yh = Float64Pass.x0<P, M>(xh, high64(m4), a, b, c, negC);
      const pl = Float64Pass.prev<K>(yl, xl, low64(z4), low64(v4), c0, ct, sd);
      const ph = Float64Pass.prev<K>(yh, xh, high64(z4), high64(v4), c0, ct, sd);
      v128.store(x0 + o, pack32(yl, yh));
      v128.store(prev + o, pack32(pl, ph));
    }
  }

  @inline static byClip<K, P>(block: usize, len: i32, clipMode: i32): void {
    if (clipMode == 0) Float64Pass.vector<K, P, u8>(block, len);
    else if (clipMode == 1) Float64Pass.vector<K, P, u16>(block, len);
    else Float64Pass.vector<K, P, u32>(block, len);
  }

  @inline static byPrediction<K>(block: usize, len: i32, prediction: i32, clipMode: i32): void {
    if (prediction == 0) Float64Pass.byClip<K, u8>(block, len, clipMode);
    else if (prediction == 1) Float64Pass.byClip<K, u16>(block, len, clipMode);
    else Float64Pass.byClip<K, u32>(block, len, clipMode);
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
  if (kind == 0) Float64Pass.byPrediction<u8>(block, len, prediction, clipMode);
  else if (kind == 1) Float64Pass.byPrediction<u16>(block, len, prediction, clipMode);
  else Float64Pass.byPrediction<u32>(block, len, prediction, clipMode);
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
//
// The constants are loaded once per call, before the loops, and passed in: V8 (TurboFan) does not move
// a load out of a loop, so a splat loaded inside one was a broadcast from memory per use in every
// iteration; loaded before it, the splats stay in registers (read off V8's code with --print-wasm-code).
// The uniforms, regenerations included, ran 18-20 % faster (1.27-1.41 against 1.06-1.13 ns per word,
// three instances of each build in one process, twice).
class MtVector {
  @inline static splat32(offset: usize): v128 {
    return v128.load32_splat(I32_K + offset);
  }

  /** The twist of four words; upper, lower and matrix are the splats of K_UPPER, K_LOWER and K_MATRIX. */
  @inline static twist4(current: v128, next: v128, far: v128, upper: v128, lower: v128, matrix: v128): v128 {
    const y = v128.or(v128.and(current, upper), v128.and(next, lower));
    // all ones where y is odd: bit 0 shifted to the sign, then spread by an arithmetic shift
    const odd = i32x4.shr_s(i32x4.shl(y, 31), 31);
    return v128.xor(v128.xor(far, i32x4.shr_u(y, 1)), v128.and(odd, matrix));
  }

  /** Four uniforms; temperB, temperC and low24 are the splats of K_TEMPER_B, K_TEMPER_C, K_LOW24, scale of 2^-24. */
  @inline static uniform4(word: v128, temperB: v128, temperC: v128, low24: v128, scale: v128): v128 {
    // The MT19937 tempering, then the low 24 bits times 2^-24: exactly PyTorch's float32 uniform.
    let y = v128.xor(word, i32x4.shr_u(word, 11));
    y = v128.xor(y, v128.and(i32x4.shl(y, 7), temperB));
    y = v128.xor(y, v128.and(i32x4.shl(y, 15), temperC));
    y = v128.xor(y, i32x4.shr_u(y, 18));
    return f32x4.mul(f32x4.convert_i32x4_s(v128.and(y, low24)), scale);
  }
}

function twist(current: u32, next: u32, far: u32): u32 {
  const y = (current & 0x80000000) | (next & 0x7fffffff);
  return far ^ (y >> 1) ^ ((0 - (y & 1)) & 0x9908b0df);
}

/** Regenerates the 624 words at `state` in place, four at a time where the recurrence allows it. */
export function mtRegenerate(state: usize): void {
  const upper = MtVector.splat32(K_UPPER);
  const lower = MtVector.splat32(K_LOWER);
  const matrix = MtVector.splat32(K_MATRIX);
  let i = 0;
  // Words i + 397 are still old for i < 227; four lanes read words i .. i + 4, none written yet.
  for (; i + 4 <= MT_N - MT_M; i += 4) {
    const a = state + ((<usize>i) << 2);
    v128.store(a, MtVector.twist4(v128.load(a), v128.load(a + 4), v128.load(a + (<usize>MT_M << 2)), upper, lower, matrix));
  }
  for (; i < MT_N - MT_M; i++) {
    const a = state + ((<usize>i) << 2);
    store<u32>(a, twist(load<u32>(a), load<u32>(a + 4), load<u32>(a + (<usize>MT_M << 2))));
  }
  // From 227 on, word i - 227 is already new; it lies 227 words behind, far outside a 4-lane group.
  for (; i + 4 <= MT_N - 1; i += 4) {
    const a = state + ((<usize>i) << 2);
    v128.store(a, MtVector.twist4(v128.load(a), v128.load(a + 4), v128.load(a - (<usize>(MT_N - MT_M) << 2)), upper, lower, matrix));
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
  const temperB = MtVector.splat32(K_TEMPER_B);
  const temperC = MtVector.splat32(K_TEMPER_C);
  const low24 = MtVector.splat32(K_LOW24);
  const scale = v128.load32_splat(F32_K + F_TWO_M24);
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
      v128.store(dst, MtVector.uniform4(v128.load(src), temperB, temperC, low24, scale));
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
// torch.randn's Box-Muller blocks, in the two flavors of src/kernels/js
//
// The JavaScript kernels are the definition: scalarNormal.ts with glibcFloat.ts's fast paths (torch's
// default and AVX512 builds) and avx2Normal.ts (its AVX2 build). Every rounded operation here is the
// IEEE double operation those files do, on the same operands and in the same order, and each
// `Math.fround` there is a demotion to float32 here; neither JavaScript nor WebAssembly fuses a
// multiply and an add, so each lane gives the JavaScript bits. Only exact steps are done differently:
// integer splits read from float32 bits, sign flips as xors, and single float32 operations (a product,
// sum or square root of float32 values) as f32x4 ones, which equal the double operation rounded once.
//
// glibcFloat.ts's functions fall back to an exact slow path when their fast double result lies within
// its error bound of a float32 rounding boundary (about one input in 10^7). glibcNormalBlocks makes
// the same test per lane and leaves each block with a lane that fails it untouched, uniforms and all,
// listing it for src/wasm/randnBlocks.ts, which recomputes it with the JavaScript block function.

// float32 constants: the scale 2^-24 of the uniforms, Box-Muller's 1 and -2, the sign bit.
const F32_K: usize = memory.data<f32>([5.9604644775390625e-8, 1, -2, 0]);
const F_TWO_M24: usize = 0;
const F_ONE: usize = 4;
const F_MINUS_TWO: usize = 8;
const F_ZERO: usize = 12;

// Integer constants: logf's OFF (0x3f330000), the table-index mask, the exponent mask 0xff800000;
// sinf's rounding offset 2^23 and its tiny-argument bound (top 12 bits 0x398); the sign bit; the
// float32 mantissa field and 0.5's exponent field (avx_mathfun's split); 126; ~1; 2.
const I32_N: usize = memory.data<u32>([
  0x3f330000, 15, 0xff800000, 0x00800000, 0x39800000, 0x80000000, 0x007fffff, 0x3f000000, 126, 0xfffffffe, 2, 1,
]);
const N_LOGF_OFF: usize = 0;
const N_FIFTEEN: usize = 4;
const N_EXPONENT: usize = 8;
const N_HALF_2_24: usize = 12;
const N_TINY: usize = 16;
const N_SIGN: usize = 20;
const N_MANTISSA: usize = 24;
const N_HALF_BITS: usize = 28;
const N_126: usize = 32;
const N_NOT_ONE: usize = 36;
const N_TWO: usize = 40;
const N_ONE: usize = 44;

// glibc's logf table (e_logf_data.c) as glibcFloat.ts splits it: per index i, 32 bytes of
// invc_hi (29 significant bits, so that z invc_hi is exact), invc_lo = invc - invc_hi, logc, 0.
const LOGF_TABLE: usize = memory.data<f64>([
  1.398907158523798, 3.6227301158930914e-9, -0.33569133332882284, 0,
  1.3403141871094704, 2.5543294146501694e-9, -0.2929040563774074, 0,
  1.2864322066307068, 3.493408229360284e-9, -0.2518726580937369, 0,
  1.236715018749237, 2.677752464208538e-9, -0.21245868807117255, 0,
  1.1906977146863937, 1.9847814503037853e-9, -0.17453945183745634, 0,
  1.1479821018874645, 1.6817836012705811e-10, -0.1380057072319758, 0,
  1.1082251444458961, 3.8131964252841044e-10, -0.10275976698545139, 0,
  1.0711297392845154, 2.0212227447302666e-9, -0.06871392447020525, 0,
  1.036437276750803, 2.226480111389151e-9, -0.0357891387398228, 0,
  1, 0, 0, 0,
  0.9492859784513712, 1.1225345097898298e-9, 0.05204517742929496, 0,
  0.895104942843318, 1.758237999638368e-11, 0.11081431298787942, 0,
  0.847682161256671, 7.784393130094713e-10, 0.1652495223695143, 0,
  0.8050314839929342, 1.176265862490311e-9, 0.21687389031699977, 0,
  0.7664671000093222, 8.74988637100671e-10, 0.2659635028121397, 0,
  0.7314286027103662, 6.059617252418548e-10, 0.3127556664073557, 0,
], 16);

// Double constants of glibcFloat.ts (its hexadecimal literals, written out exactly): logf's Ln2 and
// A0 .. A2; the fast paths' 2^-49; the angle's 2 pi; sinf's 2/pi 2^24 and pi/2 = hi + lo; the sin
// polynomial's S1 .. S3 and the cos polynomial's C1 .. C4; 1.
const D_K: usize = memory.data<f64>([
  0.6931471805599453, -0.25089342214237154, 0.333456765744066, -0.4999997485802103, 1.7763568394002505e-15,
  6.283185307179586, 10680707.430881744, 1.5707963267948912, 5.329070518200751e-15,
  -0.16666654943701084, 0.008332178146138854, -0.00019517298981385725,
  -0.49999999725108224, 0.041666623324344516, -0.001388676379437604, 0.000024390450703564542, 1,
]);
const D_LN2: usize = 0;
const D_A0: usize = 8;
const D_A1: usize = 16;
const D_A2: usize = 24;
const D_E49: usize = 32;
const D_TWO_PI: usize = 40;
const D_HPI_INV: usize = 48;
const D_HPI_HI: usize = 56;
const D_HPI_LO: usize = 64;
const D_S1: usize = 72;
const D_S2: usize = 80;
const D_S3: usize = 88;
const D_C1: usize = 96;
const D_C2: usize = 104;
const D_C3: usize = 112;
const D_C4: usize = 120;
const D_ONE: usize = 128;

// avx_mathfun's float32 constants as avx2Normal.ts holds them (in double, each exactly a float32):
// cephes_SQRTHF, the log's P0 .. P8, Q1, Q2; 0.5; -DP1 .. -DP3; the sine's P0 .. P2, the cosine's
// P0 .. P2; 4/pi; 2 pi as a float32.
const A_K: usize = memory.data<f64>([
  0.7071067690849304, 0.07037683576345444, -0.11514610052108765, 0.11676998436450958, -0.12420140951871872,
  0.14249323308467865, -0.16668057441711426, 0.2000071406364441, -0.24999994039535522, 0.3333333134651184,
  -0.00021219444170128554, 0.693359375, 0.5, -0.78515625, -0.00024187564849853516, -3.774895063202166e-8,
  -0.00019515295571181923, 0.008332161232829094, -0.16666655242443085,
  0.0000244331567955669, -0.0013887316454201937, 0.04166664555668831,
]);
// The constants' indices, in A_K (doubles) and in R_K (floats, the relaxed build's: the same list, then
// 4/pi, 2 pi, 1 and -0.5 as float32).
const AVX_SQRTHF: usize = 0;
const AVX_P: usize = 1; // P0 .. P8
const AVX_Q1: usize = 10;
const AVX_Q2: usize = 11;
const AVX_HALF: usize = 12;
const AVX_MINUS_DP1: usize = 13;
const AVX_MINUS_DP2: usize = 14;
const AVX_MINUS_DP3: usize = 15;
const AVX_SIN: usize = 16; // P0 .. P2
const AVX_COS: usize = 19; // P0 .. P2
const AVX_FOPI: usize = 22;
const AVX_TWO_PI: usize = 23;
const AVX_ONE: usize = 24;
const AVX_MINUS_HALF: usize = 25;
const A_F32_K: usize = memory.data<f32>([1.2732394933700562, 6.2831854820251465]);
const A_FOPI: usize = 0;
const A_TWO_PI_F32: usize = 4;

class Lanes {
  @inline static f32(offset: usize): v128 {
    return v128.load32_splat(F32_K + offset);
  }

  @inline static i32(offset: usize): v128 {
    return v128.load32_splat(I32_N + offset);
  }

  @inline static d(offset: usize): v128 {
    return v128.load64_splat(D_K + offset);
  }

  /** avx_mathfun's constant `index` (AVX_*) as two double lanes. */
  @inline static a(index: usize): v128 {
    return v128.load64_splat(A_K + (index << 3));
  }

  /** Math.fround on two lanes of double: demoted to float32 (to nearest) and promoted back, exactly. */
  @inline static round2(v: v128): v128 {
    return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
  }

  /** [fround(lo0), fround(lo1), fround(hi0), fround(hi1)] as float32 lanes. */
  @inline static bounds(lo: v128, hi: v128): v128 {
    return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
  }

  /** Lanes 2, 3 of a 32-bit vector moved to lanes 0, 1. */
  @inline static upper(v: v128): v128 {
    return i32x4.shuffle(v, v, 2, 3, 2, 3);
  }
}

class Glibc {
  /** theta = (float)(2 pi u2) for four lanes, each product in double; twoPi is 2 pi as a double splat. */
  @inline static theta(u2: v128, twoPi: v128): v128 {
    return pack32(f64x2.mul(low64(u2), twoPi), f64x2.mul(high64(u2), twoPi));
  }

  /**
   * glibc's quadrant rule for n: all ones where n is odd (there sinf takes the cos polynomial and cosf
   * the sin one), the cos polynomial negated where n & 2 (`sign` is the sign bit's splat), the sin
   * polynomial where bit 0 xor bit 1 of n (glibc's sign table).
   */
  @inline static oddQuadrant(n: v128): v128 {
    return i32x4.shr_s(i32x4.shl(n, 31), 31);
  }

  @inline static cosSigned(c: v128, n: v128, sign: v128): v128 {
    return v128.xor(c, v128.and(i32x4.shl(n, 30), sign));
  }

  @inline static sinSigned(s: v128, n: v128): v128 {
    return v128.xor(s, i32x4.shl(v128.xor(n, i32x4.shr_u(n, 1)), 31));
  }

  /**
   * logf's fast path (glibcFloat.ts `logf`) for two lanes: z in [OFF, 2 OFF) and k (doubles) from
   * x = 2^k z, ia and ib the table indices. Returns the float32 lanes [fround(y - e) of each lane,
   * fround(y + e) of each lane]: the result is the first pair, trusted where it equals the second.
   */
  @inline static logf2(z: v128, k: v128, ia: i32, ib: i32): v128 {
    const ta = LOGF_TABLE + ((<usize>ia) << 5);
    const tb = LOGF_TABLE + ((<usize>ib) << 5);
    const a = v128.load(ta);
    const b = v128.load(tb);
    const logc = i64x2.shuffle(v128.load(ta, 16), v128.load(tb, 16), 0, 2);
    // r = fma(z, invc, -1), exactly: z invc_hi - 1 is exact, then one rounding with z invc_lo
    const r = f64x2.add(f64x2.sub(f64x2.mul(z, i64x2.shuffle(a, b, 0, 2)), Lanes.d(D_ONE)), f64x2.mul(z, i64x2.shuffle(a, b, 1, 3)));
    const kln2 = f64x2.mul(k, Lanes.d(D_LN2));
    const r2 = f64x2.mul(r, r);
    const p = f64x2.add(f64x2.mul(r, Lanes.d(D_A1)), Lanes.d(D_A2));
    const q = f64x2.add(f64x2.mul(r2, Lanes.d(D_A0)), p);
    const y = f64x2.add(f64x2.mul(r2, q), f64x2.add(f64x2.add(kln2, logc), r));
    const e = f64x2.mul(f64x2.add(f64x2.add(f64x2.abs(kln2), f64x2.abs(logc)), f64x2.abs(r)), Lanes.d(D_E49));
    return Lanes.bounds(f64x2.sub(y, e), f64x2.add(y, e));
  }

  /** The sin polynomial of x (glibcFloat.ts `sinPolynomial`) for two lanes, with the bounds of `sinResult`. */
  @inline static sin2(x: v128): v128 {
    const x2 = f64x2.mul(x, x);
    const x3 = f64x2.mul(x, x2);
    const s1 = f64x2.add(f64x2.mul(x2, Lanes.d(D_S3)), Lanes.d(D_S2));
    const x5 = f64x2.mul(x3, x2);
    const s = f64x2.add(f64x2.mul(x3, Lanes.d(D_S1)), x);
    const v = f64x2.add(f64x2.mul(x5, s1), s);
    const e = f64x2.mul(f64x2.abs(x), Lanes.d(D_E49));
    return Lanes.bounds(f64x2.sub(v, e), f64x2.add(v, e));
  }

  /** The cos polynomial of x (glibcFloat.ts `cosPolynomial`) for two lanes, with the bounds of `cosResult`. */
  @inline static cos2(x: v128): v128 {
    const x2 = f64x2.mul(x, x);
    const x4 = f64x2.mul(x2, x2);
    const c1 = f64x2.add(f64x2.mul(x2, Lanes.d(D_C1)), Lanes.d(D_ONE));
    const c2 = f64x2.add(f64x2.mul(x2, Lanes.d(D_C4)), Lanes.d(D_C3));
    const x6 = f64x2.mul(x2, x4);
    const c = f64x2.add(f64x2.mul(x4, Lanes.d(D_C2)), c1);
    const v = f64x2.add(f64x2.mul(x6, c2), c);
    return Lanes.bounds(f64x2.sub(v, Lanes.d(D_E49)), f64x2.add(v, Lanes.d(D_E49)));
  }

  /** x = fma(-n, pi/2, theta) for two lanes, exactly as glibcFloat.ts's fast path: (theta - n hi) - n lo. */
  @inline static reduce2(theta: v128, n: v128): v128 {
    return f64x2.sub(f64x2.sub(theta, f64x2.mul(n, Lanes.d(D_HPI_HI))), f64x2.mul(n, Lanes.d(D_HPI_LO)));
  }
}

// The relaxed build's glibc constants: -pi/2 in full (glibcFloat.ts's HPI, negated: fma(-n, pi/2, theta)
// is fma(n, -pi/2, theta) exactly) and -1, each a load where a negation would cost two instructions;
// and 15 << 5, the mask that takes a logf table row's byte offset (32 times its index) from the bits.
const G_K: usize = !ASC_FEATURE_RELAXED_SIMD ? 0 : memory.data<f64>([-1.5707963267948966, -1]);
const G_MINUS_HPI: usize = 0;
const G_MINUS_ONE: usize = 8;
const G_I: usize = !ASC_FEATURE_RELAXED_SIMD ? 0 : memory.data<u32>([0x1e0]);
const G_ROW_BYTES: usize = 0;

// GlibcBlock.quad's outputs besides its mask: the cosine outputs (slots j .. j + 3) and the sine outputs
// (slots j + 8 .. j + 11), kept until the whole block is known to be decided.
let glibcCos: v128 = i32x4.splat(0);
let glibcSin: v128 = i32x4.splat(0);

class GlibcBlock {
  /**
   * Four lanes j .. j + 3 of a glibc-flavor block at `p` (u1 from p, u2 from p + 32) into glibcCos and
   * glibcSin, without storing; returns all ones in the lanes whose logf, sinf or cosf fast path cannot
   * decide (glibcFloat.ts's test `fround(v - E) === fround(v + E)` fails: its slow path would run). The
   * SIMD build's quad; the relaxed build's is glibcFusedBlocks's loop body.
   */
  @inline static quad(p: usize): v128 {
    // logf(u1), u1 = 1 - u in [2^-24, 1] (normal): glibcFloat.ts's split of the bits ix
    const ix = f32x4.sub(Lanes.f32(F_ONE), v128.load(p));
    const tmp = i32x4.sub(ix, Lanes.i32(N_LOGF_OFF));
    const index = v128.and(i32x4.shr_u(tmp, 19), Lanes.i32(N_FIFTEEN));
    const k = i32x4.shr_s(tmp, 23);
    const z = i32x4.sub(ix, v128.and(tmp, Lanes.i32(N_EXPONENT)));
    const zl = f64x2.promote_low_f32x4(z);
    const zh = f64x2.promote_low_f32x4(Lanes.upper(z));
    const kl = f64x2.convert_low_i32x4_s(k);
    const kh = f64x2.convert_low_i32x4_s(Lanes.upper(k));
    const la = Glibc.logf2(zl, kl, i32x4.extract_lane(index, 0), i32x4.extract_lane(index, 1));
    const lb = Glibc.logf2(zh, kh, i32x4.extract_lane(index, 2), i32x4.extract_lane(index, 3));
    const log = i32x4.shuffle(la, lb, 0, 1, 4, 5);
    let bad = i32x4.ne(log, i32x4.shuffle(la, lb, 2, 3, 6, 7));
    // -2 logf is exact; the float32 square root is the double one rounded once (sqrtf)
    const radius = f32x4.sqrt(f32x4.mul(Lanes.f32(F_MINUS_TWO), log));

    // theta = (float)(2 pi u2), the product in double
    const u2 = v128.load(p, 32);
    const theta = Glibc.theta(u2, Lanes.d(D_TWO_PI));
    const tl = low64(theta);
    const th = high64(theta);
    // n = ((int)(theta 2/pi 2^24) + 2^23) >> 24, glibc's rounding of theta 2/pi (0 for theta < 0.75)
    const truncated = i32x4.shuffle(
      i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(tl, Lanes.d(D_HPI_INV))), i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(th, Lanes.d(D_HPI_INV))), 0, 1, 4, 5,
    );
    const n = i32x4.shr_s(i32x4.add(truncated, Lanes.i32(N_HALF_2_24)), 24);
    // theta < 2^-12 (top bits below 0x398): sinf = theta and cosf = 1 without the polynomials
    const tiny = i32x4.lt_u(theta, Lanes.i32(N_TINY));
    const xl = Glibc.reduce2(tl, f64x2.convert_low_i32x4_s(n));
    const xh = Glibc.reduce2(th, f64x2.convert_low_i32x4_s(Lanes.upper(n)));
    const sa = Glibc.sin2(xl);
    const sb = Glibc.sin2(xh);
    const ca = Glibc.cos2(xl);
    const cb = Glibc.cos2(xh);
    const s = i32x4.shuffle(sa, sb, 0, 1, 4, 5);
    const c = i32x4.shuffle(ca, cb, 0, 1, 4, 5);
    const trigBad = v128.or(i32x4.ne(s, i32x4.shuffle(sa, sb, 2, 3, 6, 7)), i32x4.ne(c, i32x4.shuffle(ca, cb, 2, 3, 6, 7)));
    bad = v128.or(bad, v128.andnot(trigBad, tiny));
    // Quadrant n: sinf is +-sin x (n even) or +-cos x (n odd), cosf the other (Glibc.oddQuadrant)
    const odd = Glibc.oddQuadrant(n);
    const cs = Glibc.cosSigned(c, n, Lanes.i32(N_SIGN));
    const ss = Glibc.sinSigned(s, n);
    const sinf = v128.bitselect(theta, v128.bitselect(cs, ss, odd), tiny);
    const cosf = v128.bitselect(Lanes.f32(F_ONE), v128.bitselect(ss, cs, odd), tiny);
    // radius * t is one float32 product; + 0 turns -0 into +0, as torch's `* std + mean` does
    glibcCos = f32x4.add(f32x4.mul(radius, cosf), Lanes.f32(F_ZERO));
    glibcSin = f32x4.add(f32x4.mul(radius, sinf), Lanes.f32(F_ZERO));
    return bad;
  }
}

// With relaxed SIMD, `f64x2.relaxed_madd` is glibc's fused double multiply-add (where the engine fuses
// it, as checked before this build is picked), so the glibc flavor computes each of glibcFloat.ts's
// `...Emulated` evaluations exactly: every lane is decided, with no error bound and no slow path.
// The constants come in as parameters, loaded once before glibcFusedBlocks's loop (see that function).

class GlibcFused {
  /**
   * __logf_fma for two lanes (z, k doubles; ia, ib their table rows' byte offsets), rounded to float32
   * in lanes 0, 1; minusOne is -1 and ln2, a0 .. a2 logf's Ln2 and A0 .. A2, as double splats.
   */
  @inline static logf2(z: v128, k: v128, ia: i32, ib: i32, minusOne: v128, ln2: v128, a0: v128, a1: v128, a2: v128): v128 {
    // ia and ib are byte offsets of the rows, and the table's address the loads' constant offset
    const a = v128.load(<usize>ia, LOGF_TABLE);
    const b = v128.load(<usize>ib, LOGF_TABLE);
    const logc = i64x2.shuffle(v128.load(<usize>ia, LOGF_TABLE + 16), v128.load(<usize>ib, LOGF_TABLE + 16), 0, 2);
    // invc = invc_hi + invc_lo, exactly (the split's sum)
    const invc = f64x2.add(i64x2.shuffle(a, b, 0, 2), i64x2.shuffle(a, b, 1, 3));
    const r = f64x2.relaxed_madd(z, invc, minusOne);
    const y0 = f64x2.relaxed_madd(k, ln2, logc);
    const r2 = f64x2.mul(r, r);
    const p = f64x2.relaxed_madd(r, a1, a2);
    const t = f64x2.add(r, y0);
    const q = f64x2.relaxed_madd(r2, a0, p);
    return f32x4.demote_f64x2_zero(f64x2.relaxed_madd(r2, q, t));
  }

  /** glibc's fused sin polynomial of x, two lanes (doubles); s1 .. s3 its coefficients as splats. */
  @inline static sin2(x: v128, s1: v128, s2: v128, s3: v128): v128 {
    const x2 = f64x2.mul(x, x);
    const x3 = f64x2.mul(x, x2);
    const p = f64x2.relaxed_madd(x2, s3, s2);
    const x5 = f64x2.mul(x3, x2);
    const s = f64x2.relaxed_madd(x3, s1, x);
    return f64x2.relaxed_madd(x5, p, s);
  }

  /** glibc's fused cos polynomial of x, two lanes (doubles); c1 .. c4 its coefficients and one 1, as splats. */
  @inline static cos2(x: v128, c1: v128, c2: v128, c3: v128, c4: v128, one: v128): v128 {
    const x2 = f64x2.mul(x, x);
    const x4 = f64x2.mul(x2, x2);
    const p1 = f64x2.relaxed_madd(x2, c1, one);
    const p2 = f64x2.relaxed_madd(x2, c4, c3);
    const x6 = f64x2.mul(x2, x4);
    const c = f64x2.relaxed_madd(x4, c2, p1);
    return f64x2.relaxed_madd(x6, p2, c);
  }
}

/**
 * The relaxed build's glibc flavor over `blocks` blocks of 16 at `out`, in place, one quad (four lanes
 * j .. j + 3: u1 from p, u2 from p + 32) per iteration, every lane decided and stored.
 *
 * Every constant is loaded once, before the loop. Loaded inside it (as the SIMD build's quad does),
 * V8 (TurboFan) emits the loads together, ahead of the arithmetic that uses them (they are ordered on
 * its effect chain, which it does not hoist out of loops), then spills many and reloads them from the
 * stack; loaded before the loop, each is a register or a spill slot written once. Read off V8's code
 * with --print-wasm-code, per quad: 213 instructions against 237, no constant loads against 25, 17
 * stores to the stack against 30 (42 loads from it against 30). The draw, uniforms included, ran 5-13 %
 * faster (three instances of each build interleaved in one process, in eight of nine runs; the ninth
 * within its noise).
 */
function glibcFusedBlocks(out: usize, blocks: i32): void {
  // float32 and integer splats
  const one32 = Lanes.f32(F_ONE);
  const minusTwo = Lanes.f32(F_MINUS_TWO);
  const zero32 = Lanes.f32(F_ZERO);
  const logfOff = Lanes.i32(N_LOGF_OFF);
  // 15 << 5: a table row's byte offset (32 times its index) from the bits, which the loads take with
  // the table's address as their constant offset (no shift and add per lane)
  const rowBytes = v128.load32_splat(G_I + G_ROW_BYTES);
  const exponent = Lanes.i32(N_EXPONENT);
  const half2p24 = Lanes.i32(N_HALF_2_24);
  const tinyBits = Lanes.i32(N_TINY);
  const sign = Lanes.i32(N_SIGN);
  // double splats
  const twoPi = Lanes.d(D_TWO_PI);
  const hpiInv = Lanes.d(D_HPI_INV);
  const minusHpi = v128.load64_splat(G_K + G_MINUS_HPI);
  const minusOne = v128.load64_splat(G_K + G_MINUS_ONE);
  const ln2 = Lanes.d(D_LN2);
  const a0 = Lanes.d(D_A0);
  const a1 = Lanes.d(D_A1);
  const a2 = Lanes.d(D_A2);
  const s1 = Lanes.d(D_S1);
  const s2 = Lanes.d(D_S2);
  const s3 = Lanes.d(D_S3);
  const c1 = Lanes.d(D_C1);
  const c2 = Lanes.d(D_C2);
  const c3 = Lanes.d(D_C3);
  const c4 = Lanes.d(D_C4);
  const one = Lanes.d(D_ONE);
  // One quad per iteration (lanes 0-3 of a block, then 4-7): V8 spills about as much per quad either
  // way, and this ran 2-6 % faster than two quads per iteration in five A/B runs of the two modules.
  const quads = blocks << 1;
  for (let q = 0; q < quads; q++) {
    const p = out + ((<usize>(q >> 1)) << 6) + ((<usize>(q & 1)) << 4);
    // logf(u1), u1 = 1 - u in [2^-24, 1] (normal): glibcFloat.ts's split of the bits ix
    const ix = f32x4.sub(one32, v128.load(p));
    const tmp = i32x4.sub(ix, logfOff);
    const rows = v128.and(i32x4.shr_u(tmp, 14), rowBytes);
    const k = i32x4.shr_s(tmp, 23);
    const z = i32x4.sub(ix, v128.and(tmp, exponent));
    const la = GlibcFused.logf2(
      f64x2.promote_low_f32x4(z), f64x2.convert_low_i32x4_s(k), i32x4.extract_lane(rows, 0), i32x4.extract_lane(rows, 1), minusOne, ln2, a0, a1, a2,
    );
    const lb = GlibcFused.logf2(
      f64x2.promote_low_f32x4(Lanes.upper(z)), f64x2.convert_low_i32x4_s(Lanes.upper(k)), i32x4.extract_lane(rows, 2), i32x4.extract_lane(rows, 3),
      minusOne, ln2, a0, a1, a2,
    );
    // -2 logf is exact; the float32 square root is the double one rounded once (sqrtf)
    const radius = f32x4.sqrt(f32x4.mul(minusTwo, i64x2.shuffle(la, lb, 0, 2)));

    // theta = (float)(2 pi u2), the product in double
    const u2 = v128.load(p, 32);
    const theta = Glibc.theta(u2, twoPi);
    const tl = low64(theta);
    const th = high64(theta);
    // n = ((int)(theta 2/pi 2^24) + 2^23) >> 24, glibc's rounding of theta 2/pi (0 for theta < 0.75)
    // (relaxed_trunc is the one instruction cvttpd2dq: exact here, where every product lies in [0, 2^27))
    const truncated = i32x4.shuffle(
      i32x4.relaxed_trunc_f64x2_s_zero(f64x2.mul(tl, hpiInv)), i32x4.relaxed_trunc_f64x2_s_zero(f64x2.mul(th, hpiInv)), 0, 1, 4, 5,
    );
    const n = i32x4.shr_s(i32x4.add(truncated, half2p24), 24);
    // theta < 2^-12 (top bits below 0x398): sinf = theta and cosf = 1 without the polynomials
    // (theta >= +0, so its bits compare as signed integers too: one instruction where unsigned takes four)
    const tiny = i32x4.lt_s(theta, tinyBits);
    // x = fma(-n, pi/2, theta), which is fma(n, -pi/2, theta) exactly
    const xl = f64x2.relaxed_madd(f64x2.convert_low_i32x4_s(n), minusHpi, tl);
    const xh = f64x2.relaxed_madd(f64x2.convert_low_i32x4_s(Lanes.upper(n)), minusHpi, th);
    const s = pack32(GlibcFused.sin2(xl, s1, s2, s3), GlibcFused.sin2(xh, s1, s2, s3));
    const c = pack32(GlibcFused.cos2(xl, c1, c2, c3, c4, one), GlibcFused.cos2(xh, c1, c2, c3, c4, one));
    // Quadrant n (Glibc.oddQuadrant). Every mask is all ones or all zeros per lane, where
    // relaxed_laneselect (one blend) is bitselect (three).
    const odd = Glibc.oddQuadrant(n);
    const cs = Glibc.cosSigned(c, n, sign);
    const ss = Glibc.sinSigned(s, n);
    const sinf = i32x4.relaxed_laneselect(theta, i32x4.relaxed_laneselect(cs, ss, odd), tiny);
    const cosf = i32x4.relaxed_laneselect(one32, i32x4.relaxed_laneselect(ss, cs, odd), tiny);
    // radius * t is one float32 product; + 0 turns -0 into +0, as torch's `* std + mean` does
    v128.store(p, f32x4.add(f32x4.mul(radius, cosf), zero32));
    v128.store(p, f32x4.add(f32x4.mul(radius, sinf), zero32), 32);
  }
}

/**
 * torch's scalar `normal_fill_16` with glibc's logf, sinf and cosf (src/kernels/js/scalarNormal.ts)
 * over `blocks` blocks of 16 uniforms at `out`, in place: u1 = 1 - u[j], u2 = u[j + 8], the cosine
 * output into slot j and the sine into slot j + 8. A block with a lane whose fast path cannot decide
 * is left as it was, and listed at `flagged` as (block << 8) | (its undecided lanes j as bits j);
 * returns how many are listed.
 */
export function glibcNormalBlocks(out: usize, blocks: i32, flagged: usize): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    // every lane decided, every quad stored where it lies: nothing is listed
    glibcFusedBlocks(out, blocks);
    return 0;
  }
  let listed = 0;
  for (let b = 0; b < blocks; b++) {
    const p = out + ((<usize>b) << 6);
    const bad0 = GlibcBlock.quad(p);
    const cos0 = glibcCos;
    const sin0 = glibcSin;
    const bad1 = GlibcBlock.quad(p + 16);
    if (v128.any_true(v128.or(bad0, bad1))) {
      store<i32>(flagged + ((<usize>listed) << 2), (b << 8) | i32x4.bitmask(bad0) | (i32x4.bitmask(bad1) << 4));
      listed++;
      continue;
    }
    v128.store(p, cos0);
    v128.store(p, glibcCos, 16);
    v128.store(p, sin0, 32);
    v128.store(p, glibcSin, 48);
  }
  return listed;
}

class Avx2 {
  /** fround(a b + c) on two lanes: avx2Normal.ts's `fma32` (the product exact in double, one rounding). */
  @inline static fma2(a: v128, b: v128, c: v128): v128 {
    return Lanes.round2(f64x2.add(f64x2.mul(a, b), c));
  }

  /** avx2Normal.ts's `log256` after the split u1 = m 2^e (m in [0.5, 1), both doubles), two lanes. */
  @inline static log2(m: v128, e0: v128): v128 {
    const one = Lanes.d(D_ONE);
    // m < SQRTHF: e - 1 and x = (m - 1) + m (exact), else x = m - 1 (exact)
    const small = f64x2.lt(m, Lanes.a(AVX_SQRTHF));
    const e = f64x2.sub(e0, v128.and(small, one));
    let x = f64x2.add(f64x2.sub(m, one), v128.and(small, m));
    const z = Lanes.round2(f64x2.mul(x, x));
    let y = Avx2.fma2(Lanes.a(AVX_P), x, Lanes.a(AVX_P + 1));
    y = Avx2.fma2(y, x, Lanes.a(AVX_P + 2));
    y = Avx2.fma2(y, x, Lanes.a(AVX_P + 3));
    y = Avx2.fma2(y, x, Lanes.a(AVX_P + 4));
    y = Avx2.fma2(y, x, Lanes.a(AVX_P + 5));
    y = Avx2.fma2(y, x, Lanes.a(AVX_P + 6));
    y = Avx2.fma2(y, x, Lanes.a(AVX_P + 7));
    y = Avx2.fma2(y, x, Lanes.a(AVX_P + 8));
    y = Lanes.round2(f64x2.mul(y, x));
    y = Avx2.fma2(y, z, Lanes.round2(f64x2.mul(e, Lanes.a(AVX_Q1))));
    y = Lanes.round2(f64x2.sub(y, f64x2.mul(z, Lanes.a(AVX_HALF))));
    x = Lanes.round2(f64x2.add(x, y));
    return Lanes.round2(f64x2.add(x, f64x2.mul(e, Lanes.a(AVX_Q2))));
  }

  /** The reduced angle x of theta by the octant (both doubles), the three fused steps of avx2Normal.ts. */
  @inline static reduce2(theta: v128, octant: v128): v128 {
    let x = Lanes.round2(f64x2.add(theta, f64x2.mul(octant, Lanes.a(AVX_MINUS_DP1))));
    x = Lanes.round2(f64x2.add(x, f64x2.mul(octant, Lanes.a(AVX_MINUS_DP2))));
    return Avx2.fma2(octant, Lanes.a(AVX_MINUS_DP3), x);
  }

  /** The cosine polynomial of avx2Normal.ts at z = x x, two lanes. */
  @inline static cos2(z: v128): v128 {
    let c = Avx2.fma2(Lanes.a(AVX_COS), z, Lanes.a(AVX_COS + 1));
    c = Avx2.fma2(c, z, Lanes.a(AVX_COS + 2));
    c = Lanes.round2(f64x2.mul(c, z));
    c = Avx2.fma2(c, z, f64x2.neg(Lanes.round2(f64x2.mul(z, Lanes.a(AVX_HALF)))));
    return Lanes.round2(f64x2.add(c, Lanes.d(D_ONE)));
  }

  /** The sine polynomial of avx2Normal.ts at x (z = x x), two lanes. */
  @inline static sin2(x: v128, z: v128): v128 {
    let s = Avx2.fma2(Lanes.a(AVX_SIN), z, Lanes.a(AVX_SIN + 1));
    s = Avx2.fma2(s, z, Lanes.a(AVX_SIN + 2));
    s = Lanes.round2(f64x2.mul(s, z));
    return Avx2.fma2(s, x, x);
  }
}

class Avx2Block {
  /** Four lanes j .. j + 3 of an AVX2-flavor block at `p`, in place. */
  @inline static quad(p: usize): void {
    // u1 = 1 - u = m 2^e, m in [0.5, 1): the float32 exponent field minus 126, the mantissa under 0.5's exponent
    const u1 = f32x4.sub(Lanes.f32(F_ONE), v128.load(p));
    const e = i32x4.sub(i32x4.shr_u(u1, 23), Lanes.i32(N_126));
    const m = v128.or(v128.and(u1, Lanes.i32(N_MANTISSA)), Lanes.i32(N_HALF_BITS));
    const la = Avx2.log2(f64x2.promote_low_f32x4(m), f64x2.convert_low_i32x4_s(e));
    const lb = Avx2.log2(f64x2.promote_low_f32x4(Lanes.upper(m)), f64x2.convert_low_i32x4_s(Lanes.upper(e)));
    const radius = f32x4.sqrt(f32x4.mul(Lanes.f32(F_MINUS_TWO), pack32(la, lb)));

    // theta = 2pi_f32 u2 (one float32 product); the octant ((int)(theta 4/pi) + 1) & ~1
    const theta = f32x4.mul(v128.load32_splat(A_F32_K + A_TWO_PI_F32), v128.load(p, 32));
    const octant = v128.and(
      i32x4.add(i32x4.trunc_sat_f32x4_s(f32x4.mul(theta, v128.load32_splat(A_F32_K + A_FOPI))), Lanes.i32(N_ONE)), Lanes.i32(N_NOT_ONE),
    );
    const xl = Avx2.reduce2(low64(theta), f64x2.convert_low_i32x4_s(octant));
    const xh = Avx2.reduce2(high64(theta), f64x2.convert_low_i32x4_s(Lanes.upper(octant)));
    const zl = Lanes.round2(f64x2.mul(xl, xl));
    const zh = Lanes.round2(f64x2.mul(xh, xh));
    const c = pack32(Avx2.cos2(zl), Avx2.cos2(zh));
    const s = pack32(Avx2.sin2(xl, zl), Avx2.sin2(xh, zh));
    // octant & 2 swaps the polynomials; the sine's sign is octant & 4, the cosine's ~(octant - 2) & 4
    const swap = i32x4.shr_s(i32x4.shl(octant, 30), 31);
    const sign = Lanes.i32(N_SIGN);
    const sine = v128.xor(v128.bitselect(c, s, swap), v128.and(i32x4.shl(octant, 29), sign));
    const cosine = v128.xor(v128.bitselect(s, c, swap), v128.and(i32x4.shl(v128.not(i32x4.sub(octant, Lanes.i32(N_TWO))), 29), sign));
    // radius * t is one float32 product; the fmadd with std 1 and mean 0 turns -0 into +0
    v128.store(p, f32x4.add(f32x4.mul(radius, cosine), Lanes.f32(F_ZERO)));
    v128.store(p, f32x4.add(f32x4.mul(radius, sine), Lanes.f32(F_ZERO)), 32);
  }
}

// With relaxed SIMD (the second build of this file, kernels-relaxed.wasm), the AVX2 flavor runs in
// float32 lanes: `f32x4.relaxed_madd` is the fused multiply-add of torch's binary where the engine
// fuses it, which instance.ts checks before it picks that build (an unfused engine gets the f64x2 one).
// Each `madd` below is one of avx2Normal.ts's `fma32` steps; every other operation is the one float32
// operation that avx2Normal.ts rounds with `fround`.
const R_K: usize = !ASC_FEATURE_RELAXED_SIMD ? 0 : memory.data<f32>([
  0.7071067690849304, 0.07037683576345444, -0.11514610052108765, 0.11676998436450958, -0.12420140951871872,
  0.14249323308467865, -0.16668057441711426, 0.2000071406364441, -0.24999994039535522, 0.3333333134651184,
  -0.00021219444170128554, 0.693359375, 0.5, -0.78515625, -0.00024187564849853516, -3.774895063202166e-8,
  -0.00019515295571181923, 0.008332161232829094, -0.16666655242443085,
  0.0000244331567955669, -0.0013887316454201937, 0.04166664555668831, 1.2732394933700562, 6.2831854820251465, 1, -0.5,
]);

// The fused multiply-add probe's operands: a = 1 + 2^-12 and c = -(1 + 2^-11) in float32, a = 1 + 2^-27
// and c = -(1 + 2^-26) in double. a a + c is 2^-24 (2^-54) with one rounding and 0 with two.
const PROBE_K: usize = !ASC_FEATURE_RELAXED_SIMD ? 0 : memory.data(48, 16);

/**
 * Which relaxed multiply-adds this engine fuses: bit 0 for `f32x4.relaxed_madd` in every lane, bit 1
 * for `f64x2.relaxed_madd`. 0 in the build without relaxed SIMD. The operands are written at run time
 * (not constants the optimizer could fold), so the answer is the engine's own.
 */
export function fusedMultiplyAdds(): i32 {
  if (!ASC_FEATURE_RELAXED_SIMD) return 0;
  store<f32>(PROBE_K, <f32>1.000244140625);
  store<f32>(PROBE_K + 4, <f32>-1.00048828125);
  store<f64>(PROBE_K + 16, 1.0000000074505806);
  store<f64>(PROBE_K + 24, -1.0000000149011612);
  const a32 = v128.load32_splat(PROBE_K);
  const f32 = f32x4.relaxed_madd(a32, a32, v128.load32_splat(PROBE_K + 4));
  const a64 = v128.load64_splat(PROBE_K + 16);
  const f64 = f64x2.relaxed_madd(a64, a64, v128.load64_splat(PROBE_K + 24));
  const single = i32x4.all_true(f32x4.eq(f32, f32x4.splat(<f32>5.9604644775390625e-8)));
  const double = i64x2.all_true(f64x2.eq(f64, f64x2.splat(5.551115123125783e-17)));
  return (single ? 1 : 0) | (double ? 2 : 0);
}

let fusedHigh: v128 = i32x4.splat(0);

class Fused {
  /** avx_mathfun's constant `index` (AVX_*) as four float32 lanes. */
  @inline static k(index: usize): v128 {
    return v128.load32_splat(R_K + (index << 2));
  }

  @inline static madd(a: v128, b: v128, c: v128): v128 {
    return f32x4.relaxed_madd(a, b, c);
  }

  /**
   * avx2Normal.ts's `log256` of eight lanes, from the bits of u1 = 1 - u in `ua` and `ub`: two chains
   * interleaved statement by statement, so that their latencies overlap (measured 7% faster than one
   * quad after the other). Returns lanes 0 .. 3 and leaves lanes 4 .. 7 in fusedHigh.
   */
  @inline static log8(ua: v128, ub: v128): v128 {
    const one = Fused.k(AVX_ONE);
    const ma = v128.or(v128.and(ua, Lanes.i32(N_MANTISSA)), Lanes.i32(N_HALF_BITS));
    const mb = v128.or(v128.and(ub, Lanes.i32(N_MANTISSA)), Lanes.i32(N_HALF_BITS));
    const sa = f32x4.lt(ma, Fused.k(AVX_SQRTHF));
    const sb = f32x4.lt(mb, Fused.k(AVX_SQRTHF));
    const ea = f32x4.sub(f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(ua, 23), Lanes.i32(N_126))), v128.and(sa, one));
    const eb = f32x4.sub(f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(ub, 23), Lanes.i32(N_126))), v128.and(sb, one));
    let xa = f32x4.add(f32x4.sub(ma, one), v128.and(sa, ma));
    let xb = f32x4.add(f32x4.sub(mb, one), v128.and(sb, mb));
    let ya = Fused.madd(Fused.k(AVX_P), xa, Fused.k(AVX_P + 1));
    let yb = Fused.madd(Fused.k(AVX_P), xb, Fused.k(AVX_P + 1));
    for (let i: usize = 2; i <= 8; i++) {
      ya = Fused.madd(ya, xa, Fused.k(AVX_P + i));
      yb = Fused.madd(yb, xb, Fused.k(AVX_P + i));
    }
    const za = f32x4.mul(xa, xa);
    const zb = f32x4.mul(xb, xb);
    ya = f32x4.mul(ya, xa);
    yb = f32x4.mul(yb, xb);
    ya = Fused.madd(ya, za, f32x4.mul(ea, Fused.k(AVX_Q1)));
    yb = Fused.madd(yb, zb, f32x4.mul(eb, Fused.k(AVX_Q1)));
    ya = f32x4.sub(ya, f32x4.mul(za, Fused.k(AVX_HALF)));
    yb = f32x4.sub(yb, f32x4.mul(zb, Fused.k(AVX_HALF)));
    xa = f32x4.add(xa, ya);
    xb = f32x4.add(xb, yb);
    fusedHigh = f32x4.add(xb, f32x4.mul(eb, Fused.k(AVX_Q2)));
    return f32x4.add(xa, f32x4.mul(ea, Fused.k(AVX_Q2)));
  }

  /** The angle half of four lanes j .. j + 3 of the block at `p`: sincos of 2pi u2, times `radius`, stored. */
  @inline static trig(p: usize, radius: v128): void {
    // Cheaper forms with the same bits: relaxed_trunc (one cvttps2dq; theta 4/pi lies in [0, 8)), z times
    // -0.5 for the negated z 0.5, an andnot for the cosine's sign, and blends for the swaps (all-ones or
    // all-zeros masks): the draw 2-4 % faster, measured in one process with three instances of each build.
    const theta = f32x4.mul(Fused.k(AVX_TWO_PI), v128.load(p, 32));
    const octant = v128.and(i32x4.add(i32x4.relaxed_trunc_f32x4_s(f32x4.mul(theta, Fused.k(AVX_FOPI))), Lanes.i32(N_ONE)), Lanes.i32(N_NOT_ONE));
    const n = f32x4.convert_i32x4_s(octant);
    let x = Fused.madd(n, Fused.k(AVX_MINUS_DP1), theta);
    x = Fused.madd(n, Fused.k(AVX_MINUS_DP2), x);
    x = Fused.madd(n, Fused.k(AVX_MINUS_DP3), x);
    const z = f32x4.mul(x, x);
    let c = Fused.madd(Fused.k(AVX_COS), z, Fused.k(AVX_COS + 1));
    let s = Fused.madd(Fused.k(AVX_SIN), z, Fused.k(AVX_SIN + 1));
    c = Fused.madd(c, z, Fused.k(AVX_COS + 2));
    s = Fused.madd(s, z, Fused.k(AVX_SIN + 2));
    c = f32x4.mul(c, z);
    s = f32x4.mul(s, z);
    c = Fused.madd(c, z, f32x4.mul(z, Fused.k(AVX_MINUS_HALF)));
    s = Fused.madd(s, x, x);
    c = f32x4.add(c, Fused.k(AVX_ONE));
    const swap = i32x4.shr_s(i32x4.shl(octant, 30), 31);
    const sign = Lanes.i32(N_SIGN);
    const sine = v128.xor(i32x4.relaxed_laneselect(c, s, swap), v128.and(i32x4.shl(octant, 29), sign));
    const cosine = v128.xor(i32x4.relaxed_laneselect(s, c, swap), v128.andnot(sign, i32x4.shl(i32x4.sub(octant, Lanes.i32(N_TWO)), 29)));
    v128.store(p, f32x4.add(f32x4.mul(radius, cosine), Lanes.f32(F_ZERO)));
    v128.store(p, f32x4.add(f32x4.mul(radius, sine), Lanes.f32(F_ZERO)), 32);
  }

  /** A whole block of 16 at `p`: both logs interleaved, then the two angle quads. */
  @inline static block(p: usize): void {
    const la = Fused.log8(f32x4.sub(Fused.k(AVX_ONE), v128.load(p)), f32x4.sub(Fused.k(AVX_ONE), v128.load(p, 16)));
    const lb = fusedHigh;
    const ra = f32x4.sqrt(f32x4.mul(Lanes.f32(F_MINUS_TWO), la));
    const rb = f32x4.sqrt(f32x4.mul(Lanes.f32(F_MINUS_TWO), lb));
    Fused.trig(p, ra);
    Fused.trig(p + 16, rb);
  }
}

/**
 * torch's AVX2 `normal_fill_16_AVX2` as Debian's build computes it (src/kernels/js/avx2Normal.ts) over
 * `blocks` blocks of 16 uniforms at `out`, in place. Every lane is decided: avx2Normal.ts's fused
 * steps are the plain rounded double sums, which this reproduces operation for operation.
 */
export function avx2NormalBlocks(out: usize, blocks: i32): void {
  for (let b = 0; b < blocks; b++) {
    const p = out + ((<usize>b) << 6);
    if (ASC_FEATURE_RELAXED_SIMD) {
      Fused.block(p);
    } else {
      Avx2Block.quad(p);
      Avx2Block.quad(p + 16);
    }
  }
}
