/**
 * The elementary functions of the float32 Box-Muller kernel: the logarithm of a 24-bit uniform and
 * the sine and cosine of one angle with one shared argument reduction. Internal.
 *
 * These are the definition that both backends compute: the WebAssembly kernel (assembly/kernels.ts,
 * `Log.log4` and `Trig.sinCos4`) runs the very same sequence of IEEE double operations, lane by lane,
 * and neither JavaScript nor WebAssembly fuses a multiply and an add, so both give the same bits.
 * Only exact steps (splitting a number into exponent and mantissa, sign flips) are done differently.
 * `src/wasm/boxMullerExhaustive.test.ts` checks every one of the 2^24 inputs each function can
 * receive from the kernel against the WebAssembly exports.
 *
 * Accuracy: rounded to float32, `uniformLog(u1)` equals `Math.fround(Math.log(u1))` for all 2^24
 * values u1 = i 2^-24, and `sinCos` equals `Math.fround(Math.sin(x))`, `Math.fround(Math.cos(x))`
 * for all 2^24 angles `Math.fround(2 * Math.PI * k * 2^-24)` (sincos.test.ts checks every one), so
 * both are the correctly rounded float32 results (up to a double-rounding tie, which none hits).
 *
 * @module
 */

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper.
const { clz32, fround } = Math;

const TWO_POW_24 = 16777216;
const TWO_POW_MINUS_24 = 1 / TWO_POW_24;
// n in [2^24, 2^25) is >= sqrt(2) 2^24 = 23726566.4 exactly when n + (2^25 - 23726567) reaches 2^25.
const SQRT2_OFFSET = 33554432 - 23726567;

// fdlibm's e_log.c: ln 2 split so that k * LN2_HI is exact for |k| < 2^11, and the minimax
// coefficients of (log(1 + f) - 2 s) / s ~ Lg1 s^2 + ... + Lg7 s^14, s = f / (2 + f).
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LG1 = 6.666666666666735130e-1;
const LG2 = 3.999999999940941908e-1;
const LG3 = 2.857142874366239149e-1;
const LG4 = 2.222219843214978396e-1;
const LG5 = 1.818357216161805012e-1;
const LG6 = 1.531383769920937332e-1;
const LG7 = 1.479819860511658591e-1;

/**
 * `log(u1)` rounded to float32, for u1 = i 2^-24 with i in 1 .. 2^24 (the values `1 - u` that
 * Box-Muller takes the logarithm of; other arguments are outside its contract). fdlibm's method,
 * branch-free: u1 = m 2^k with m in [sqrt(1/2), sqrt(2)) found exactly from the integer i,
 * f = m - 1 (exact), s = f / (2 + f), log(1 + f) = f - s (f - R(s^2)), plus k ln 2 in two parts.
 *
 * @example
 * ```ts
 * uniformLog(0.5)     // -0.6931471824645996, Math.fround(Math.log(0.5))
 * uniformLog(2 ** -24) // -16.63553237915039
 * ```
 */
export const uniformLog = (u1: number): number => {
  const i = u1 * TWO_POW_24; // an exact integer in 1 .. 2^24
  // i << shift lies in [2^24, 2^25), so m = n 2^-24 in [1, 2) and u1 = m 2^-shift.
  const shift = clz32(i) - 7;
  const n = i << shift;
  // m > sqrt(2): halve it (n is even, since i has at most 24 significant bits below 2^24).
  const big = (n + SQRT2_OFFSET) >>> 25;
  const f = ((n >> big) - TWO_POW_24) * TWO_POW_MINUS_24;
  const k = big - shift;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  // fdlibm's two interleaved Horner chains (odd and even powers of w), summed as R = t2 + t1
  const r = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  return fround(k * LN2_HI - (s * (f - r) - k * LN2_LO - f));
};

// pi/2 split in two: the high part has 33 significant bits, so k * PIO2_HI is exact for small k.
const PIO2_HI = 1.5707963267341256;
const PIO2_LO = 6.077100506506192e-11;
const TWO_OVER_PI = 0.6366197723675814;
// Adding 1.5 * 2^52 to a double below 2^51 in magnitude rounds it to an integer (to nearest, ties
// to even); subtracting it again gives that integer exactly.
const ROUNDER = 6755399441055744;

// Minimax coefficients of sin(r) = r + r^3 (S1 + r^2 S2 + ...) and
// cos(r) = 1 - r^2 / 2 + r^4 (C1 + r^2 C2 + ...) on [-pi/4, pi/4] (the classic fdlibm constants).
const S1 = -1.66666666666666324348e-1;
const S2 = 8.33333333332248946124e-3;
const S3 = -1.98412698298579493134e-4;
const S4 = 2.75573137070700676789e-6;
const S5 = -2.50507602534068634195e-8;
const S6 = 1.58969099521155010221e-10;
const C1 = 4.16666666666666019037e-2;
const C2 = -1.38888888888741095749e-3;
const C3 = 2.48015872894767294178e-5;
const C4 = -2.75573143513906633035e-7;
const C5 = 2.0875723212981748279e-9;
const C6 = -1.13596475577881948265e-11;

/**
 * Writes `sin(x)` into `out[0]` and `cos(x)` into `out[1]`, for x in [0, 2 pi] (a few ulp beyond is
 * fine; large or negative arguments are not: the reduction is only exact for a small quadrant count).
 * The quadrant is x 2/pi rounded to nearest (ties to even), the polynomials are evaluated by
 * Horner's rule in z = r^2. Within 2 double ulp of the true values.
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * sinCos(Math.PI / 6, out); // out ≈ [0.5, 0.8660254037844386]
 * ```
 */
export const sinCos = (x: number, out: Float64Array): void => {
  const q = x * TWO_OVER_PI + ROUNDER - ROUNDER;
  const k = q | 0;
  // x - q * PIO2_HI is exact (q * PIO2_HI is exact and close to x); the low part adds the rest.
  const r = x - q * PIO2_HI - q * PIO2_LO;
  const z = r * r;
  // sin(r + k pi/2): odd quadrants swap sine and cosine, so each reduced result is written to the
  // slot of its quadrant (an index, not a branch: the quadrant of a random angle is unpredictable,
  // and a mispredicted branch costs more than the polynomials), with the sign of that slot's function.
  const swap = k & 1;
  out[swap] = (1 - ((k + swap) & 2)) * (r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6))))));
  out[swap ^ 1] = (1 - ((k + 1 - swap) & 2)) * (1 - 0.5 * z + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6))))));
};
