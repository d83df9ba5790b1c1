/**
 * torch.randn's float32 Box-Muller block on AVX2 builds (`normal_fill_16_AVX2` with avx_mathfun.h's
 * `log256_ps` and `sincos256_ps`), lane by lane, as Debian's torch 1.13.1 compiled it: GCC 12 at -O2
 * contracted some of the intrinsics' multiply-add pairs into FMA instructions, and each contraction
 * rounds once where the source rounds twice. The fused pairs, read from the disassembly of
 * libtorch_cpu.so (the main loop and the ragged-tail copy of the block agree):
 *
 * - log: the eight Horner steps `y = y * x + p_k` (k = 1..8), `y * z + e * q1` (the product `e * q1`
 *   itself rounded), `y - z * 0.5`, and `(x + y) + e * q2`; `y * x` before them stays a plain multiply.
 * - sincos: the three reduction steps `x + y * -DP_k`, the Horner steps `p0 * z + p1` and `y * z + p2` of
 *   both polynomials, the cosine's `y * z - z * 0.5` (with `z * 0.5` rounded), and the sine's
 *   `y2 * x + x`; the products `y * z` before those stay plain multiplies.
 * - the store: `fmadd(n, std = 1, mean = 0)`, exact but for turning -0 into +0.
 *
 * Everything else is one IEEE float32 operation, done exactly in double and rounded once (a sum,
 * product or square root of float32 values rounded through double is correctly rounded, since
 * 53 >= 2 * 24 + 2). A fused step a * b + c (all float32): the product is exact in double, and the
 * double sum rounded to float32 is the FMA's single rounding unless that sum lands exactly halfway
 * between two float32 values while the exact sum does not (double rounding). On this kernel's inputs
 * that never happens: across all 2^24 values of u1 and of u2 the double sum of a fused step is a
 * float32 midpoint 643 times, and every time it is the exact sum (a true tie, which both
 * round to even). So `fma32` is the plain rounded sum; a general FMA would need the correction of
 * schedule/internal.ts's roundSumToFloat32, which costs this kernel 2.4x in speed. The exhaustive
 * test is what makes the shortcut safe: every step depends on u1 alone or on u2 alone, and it
 * compares every value of each against torch.
 *
 * avx_mathfun's integer steps are done in integers: the exponent and mantissa of u1 (from the integer
 * u1 2^24 rather than the float32 bits, the same split), `_mm256_cvttps_epi32`'s truncation, the octant
 * rounded up to even, and the octant's bits that pick the polynomial and flip the signs.
 *
 * Domain: the uniforms torch gives the kernel, k 2^-24 for k in 0 .. 2^24 - 1. (u1 = 1 - u is then
 * a multiple of 2^-24 in [2^-24, 1], so it is never 0, negative or subnormal: avx_mathfun's
 * invalid-input mask and its clamp to the smallest normal never act.)
 *
 * fixtures/torch-avx2-normal.json (scripts/fixtures/torch_avx2_normal.py, from real torch) holds
 * hashes of every 2^24 value of u1 and of u2 through the kernel; avx2NormalExhaustive.test.ts
 * recomputes them.
 *
 * @module
 */

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper.
const { clz32, fround, sqrt } = Math;

const HALF = 8;
const TWO_POW_24 = 16777216;
const TWO_POW_MINUS_25 = 1 / 33554432;

/** A fused float32 multiply-add on this kernel's inputs: a * b is exact in double, one rounding after. */
const fma32 = (a: number, b: number, c: number): number => fround(a * b + c);

// avx_mathfun.h's constants, rounded to float32 as the compiler stored them (checked in the binary).
const ONE = 1;
const SQRTHF = fround(0.7071067811865476) // cephes_SQRTHF, 0.707106781186547524;
const LOG_P0 = fround(7.0376836292e-2);
const LOG_P1 = fround(-1.151461031e-1);
const LOG_P2 = fround(1.167699874e-1);
const LOG_P3 = fround(-1.2420140846e-1);
const LOG_P4 = fround(1.4249322787e-1);
const LOG_P5 = fround(-1.6668057665e-1);
const LOG_P6 = fround(2.0000714765e-1);
const LOG_P7 = fround(-2.4999993993e-1);
const LOG_P8 = fround(3.3333331174e-1);
const LOG_Q1 = fround(-2.1219444e-4);
const LOG_Q2 = 0.693359375;
const MINUS_DP1 = -0.78515625;
const MINUS_DP2 = fround(-2.4187564849853515625e-4);
const MINUS_DP3 = fround(-3.774894977445941e-8) // -3.77489497744594108e-8;
const SINCOF_P0 = fround(-1.9515295891e-4);
const SINCOF_P1 = fround(8.3321608736e-3);
const SINCOF_P2 = fround(-1.6666654611e-1);
const COSCOF_P0 = fround(2.443315711809948e-5);
const COSCOF_P1 = fround(-1.388731625493765e-3);
const COSCOF_P2 = fround(4.166664568298827e-2);
const FOPI = fround(1.27323954473516); // 4 / pi
// _mm256_set1_ps(2.0f * c10::pi<double>): the double product rounded to float32 once.
const TWO_PI_F32 = fround(2 * Math.PI);

/**
 * `log256_ps(u1)` for one lane, u1 = i 2^-24 with i in 1 .. 2^24: Cephes' logf. u1 = m 2^e with m in
 * [0.5, 1) (the float32 exponent field minus 126 and the mantissa under exponent -1, found here from
 * the integer i), one step down when m < sqrt(1/2), then a degree-9 polynomial in x = m - 1.
 */
const log256 = (u1: number): number => {
  const i = u1 * TWO_POW_24; // an exact integer in 1 .. 2^24
  const shift = clz32(i) - 7; // i << shift lies in [2^24, 2^25)
  const m = (i << shift) * TWO_POW_MINUS_25;
  let e = 1 - shift;
  let x: number;
  if (m < SQRTHF) {
    e -= ONE;
    x = fround(fround(m - ONE) + m); // (m - 1) + m: the masked add of the source
  } else {
    x = fround(m - ONE);
  }
  const z = fround(x * x);
  let y = fma32(LOG_P0, x, LOG_P1);
  y = fma32(y, x, LOG_P2);
  y = fma32(y, x, LOG_P3);
  y = fma32(y, x, LOG_P4);
  y = fma32(y, x, LOG_P5);
  y = fma32(y, x, LOG_P6);
  y = fma32(y, x, LOG_P7);
  y = fma32(y, x, LOG_P8);
  y = fround(y * x);
  y = fma32(y, z, fround(e * LOG_Q1));
  y = fround(y - z * 0.5); // fnmadd(z, 0.5, y): z * 0.5 is exact, so one rounding either way
  x = fround(x + y);
  return fround(x + e * LOG_Q2); // fmadd(e, q2, x): e * q2 has at most 16 bits, exact
};

/**
 * Box-Muller over one block of 16 float32 uniforms in `out[base .. base + 16)`, in place, exactly as
 * torch 1.13.1's `normal_fill_16_AVX2` (Debian's build) computes it: for lane j < 8,
 * `u1 = 1 - out[j]`, `u2 = out[j + 8]`, `radius = sqrt(-2 log256_ps(u1))`, `theta = 2pi_f32 * u2`,
 * `sincos256_ps(theta)`, then `out[j] = radius * cos` and `out[j + 8] = radius * sin`. Exact for
 * every uniform torch draws, (word & 0xffffff) 2^-24 (proved on all of them against torch); other
 * values are outside its contract. No allocation.
 *
 * @example
 * ```ts
 * const block = new Float32Array(16).fill(0.25);
 * avx2NormalBlock(block, 0); // block[0] = radius * cos(pi / 2) ~ -3.3e-8, block[8] ~ 0.7585
 * ```
 * @internal
 */
export const avx2NormalBlock = (out: Float32Array, base: number): void => {
  const end = base + HALF;
  // The radii first, into the u1 slots (each u1 is read once, and the radius is a float32), then
  // the sines and cosines: the vector code's order, which keeps each loop's lanes independent.
  for (let j = base; j < end; j++) out[j] = sqrt(-2 * log256(ONE - (out[j] as number)));
  for (let j = base; j < end; j++) {
    // theta = 2pi_f32 * u2 in [0, 2 pi): non-negative, so the sign of the sine starts at +.
    const theta = fround(TWO_PI_F32 * (out[j + HALF] as number));
    // The octant: cvttps_epi32(theta 4/pi) (truncation; theta 4/pi < 8), then (j + 1) & ~1.
    const octant = ((fround(theta * FOPI) | 0) + 1) & ~1;
    // x = ((theta - y DP1) - y DP2) - y DP3, each step fused; y DP1 and y DP2 are exact (y <= 8).
    let x = fround(theta + octant * MINUS_DP1);
    x = fround(x + octant * MINUS_DP2);
    x = fma32(octant, MINUS_DP3, x);
    const z = fround(x * x);

    let c = fma32(COSCOF_P0, z, COSCOF_P1);
    c = fma32(c, z, COSCOF_P2);
    c = fround(c * z);
    c = fma32(c, z, -fround(z * 0.5)); // fmsub(y, z, z * 0.5), the half product rounded first
    c = fround(c + ONE);

    let s = fma32(SINCOF_P0, z, SINCOF_P1);
    s = fma32(s, z, SINCOF_P2);
    s = fround(s * z);
    s = fma32(s, x, x);

    // poly_mask ((j & 2) == 0) picks the sine polynomial for the sine; the sign bits are
    // (j & 4) << 29 for the sine and (~(j - 2) & 4) << 29 for the cosine.
    const sinPoly = (octant & 2) === 0;
    let sine = sinPoly ? s : c;
    let cosine = sinPoly ? c : s;
    if ((octant & 4) !== 0) sine = -sine;
    if ((~(octant - 2) & 4) !== 0) cosine = -cosine;
    // radius * value: a product of two float32, exact in double, rounded once on store; the
    // fmadd with std 1 and mean 0 adds +0, which turns -0 into +0.
    const radius = out[j] as number;
    out[j] = radius * cosine + 0;
    out[j + HALF] = radius * sine + 0;
  }
};
