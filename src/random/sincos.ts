/**
 * Sine and cosine of one angle in [0, 2 pi], with one shared argument reduction. Internal: the
 * Box-Muller kernel needs both of the same angle, and Math.sin plus Math.cos cost twice the
 * reduction and most of the kernel's time.
 *
 * Accuracy: within about 1 ulp in double; rounded to float32 the results equal
 * `Math.fround(Math.sin(x))` and `Math.fround(Math.cos(x))` for every angle the kernel can produce
 * (`Math.fround(2 * Math.PI * k * 2^-24)` for every 24-bit k); the unit test checks all 2^24 of them.
 *
 * @module
 */

// pi/2 split in two: the high part has 33 significant bits, so k * PIO2_HI is exact for small k.
const PIO2_HI = 1.5707963267341256;
const PIO2_LO = 6.077100506506192e-11;
const TWO_OVER_PI = 0.6366197723675814;

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

// The two reduced results, picked by quadrant with an index instead of a branch: the quadrant of a
// random angle is unpredictable, and a mispredicted switch cost more than the polynomials.
const REDUCED = new Float64Array(2);

/**
 * Writes `sin(x)` into `out[0]` and `cos(x)` into `out[1]`, for x in [0, 2 pi] (a few ulp beyond is
 * fine; large or negative arguments are not: the reduction is only exact for a small quadrant count).
 *
 * @example
 * ```ts
 * const out = new Float64Array(2);
 * sinCos(Math.PI / 6, out); // out ≈ [0.5, 0.8660254037844386]
 * ```
 */
export const sinCos = (x: number, out: Float64Array): void => {
  // x >= 0, so truncating x * 2/pi + 0.5 rounds to the nearest quadrant.
  const k = (x * TWO_OVER_PI + 0.5) | 0;
  // x - k * PIO2_HI is exact (k * PIO2_HI is exact and close to x); the low part adds the rest.
  const r = x - k * PIO2_HI - k * PIO2_LO;
  const z = r * r;
  const half = 0.5 * z;
  const w = 1 - half;
  REDUCED[0] = r + r * z * (S1 + z * (S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)))));
  // (1 - w) - half recovers the rounding error of w, as fdlibm does, for a cosine within ~1 ulp.
  REDUCED[1] = w + (1 - w - half + z * z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6))))));
  // sin(r + k pi/2): quadrants 1 and 3 swap sine and cosine; the signs follow the quadrant.
  const swap = k & 1;
  out[0] = (1 - (k & 2)) * (REDUCED[swap] as number);
  out[1] = (1 - ((k + 1) & 2)) * (REDUCED[swap ^ 1] as number);
};
