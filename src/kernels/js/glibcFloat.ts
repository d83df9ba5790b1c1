/**
 * glibc 2.36's float `logf`, `sinf`, `cosf` and `expf` on x86-64 with FMA, bit for bit. Internal.
 *
 * PyTorch's CPU `torch.randn` calls these (`normal_fill_16`: `logf` of `1 - u`, `cosf` and `sinf` of
 * one angle), and they are not correctly rounded, so matching its noise needs their exact results.
 * glibc's float functions are Arm's optimized-routines algorithms (sysdeps/ieee754/flt-32): a few
 * double operations from small tables and polynomials, rounded once to float32. On an x86-64 CPU
 * with FMA and AVX2, glibc's ifunc picks `__logf_fma`, `__sinf_fma`, `__cosf_fma`, `__expf_fma`:
 * the same C built with -mfma, where GCC fused most `a * b + c` into one multiply-add with a single
 * rounding. Which operations were fused was read from the disassembly of this machine's libm
 * (Debian 12, libc6 2.36-9+deb12u14); each function below lists its fused operations.
 *
 * JavaScript has no fused multiply-add. Each function evaluates the unfused form in double, with
 * a bound E on how far that double can be from the fused one (derived in the comments, with a
 * margin of 2 or more). When `fround(v - E) === fround(v + E)`, every double within E of v rounds
 * to that same float32, the fused result included, so that is the answer. Otherwise (for about one
 * input in 10^7) the `...Emulated` twin reruns the whole evaluation with every fused operation
 * reproduced exactly (`fusedMultiplyAdd`, with BigInt). Some fused operations are reproduced
 * exactly on the fast path too, by error-free splits, where their inputs allow it.
 *
 * Proof: `glibcFloatExhaustive.test.ts` hashes every output over each whole domain and compares
 * with fixtures/glibc-float.json, which scripts/fixtures/glibc_float.c measured from the C library
 * itself (after checking, from libc6-dbg's symbols, that the FMA variants were the ones resolved).
 * SSE2-only or non-x86 builds of glibc may differ in the last bit for some inputs; this module
 * reproduces the FMA build only.
 *
 * @module
 */

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper, and
// so do the globals `Infinity` and `NaN` (expf over every 256th bit pattern, half of them special
// values, ran 2-3x slower with them).
const { abs, floor, fround, imul, min } = Math;
const { isFinite } = Number;
const INFINITY = 1 / 0;
const NOT_A_NUMBER = 0 / 0;

// ---- bit views --------------------------------------------------------------------------------

// One float32 seen as its bits (same element size, so no byte-order question).
const F32 = new Float32Array(1);
const F32_BITS = new Uint32Array(F32.buffer);
// One double seen as two 32-bit words; which word holds the sign and exponent depends on byte order.
const F64 = new Float64Array(1);
const F64_WORDS = new Uint32Array(F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const floatBits = (x: number): number => ((F32[0] = x), F32_BITS[0] as number);

/** The double with the given high and low 32-bit words. */
const fromWords = (hi: number, lo: number): number => {
  F64_WORDS[HI] = hi;
  F64_WORDS[LO] = lo;
  return F64[0] as number;
};

/** 2^e, exactly, for -1022 <= e <= 1023. */
const pow2 = (e: number): number => fromWords((e + 1023) << 20, 0);

/**
 * A C99 hexadecimal floating literal such as `-0x1.57bf7808caadep-2`, read exactly (at most 53
 * significant bits), so that glibc's tables can be transcribed as written there.
 */
const hex = (literal: string): number => {
  const m = /^(-?)0x([0-9a-f])(?:\.([0-9a-f]*))?p([+-]?\d+)$/i.exec(literal);
  if (m === null) throw new Error(`not a hexadecimal floating literal: ${literal}`);
  const digits = (m[2] as string) + (m[3] ?? '');
  const value = parseInt(digits, 16) * pow2(Number(m[4]) - 4 * (digits.length - 1));
  return m[1] === '-' ? -value : value;
};

/** The high part of d with its low `drop` mantissa bits cleared, so that it has 53 - drop significant bits. */
const highBits = (d: number, drop: number): number => {
  F64[0] = d;
  // drop <= 32: only the low word loses bits.
  const lo = F64_WORDS[LO] as number;
  F64_WORDS[LO] = lo - (lo % 2 ** drop);
  return F64[0] as number;
};

// 2^-49 = 16 u (u = 2^-53, the unit roundoff of double): the fast paths' error bounds are multiples of it.
const TWO_POW_MINUS_49 = 2 ** -49;

// ---- an exact fused multiply-add ---------------------------------------------------------------

/** The significand of a finite double as a signed integer m, d = m 2^exponentOf(d). */
const significandOf = (d: number): bigint => {
  F64[0] = d;
  const hi = F64_WORDS[HI] as number;
  const field = (hi >>> 20) & 0x7ff;
  const m = (hi & 0xfffff) * 4294967296 + (F64_WORDS[LO] as number) + (field === 0 ? 0 : 4503599627370496);
  return BigInt(d < 0 ? -m : m);
};

const exponentOf = (d: number): number => {
  F64[0] = d;
  const field = ((F64_WORDS[HI] as number) >>> 20) & 0x7ff;
  return (field === 0 ? 1 : field) - 1075;
};

/**
 * `a * b + c` with one rounding (to nearest, ties to even), as the x86 `vfmadd` instructions compute
 * it: the product and sum are formed exactly as BigInts, and `Number()` of a BigInt rounds to nearest
 * even. Exact for finite inputs whose result is a normal double or zero (all this module's uses);
 * allocates, so it is only for the rare slow paths.
 *
 * @example
 * ```ts
 * fusedMultiplyAdd(1 + 2 ** -30, 1 - 2 ** -30, -1) // -(2 ** -60): the product's low bits survive
 * ```
 * @internal
 */
export const fusedMultiplyAdd = (a: number, b: number, c: number): number => {
  // A zero product or addend leaves nothing to round twice; infinities and NaN follow the same rules.
  if (a === 0 || b === 0 || c === 0 || !isFinite(a * b) || !isFinite(c)) return a * b + c;
  const ep = exponentOf(a) + exponentOf(b);
  const ec = exponentOf(c);
  const e = min(ep, ec);
  const exact = ((significandOf(a) * significandOf(b)) << BigInt(ep - e)) + (significandOf(c) << BigInt(ec - e));
  if (exact === 0n) return 0;
  // Number() rounds the integer to 53 bits; scaling by powers of two is then exact (normal result).
  let v = Number(exact);
  let scale = e;
  for (; scale < -1022; scale += 1022) v *= pow2(-1022);
  for (; scale > 1023; scale -= 1023) v *= pow2(1023);
  return v * pow2(scale);
};

/**
 * How many calls of each function took the exact slow path, `[logf, sinf, cosf, expf]`: a
 * diagnostic for the tests and benchmarks (written only on the slow path, never read here).
 *
 * @example
 * ```ts
 * const before = glibcSlowPaths[0]; logf(0.5); glibcSlowPaths[0] - before // 0: decided fast
 * ```
 * @internal
 */
export const glibcSlowPaths = new Float64Array(4);

const countSlowPath = (which: number): void => {
  glibcSlowPaths[which] = (glibcSlowPaths[which] as number) + 1;
};

// ---- logf (sysdeps/ieee754/flt-32/e_logf.c, e_logf_data.c) -------------------------------------
//
// x = 2^k z with z in [OFF, 2 OFF) (OFF = 0x3f330000 ~ 0.699), c the centre of z's 1/16 subinterval:
// log x = log1p(r) + log c + k ln2, r = z/c - 1, log1p(r) ~ r + A0 r^4 + A1 r^3 + A2 r^2.
// __logf_fma's operations, in order (fma(a, b, c) = a b + c with one rounding):
//   y0 = fma(k, Ln2, logc)   r = fma(z, invc, -1)   p = fma(r, A1, A2)   r2 = r r
//   t = r + y0               q = fma(r2, A0, p)     y = fma(r2, q, t)    result (float) y

const LOGF_OFF = 0x3f330000;
const LOGF_TABLE = [
  ['0x1.661ec79f8f3bep+0', '-0x1.57bf7808caadep-2'],
  ['0x1.571ed4aaf883dp+0', '-0x1.2bef0a7c06ddbp-2'],
  ['0x1.49539f0f010bp+0', '-0x1.01eae7f513a67p-2'],
  ['0x1.3c995b0b80385p+0', '-0x1.b31d8a68224e9p-3'],
  ['0x1.30d190c8864a5p+0', '-0x1.6574f0ac07758p-3'],
  ['0x1.25e227b0b8eap+0', '-0x1.1aa2bc79c81p-3'],
  ['0x1.1bb4a4a1a343fp+0', '-0x1.a4e76ce8c0e5ep-4'],
  ['0x1.12358f08ae5bap+0', '-0x1.1973c5a611cccp-4'],
  ['0x1.0953f419900a7p+0', '-0x1.252f438e10c1ep-5'],
  ['0x1p+0', '0x0p+0'],
  ['0x1.e608cfd9a47acp-1', '0x1.aa5aa5df25984p-5'],
  ['0x1.ca4b31f026aap-1', '0x1.c5e53aa362eb4p-4'],
  ['0x1.b2036576afce6p-1', '0x1.526e57720db08p-3'],
  ['0x1.9c2d163a1aa2dp-1', '0x1.bc2860d22477p-3'],
  ['0x1.886e6037841edp-1', '0x1.1058bc8a07ee1p-2'],
  ['0x1.767dcf5534862p-1', '0x1.4043057b6ee09p-2'],
] as const;
const LOGF_INVC = Float64Array.from(LOGF_TABLE, ([invc]) => hex(invc));
const LOGF_LOGC = Float64Array.from(LOGF_TABLE, ([, logc]) => hex(logc));
// invc split so that z invc_hi (24 x 29 bits) and z invc_lo (24 x 24 bits) are exact doubles.
const LOGF_INVC_HI = LOGF_INVC.map((invc) => highBits(invc, 24));
const LOGF_INVC_LO = LOGF_INVC.map((invc, i) => invc - (LOGF_INVC_HI[i] as number));
const LOGF_LN2 = hex('0x1.62e42fefa39efp-1');
const LOGF_A0 = hex('-0x1.00ea348b88334p-2');
const LOGF_A1 = hex('0x1.5575b0be00b6ap-2');
const LOGF_A2 = hex('-0x1.ffffef20a4123p-2');

/**
 * glibc's bits for x = 2^k z after its special cases (a uint32: for subnormals it wraps, as in C),
 * or -1 where logf answers without arithmetic.
 */
const logfNormalized = (ix: number, x: number): number => {
  if (ix - 0x00800000 >>> 0 < 0x7f000000) return ix;
  if ((ix & 0x7fffffff) === 0 || ix >= 0x7f800000) return -1; // zero, infinity, negative, NaN
  // A positive subnormal: x 2^23 is exact and normal; its exponent is taken back out of k (mod 2^32).
  return (floatBits(x * 8388608) - (23 << 23)) >>> 0;
};

/** logf's answer for zero, infinity, negative numbers and NaN (glibc: -inf, inf, NaN). */
const logfSpecial = (ix: number, x: number): number =>
  (ix & 0x7fffffff) === 0 ? -INFINITY : ix === 0x7f800000 ? x : NOT_A_NUMBER;

/**
 * glibc's `__logf_fma` with every fused multiply-add emulated exactly: slow (BigInt), the
 * reference that {@link logf} falls back to.
 *
 * @example
 * ```ts
 * logfEmulated(0.5) === logf(0.5) // true
 * ```
 * @internal
 */
export const logfEmulated = (x: number): number => {
  const bits = floatBits(x);
  if (bits === 0x3f800000) return 0;
  const ix = logfNormalized(bits, x);
  if (ix < 0) return logfSpecial(bits, x);
  const tmp = (ix - LOGF_OFF) | 0;
  const i = (tmp >>> 19) & 15;
  const k = tmp >> 23;
  F32_BITS[0] = ix - (tmp & 0xff800000);
  const z = F32[0] as number;
  const invc = LOGF_INVC[i] as number;
  const logc = LOGF_LOGC[i] as number;
  const r = fusedMultiplyAdd(z, invc, -1);
  const y0 = fusedMultiplyAdd(k, LOGF_LN2, logc);
  const r2 = r * r;
  const p = fusedMultiplyAdd(r, LOGF_A1, LOGF_A2);
  const q = fusedMultiplyAdd(r2, LOGF_A0, p);
  return fround(fusedMultiplyAdd(r2, q, y0 + r));
};

const logfSlow = (x: number): number => {
  countSlowPath(0);
  return logfEmulated(x);
};

/**
 * The natural logarithm of a float32, exactly as glibc 2.36's `logf` on x86-64 with FMA
 * (`__logf_fma`) computes it: within 0.82 ulp of log x and not always correctly rounded (on 0.7% of
 * randn's inputs it is not). Defined for every float32: log(+-0) = -Infinity, log(Infinity) =
 * Infinity, NaN for negative numbers and NaN; subnormals are normalized as glibc does.
 *
 * Proved equal to glibc on every multiple of 2^-24 in (0, 1] (randn's `1 - u`) by
 * glibcFloatExhaustive.test.ts, and on every positive float32 with DDPM_HEAVY=1.
 *
 * Fast path: r = fma(z, invc, -1) is computed exactly (z invc_hi - 1 is exact by Sterbenz, plus the
 * exact z invc_lo, one rounding); the other fused operations are evaluated unfused. Their difference
 * from the fused ones, with u = 2^-53 and S = |k ln2| + |logc| + |r| (|r| <= 0.031), is at most
 * u (3|k ln2| + 2|logc| + 4 S + 0.12|r|) <= 7.2 u S; the test uses E = 16 u S.
 *
 * @example
 * ```ts
 * logf(0.5)        // -0.6931471824645996
 * logf(2 ** -24)   // -16.63553237915039
 * ```
 * @internal
 */
export const logf = (x: number): number => {
  const bits = floatBits(x);
  if (bits === 0x3f800000) return 0;
  let ix = bits;
  if (bits - 0x00800000 >>> 0 >= 0x7f000000) {
    ix = logfNormalized(bits, x);
    if (ix < 0) return logfSpecial(bits, x);
  }
  const tmp = (ix - LOGF_OFF) | 0;
  const i = (tmp >>> 19) & 15;
  const k = tmp >> 23;
  F32_BITS[0] = ix - (tmp & 0xff800000);
  const z = F32[0] as number;
  const logc = LOGF_LOGC[i] as number;
  const r = (z * (LOGF_INVC_HI[i] as number) - 1) + z * (LOGF_INVC_LO[i] as number);
  const kln2 = k * LOGF_LN2;
  const r2 = r * r;
  const p = r * LOGF_A1 + LOGF_A2;
  const q = r2 * LOGF_A0 + p;
  const y = r2 * q + (kln2 + logc + r);
  const e = (abs(kln2) + abs(logc) + abs(r)) * TWO_POW_MINUS_49;
  const lo = fround(y - e);
  return lo === fround(y + e) ? lo : logfSlow(x);
};

// ---- expf (sysdeps/ieee754/flt-32/e_expf.c, e_exp2f_data.c) ------------------------------------
//
// exp x = 2^(k/32) 2^(r/32), k = round(x 32/ln2), r = x 32/ln2 - k in [-1/2, 1/2];
// 2^(r/32) ~ 1 + C2 r + C1 r^2 + C0 r^3. __expf_fma's operations, in order:
//   kd = fma(InvLn2N, x, Shift) - Shift (round to integer)   r = fma(InvLn2N, x, -kd)
//   s = 2^(k/32) from the table       w = fma(r, C0, C1)      r2 = r r     v = fma(r, C2, 1)
//   y = fma(w, r2, v)                 result (float) (y s)

const EXPF_INV_LN2_N = hex('0x1.71547652b82fep+5'); // 32 / ln 2
// Split so that x hi (24 x 29 bits) and x lo (24 x 24 bits) are exact doubles.
const EXPF_INV_LN2_N_HI = highBits(EXPF_INV_LN2_N, 24);
const EXPF_INV_LN2_N_LO = EXPF_INV_LN2_N - EXPF_INV_LN2_N_HI;
const EXPF_SHIFT = hex('0x1.8p+52'); // adding it rounds |z| < 2^51 to an integer
const EXPF_C0 = hex('0x1.c6af84b912394p-5') / 32768; // the poly coefficients over N^3, N^2, N
const EXPF_C1 = hex('0x1.ebfce50fac4f3p-3') / 1024;
const EXPF_C2 = hex('0x1.62e42ff0c52d6p-1') / 32;
// glibc stores bits(2^(j/32)) - (j << 47) and adds k << 47; here the plain 2^(j/32).
const EXP2F_TABLE_BITS = [
  '3ff0000000000000', '3fefd9b0d3158574', '3fefb5586cf9890f', '3fef9301d0125b51',
  '3fef72b83c7d517b', '3fef54873168b9aa', '3fef387a6e756238', '3fef1e9df51fdee1',
  '3fef06fe0a31b715', '3feef1a7373aa9cb', '3feedea64c123422', '3feece086061892d',
  '3feebfdad5362a27', '3feeb42b569d4f82', '3feeab07dd485429', '3feea47eb03a5585',
  '3feea09e667f3bcd', '3fee9f75e8ec5f74', '3feea11473eb0187', '3feea589994cce13',
  '3feeace5422aa0db', '3feeb737b0cdc5e5', '3feec49182a3f090', '3feed503b23e255d',
  '3feee89f995ad3ad', '3feeff76f2fb5e47', '3fef199bdd85529c', '3fef3720dcef9069',
  '3fef5818dcfba487', '3fef7c97337b9b5f', '3fefa4afa2a490da', '3fefd0765b6e4540',
] as const;
const EXP2F_TABLE = Float64Array.from(EXP2F_TABLE_BITS, (b, j) =>
  fromWords(parseInt(b.slice(0, 8), 16) + (j << 15), parseInt(b.slice(8), 16)));
// 2^(k >> 5) for the k of |x| < 104: k >> 5 in [-151, 128].
const EXPF_POW2_BIAS = 160;
const EXPF_POW2 = Float64Array.from({ length: 2 * EXPF_POW2_BIAS }, (_, j) => pow2(j - EXPF_POW2_BIAS));
// Thresholds (float32 values) and glibc's overflow and underflow results.
const EXPF_OVERFLOW = hex('0x1.62e42ep6'); // above: Infinity
const EXPF_UNDERFLOW = hex('-0x1.9fe368p6'); // below: 0
const EXPF_MAY_UNDERFLOW = hex('-0x1.9d1d9ep6'); // below: 0x1.4p-75f squared in float = 2^-149
const MIN_SUBNORMAL_FLOAT = 2 ** -149;

/** expf's answer for |x| >= 88 or NaN where glibc answers without arithmetic, else NaN. */
const expfSpecial = (ix: number, x: number): number => {
  if (ix === 0xff800000) return 0;
  if ((ix & 0x7fffffff) >= 0x7f800000) return x + x;
  if (x > EXPF_OVERFLOW) return INFINITY;
  if (x < EXPF_UNDERFLOW) return 0;
  if (x < EXPF_MAY_UNDERFLOW) return MIN_SUBNORMAL_FLOAT;
  return NOT_A_NUMBER;
};

/**
 * glibc's `__expf_fma` with every fused multiply-add emulated exactly: slow (BigInt), the
 * reference that {@link expf} falls back to.
 *
 * @example
 * ```ts
 * expfEmulated(1) === expf(1) // true
 * ```
 * @internal
 */
export const expfEmulated = (x: number): number => {
  const ix = floatBits(x);
  if (((ix >>> 20) & 0x7ff) >= 0x42b) {
    const special = expfSpecial(ix, x);
    if (special === special || x !== x) return special;
  }
  const kd = fusedMultiplyAdd(EXPF_INV_LN2_N, x, EXPF_SHIFT) - EXPF_SHIFT;
  const r = fusedMultiplyAdd(EXPF_INV_LN2_N, x, -kd);
  const k = kd | 0;
  const s = (EXP2F_TABLE[k & 31] as number) * (EXPF_POW2[(k >> 5) + EXPF_POW2_BIAS] as number);
  const w = fusedMultiplyAdd(r, EXPF_C0, EXPF_C1);
  const r2 = r * r;
  const v = fusedMultiplyAdd(r, EXPF_C2, 1);
  return fround(fusedMultiplyAdd(w, r2, v) * s);
};

const expfSlow = (x: number): number => {
  countSlowPath(3);
  return expfEmulated(x);
};

/**
 * e^x of a float32, exactly as glibc 2.36's `expf` on x86-64 with FMA (`__expf_fma`) computes it:
 * within 0.502 ulp and nearly always correctly rounded. Defined for every float32: Infinity above
 * 0x1.62e42ep6 (~88.72), 0 below -0x1.9fe368p6 (~-103.97), the smallest subnormal 2^-149 between
 * that and -0x1.9d1d9ep6 (~-103.28), subnormals above, expf(-Infinity) = 0, NaN for NaN.
 *
 * Proved equal to glibc on every 256th float32 bit pattern by glibcFloatExhaustive.test.ts, and on
 * all 2^32 with DDPM_HEAVY=1.
 *
 * Fast path: k is exact unless x 32/ln2 rounds to a half-integer (then the slow path decides), and
 * r = fma(InvLn2N, x, -kd) is exact (x hi - kd is exact by Sterbenz, plus the exact x lo). The other
 * fused operations, unfused, move y by at most 4.1 u and the result by 6.2 u |result| (u = 2^-53;
 * y in [0.989, 1.011]); the test uses E = 16 u |result|.
 *
 * @example
 * ```ts
 * expf(1)    // 2.7182817459106445
 * expf(-104) // 0
 * ```
 * @internal
 */
export const expf = (x: number): number => {
  const ix = floatBits(x);
  if (((ix >>> 20) & 0x7ff) >= 0x42b) {
    const special = expfSpecial(ix, x);
    if (special === special || x !== x) return special;
  }
  const z = x * EXPF_INV_LN2_N;
  const kd = z + EXPF_SHIFT - EXPF_SHIFT;
  // z on a half-integer: the unrounded product may lie on either side (z - kd is exact by Sterbenz).
  if (abs(z - kd) === 0.5) return expfSlow(x);
  const r = (x * EXPF_INV_LN2_N_HI - kd) + x * EXPF_INV_LN2_N_LO;
  const k = kd | 0;
  const s = (EXP2F_TABLE[k & 31] as number) * (EXPF_POW2[(k >> 5) + EXPF_POW2_BIAS] as number);
  const w = r * EXPF_C0 + EXPF_C1;
  const r2 = r * r;
  const v = r * EXPF_C2 + 1;
  const y = (w * r2 + v) * s;
  const e = y * TWO_POW_MINUS_49;
  const lo = fround(y - e);
  return lo === fround(y + e) ? lo : expfSlow(x);
};

// ---- sinf, cosf (sysdeps/ieee754/flt-32/s_sinf.c, s_cosf.c, s_sincosf.h; x86's sincosf_poly.h and
// s_sincosf_data.c) --------------------------------------------------------------------------------
//
// |y| < 0x1p-12: sin y = y, cos y = 1. |y| < 0.75 (top 12 bits below pi/4's): polynomials in x = y.
// |y| < 120: n = round(y 2/pi) (from a truncation of y 2^24 2/pi), x = fma(-n, pi/2, y).
// Otherwise n and x from an integer product with 4/pi's bits (exact, x = (double)int64 * pi 2^-63).
// Then sin or cos of x by quadrant, each with the fused operations, in order:
//   sin: s1 = fma(x2, S3, S2)  x3 = x x2  x5 = x3 x2  s = fma(x3, S1, x)  result fma(x5, s1, s)
//   cos: x4 = x2 x2  c1 = fma(x2, C1, C0)  c2 = fma(x2, C4, C3)  x6 = x2 x4  c = fma(x4, C2, c1)
//        result fma(x6, c2, c)
// glibc's second table negates C0..C4 and its sign table negates x: both are a sign of the result here.
// (sincosf makes the same operations, two lanes at a time: it equals sinf and cosf on every input.)

const HPI_INV = hex('0x1.45F306DC9C883p+23'); // 2/pi 2^24
const HPI = hex('0x1.921FB54442D18p0'); // pi/2
// pi/2 = hi + lo with hi of 46 bits: n hi is exact for |n| < 128, and so is n lo.
const HPI_HI = highBits(HPI, 7);
const HPI_LO = HPI - HPI_HI;
const PI63 = hex('0x1.921FB54442D18p-62'); // 2 pi 2^-64
const S1 = hex('-0x1.555545995a603p-3');
const S2 = hex('0x1.1107605230bc4p-7');
const S3 = hex('-0x1.994eb3774cf24p-13');
const C0 = 1;
const C1 = hex('-0x1.ffffffd0c621cp-2');
const C2 = hex('0x1.55553e1068f19p-5');
const C3 = hex('-0x1.6c087e89a359dp-10');
const C4 = hex('0x1.99343027bf8c3p-16');
// sign[n & 3] of glibc's table: the sign that sin takes in quadrant n.
const QUADRANT_SIGN = Float64Array.of(1, -1, -1, 1);
// 4/pi to 192 bits, 8 new bits per entry (glibc's __inv_pio4).
const INV_PIO4 = Uint32Array.of(
  0xa2, 0xa2f9, 0xa2f983, 0xa2f9836e, 0xf9836e4e, 0x836e4e44, 0x6e4e4415, 0x4e441529,
  0x441529fc, 0x1529fc27, 0x29fc2757, 0xfc2757d1, 0x2757d1f5, 0x57d1f534, 0xd1f534dd, 0xf534ddc0,
  0x34ddc0db, 0xddc0db62, 0xc0db6295, 0xdb629599, 0x6295993c, 0x95993c43, 0x993c4390, 0x3c439041,
);

const TWO_POW_MINUS_16 = 2 ** -16;
const TWO_POW_MINUS_32 = 2 ** -32;

// The quadrant n found by reduceLarge (0 .. 3, a small integer: a module-level `let` holding a
// non-small number would allocate on every write).
let largeQuadrant = 0;

/**
 * glibc's reduce_large for |y| >= 120 (bits ix): res = m 4/pi (mod 4, 62-bit fraction) from three
 * words of 4/pi, n its nearest integer, x = (double)(res - n) pi/2^63. The 64-bit integer words
 * are formed from 16-bit halves, so that every intermediate is an integer below 2^53.
 */
const reduceLarge = (ix: number): number => {
  const entry = (ix >>> 26) & 15;
  const m = (((ix & 0xffffff) | 0x800000) << ((ix >>> 23) & 7)) >>> 0; // < 2^31
  const a4 = INV_PIO4[entry + 4] as number;
  const a8 = INV_PIO4[entry + 8] as number;
  // res0 = (low word of m arr[0]) : (high word of m arr[8]), then + m arr[4] (mod 2^64).
  const top = imul(m, INV_PIO4[entry] as number) >>> 0;
  // (Exact scalings by 2^-16 and 2^-32 written as products: a division would cost far more.)
  const high8 = floor((m * (a8 >>> 16) + floor(m * (a8 & 0xffff) * TWO_POW_MINUS_16)) * TWO_POW_MINUS_16);
  const p4 = m * (a4 >>> 16); // m arr[4] = p4 2^16 + q4, both < 2^47
  const p4High = floor(p4 * TWO_POW_MINUS_16);
  const t4 = (p4 - p4High * 65536) * 65536 + m * (a4 & 0xffff); // < 2^48
  const t4High = floor(t4 * TWO_POW_MINUS_32);
  let lo = high8 + (t4 - t4High * 4294967296);
  const carry = lo >= 4294967296 ? 1 : 0;
  lo -= carry * 4294967296;
  // n = (res0 + 2^61) >> 62; res0 - (n << 62) as a signed 64-bit integer in [-2^61, 2^61).
  const rounded = (top + p4High + t4High + carry + 0x20000000) >>> 0;
  largeQuadrant = rounded >>> 30;
  // (int64 -> double) rounds once: the high part times 2^32 is exact and the sum rounds.
  return (((rounded & 0x3fffffff) - 0x20000000) * 4294967296 + lo) * PI63;
};

/** The sin polynomial of x, unfused. */
const sinPolynomial = (x: number): number => {
  const x2 = x * x;
  const x3 = x * x2;
  const s1 = x2 * S3 + S2;
  const x5 = x3 * x2;
  const s = x3 * S1 + x;
  return x5 * s1 + s;
};

/** The cos polynomial of x, unfused. */
const cosPolynomial = (x: number): number => {
  const x2 = x * x;
  const x4 = x2 * x2;
  const c1 = x2 * C1 + C0;
  const c2 = x2 * C4 + C3;
  const x6 = x2 * x4;
  const c = x4 * C2 + c1;
  return x6 * c2 + c;
};

/** The sin polynomial of x with glibc's fused operations, exactly. */
const sinPolynomialFused = (x: number): number => {
  const x2 = x * x;
  const x3 = x * x2;
  const s1 = fusedMultiplyAdd(x2, S3, S2);
  const x5 = x3 * x2;
  const s = fusedMultiplyAdd(x3, S1, x);
  return fusedMultiplyAdd(x5, s1, s);
};

/** The cos polynomial of x with glibc's fused operations, exactly. */
const cosPolynomialFused = (x: number): number => {
  const x2 = x * x;
  const x4 = x2 * x2;
  const c1 = fusedMultiplyAdd(x2, C1, C0);
  const c2 = fusedMultiplyAdd(x2, C4, C3);
  const x6 = x2 * x4;
  const c = fusedMultiplyAdd(x4, C2, c1);
  return fusedMultiplyAdd(x6, c2, c);
};

const SIN = 0;
const COS = 1;

/**
 * glibc's `__sinf_fma` (which = SIN) or `__cosf_fma` (COS) with every fused multiply-add emulated
 * exactly, the arguments that need no arithmetic (tiny, infinite, NaN) answered as glibc does.
 */
const trigEmulated = (y: number, which: number): number => {
  const ix = floatBits(y);
  const top = (ix >>> 20) & 0x7ff;
  if (top < 0x3f4) {
    if (top < 0x398) return which === SIN ? y : 1;
    return fround(which === SIN ? sinPolynomialFused(y) : cosPolynomialFused(y));
  }
  if (top >= 0x7f8) return NOT_A_NUMBER;
  let x: number;
  let n: number;
  let m: number; // the quadrant the signs come from: n, plus the sign bit for large arguments
  if (top < 0x42f) {
    n = (((y * HPI_INV) | 0) + 0x800000) >> 24;
    x = fusedMultiplyAdd(-n, HPI, y);
    m = n;
  } else {
    x = reduceLarge(ix);
    n = largeQuadrant;
    m = n + (ix >>> 31);
  }
  // sin of quadrant n is +-sin x (n even) or +-cos x (n odd), cos that of quadrant n + 1; the signs
  // come from m alone, as glibc's sign table and table choice do (not from m + 1 for cos).
  if (((n + which) & 1) === 1) return fround(((m & 2) === 0 ? 1 : -1) * cosPolynomialFused(x));
  return fround((QUADRANT_SIGN[m & 3] as number) * sinPolynomialFused(x));
};

/**
 * glibc's `__sinf_fma` with every fused multiply-add emulated exactly: slow (BigInt), the
 * reference that {@link sinf} falls back to.
 *
 * @example
 * ```ts
 * sinfEmulated(1) === sinf(1) // true
 * ```
 * @internal
 */
export const sinfEmulated = (y: number): number => trigEmulated(y, SIN);

/**
 * glibc's `__cosf_fma` with every fused multiply-add emulated exactly: slow (BigInt), the
 * reference that {@link cosf} falls back to.
 *
 * @example
 * ```ts
 * cosfEmulated(1) === cosf(1) // true
 * ```
 * @internal
 */
export const cosfEmulated = (y: number): number => trigEmulated(y, COS);

const trigSlow = (y: number, which: number): number => {
  countSlowPath(1 + which);
  return trigEmulated(y, which);
};

// Decisions of the fast paths, x in [-0.786, 0.786]. sin: the unfused operations move the result by
// at most 4.2 u |x| (u = 2^-53; |sin x| >= 0.9 |x|), tested with E = 16 u |x|. cos: at most 6.4 u
// (|cos x| in [0.7, 1]), tested with E = 16 u.
const sinResult = (sign: number, x: number, y: number, which: number): number => {
  const v = sign * sinPolynomial(x);
  const e = abs(x) * TWO_POW_MINUS_49;
  const lo = fround(v - e);
  return lo === fround(v + e) ? lo : trigSlow(y, which);
};

const cosResult = (sign: number, x: number, y: number, which: number): number => {
  const v = sign * cosPolynomial(x);
  const lo = fround(v - TWO_POW_MINUS_49);
  return lo === fround(v + TWO_POW_MINUS_49) ? lo : trigSlow(y, which);
};

/** sinf (which = SIN) or cosf (COS): glibc's branches, with the reduction for |y| < 120 exact. */
const trig = (y: number, which: number): number => {
  const ix = floatBits(y);
  const top = (ix >>> 20) & 0x7ff;
  if (top < 0x3f4) {
    if (top < 0x398) return which === SIN ? y : 1;
    return which === SIN ? sinResult(1, y, y, SIN) : cosResult(1, y, y, COS);
  }
  let x: number;
  let n: number;
  let m: number;
  if (top < 0x42f) {
    n = (((y * HPI_INV) | 0) + 0x800000) >> 24;
    // fma(-n, pi/2, y) exactly: y - n hi is exact (Sterbenz, or n = 0), n lo is exact, one rounding.
    x = (y - n * HPI_HI) - n * HPI_LO;
    m = n;
  } else if (top < 0x7f8) {
    x = reduceLarge(ix);
    n = largeQuadrant;
    m = n + (ix >>> 31);
  } else {
    return NOT_A_NUMBER;
  }
  if (((n + which) & 1) === 1) return cosResult((m & 2) === 0 ? 1 : -1, x, y, which);
  return sinResult(QUADRANT_SIGN[m & 3] as number, x, y, which);
};

/**
 * The sine of a float32, exactly as glibc 2.36's `sinf` on x86-64 with FMA (`__sinf_fma`) computes
 * it: within 0.56 ulp and not always correctly rounded (on 1.3% of randn's angles it is not).
 * Defined for every float32, large arguments reduced with glibc's 192 bits of 4/pi; NaN for
 * infinities and NaN. The same bits as glibc's `sincosf`.
 *
 * Proved equal to glibc on all 2^24 of randn's angles `fround(2 pi k 2^-24)` by
 * glibcFloatExhaustive.test.ts, and on every float32 (including all of [0, 2 pi]) with DDPM_HEAVY=1.
 *
 * @example
 * ```ts
 * sinf(1)              // 0.8414709568023682
 * sinf(Math.fround(Math.PI)) // -8.742277657347586e-8
 * ```
 * @internal
 */
export const sinf = (y: number): number => trig(y, SIN);

/**
 * The cosine of a float32, exactly as glibc 2.36's `cosf` on x86-64 with FMA (`__cosf_fma`)
 * computes it: within 0.56 ulp and not always correctly rounded (on 1.3% of randn's angles it is
 * not). Defined for every float32, large arguments reduced with glibc's 192 bits of 4/pi; NaN for
 * infinities and NaN. The same bits as glibc's `sincosf`.
 *
 * Proved equal to glibc on all 2^24 of randn's angles `fround(2 pi k 2^-24)` by
 * glibcFloatExhaustive.test.ts, and on every float32 (including all of [0, 2 pi]) with DDPM_HEAVY=1.
 *
 * @example
 * ```ts
 * cosf(1)   // 0.5403022766113281
 * cosf(0)   // 1
 * ```
 * @internal
 */
export const cosf = (y: number): number => trig(y, COS);
