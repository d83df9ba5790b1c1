/**
 * torch.log on float32 tensors as torch 1.13.1's AVX2 CPU kernel computes it, element for element: every
 * element is a lane of Sleef's `Sleef_logf8_u10` (vec::map runs the loop tail as a padded vector, and a 0-d
 * tensor as one lane; measured by scripts/fixtures/torch_log.py, fixtures/torch-log.json). Debian links
 * the system libsleef 3.5.1, whose dispatcher picks `Sleef_logf8_u10avx2` on an FMA CPU: the algorithm is
 * Sleef's xlogf_u1 (src/libm/sleefsimdsp.c), in float-float (double-float) arithmetic, with the FMAs
 * the compiler emitted where the source asks for them.
 *
 * @module
 */

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper.
const { fround } = Math;

// Sleef 3.5.1's logf constants, as stored in libsleef.so.3 (read from Sleef_logf8_u10avx2's operands).
const FLT_MIN = 1.1754943508222875e-38; // 0x00800000, 2^-126
const TWO_64 = 18446744073709551616; // 0x5f800000, 2^64: subnormals are scaled into the normal range
const R_075 = fround(1 / 0.75); // 0x3faaaaab
const L2U = fround(0.69314718246459960938); // 0x3f317218, ln 2's upper part
const L2L = fround(-1.904654323148236017e-9); // 0xb102e308, ln 2 - L2U, rounded
const C0 = fround(0.3027294874); // 0x3e9aff5c
const C1 = fround(0.3996108174); // 0x3ecc99ca
const C2 = fround(0.666669488); // 0x3f2aaada

// 2^(127 - b) for the biased exponents b = 1 .. 255 of fround(d / 0.75); index b.
const POW2 = (() => {
  const t = new Float64Array(256);
  for (let b = 1; b <= 255; b++) t[b] = 2 ** (127 - b);
  return t;
})();
// One float32 and its bits: vilogb2k reads the exponent field. Module-level, so no allocation per call.
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/**
 * `Sleef_logf8_u10avx2` for one lane: ln(x) for a float32 x, bit for bit (within 1 ulp of the true
 * logarithm, as Sleef promises; every input checked against torch, see below). +0 and -0 give -Infinity,
 * +Infinity gives +Infinity, a negative input or NaN gives NaN (Sleef returns 0x7fc00000).
 *
 * The steps, in the order the AVX2 build runs them (each a float32 operation):
 * - x below 2^-126 (a subnormal) is scaled by 2^64; e = ilogb(fround(x / 0.75)) (minus 64 when scaled),
 *   m = x 2^-e, in [0.75, 1.5].
 * - s = dfmul((L2U, L2L), e): s.x = fround(e L2U), s.y = fma(e, L2L, fma(e, L2U, -s.x)).
 * - a = dfadd2(-1, m), b = dfadd2(1, m) (TwoSum, plain adds); x = dfdiv(a, b) with r = 1 / b.x,
 *   x.x = a.x r, u = fma(r, a.x, -x.x), v = fma(-r, b.y, fma(-r, b.x, 1)),
 *   x.y = fma(x.x, v, fma(r, a.y, u)).
 * - x2 = x.x x.x, t = fma(fma(x2, C0, C1), x2, C2).
 * - s = dfadd(s, 2 x), s = dfadd(s, x2 x.x t) (plain adds), and the result s.x + s.y.
 *
 * FMAs: each fused step a b + c is the double a b (exact: two float32) plus c, rounded to float32. That
 * is the FMA's single rounding whenever the double sum is exact, and otherwise unless the double sum is a
 * float32 midpoint the exact sum is not. The seven fused steps of s.y and of dfdiv have exact double
 * sums (their terms are multiples of a common unit with fewer than 53 bits between it and their
 * magnitude: e L2L is a multiple of 2^-52 below 2^-20 and fma(e, L2U, -s.x) one of 2^-24 below 2^-18;
 * in dfdiv everything is a multiple of 2^-49, or of ulp(x.x) 2^-49 in x.y's step; a.y is always 0,
 * m - 1 being exact). The two polynomial steps need not be exact (x2 can be tiny), but on no float32
 * input does either of them meet a midpoint: a C transcription run over all 2^32 inputs found every
 * one of the nine emulated steps equal to the hardware fmaf and the result equal to libsleef's
 * Sleef_logf8_u10avx2, and the exhaustive test (DDPM_HEAVY=1) checks every float32 input against
 * torch's hashes.
 *
 * @example
 * ```ts
 * sleefLogf(Math.fround(Math.E)) // 0.9999999403953552, float32 below 1
 * sleefLogf(0)                   // -Infinity
 * ```
 * @internal
 */
export const sleefLogf = (x: number): number => {
  // The final blends: d == inf: inf; !(0 <= d) (negative, NaN): NaN; d == 0 (either sign): -inf.
  if (!(x > 0)) return x === 0 ? -Infinity : NaN;
  if (x === Infinity) return Infinity;
  let d = x;
  let bias = 127;
  if (d < FLT_MIN) {
    d *= TWO_64; // exact
    bias = 191;
  }
  // vilogb2k(d * (1 / 0.75)): the biased exponent field, 255 when the product overflows to Infinity.
  F32[0] = d * R_075;
  const biased = (U32[0] as number) >>> 23;
  const m = d * (POW2[biased] as number); // vldexp3: exact, a normal float32 in [0.75, 1.5]
  const e = biased - bias;

  // s = dfmul((L2U, L2L), e)
  const sx = fround(e * L2U);
  const sy = fround(e * L2L + (e * L2U - sx)); // two fused steps, both exact in double

  // a = dfadd2(-1, m), b = dfadd2(1, m)
  const ax = fround(m - 1);
  let w = fround(ax + 1);
  const ay = fround(fround(-1 - fround(ax - w)) + fround(m - w));
  const bx = fround(m + 1);
  w = fround(bx - 1);
  const by = fround(fround(1 - fround(bx - w)) + fround(m - w));

  // x = dfdiv(a, b)
  const r = fround(1 / bx);
  const xx = fround(ax * r);
  let u = fround(r * ax - xx);
  let v = fround(1 - r * bx);
  v = fround(v - r * by);
  u = fround(r * ay + u);
  const xy = fround(xx * v + u);

  // The polynomial in x2 = x.x^2
  const x2 = fround(xx * xx);
  let t = fround(x2 * C0 + C1);
  t = fround(x2 * t + C2);

  // s = dfadd(s, dfscale(x, 2))
  const tx = xx + xx; // doubling a float32 is exact (no overflow here)
  const ty = xy + xy;
  const S = fround(sx + tx);
  const Sy = fround(fround(fround(fround(sx - S) + tx) + sy) + ty);
  // s = dfadd(s, x2 x.x t), then s.x + s.y
  const q = fround(fround(xx * x2) * t);
  const S2 = fround(S + q);
  return fround(S2 + fround(Sy + fround(q + fround(S - S2))));
};
