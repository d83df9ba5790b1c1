/**
 * torch.exp and torch.sigmoid on float32 tensors as torch 1.13.1's CPU kernels compute them, element
 * for element. On AVX2 builds the vector lanes run Sleef's `Sleef_expf8_u10` (Debian links the system
 * libsleef 3.5.1, whose dispatcher picks `Sleef_expf8_u10avx2` on this CPU: its disassembly is what
 * `sleefExpf` follows); the scalar lanes run
 * `std::exp`, i.e. glibc's `expf`, which callers pass in (glibcFloat.ts has it). `capability` is the
 * kernel family torch runs (`ATEN_CPU_CAPABILITY`; src/cpuCapability.ts names the same three).
 *
 * Which lanes are which, measured on real torch (scripts/fixtures/torch_exp.py, fixtures/torch-exp.json),
 * for a contiguous float32 tensor of n elements:
 * - torch.exp, 'avx2': every element is a vector lane, the loop tail too (vec::map loads the last
 *   partial vector padded), a 0-d tensor too, and a non-contiguous input too (it is gathered into a
 *   buffer and mapped). 'default': every element is glibc's expf.
 * - torch.sigmoid, 'avx2': cpu_kernel_vec runs 16 elements (two vectors) per step and the rest of each
 *   chunk through the scalar `1 / (1 + std::exp(-x))`; with T > 1 intra-op threads and n > 32768 the
 *   range is split into min(T, ceil(n / 32768)) chunks of ceil(n / chunks) elements, each with its own
 *   scalar tail. A 0-d tensor and any strided (non-dense) input are scalar throughout; a permuted but
 *   dense one runs in memory order like a contiguous one. 'default': every element scalar.
 * - 'avx512' is not measured here (no AVX512 on this machine): assumed to be `Sleef_expf16_u10`, with
 *   the same values as the 8-lane one, and 16-lane vectors, so sigmoid's vector steps are 32 elements.
 *
 * @module
 */
import type { CpuCapability } from '../../cpuCapability.js';

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper.
const { fround, max, min } = Math;

// Sleef 3.5.1's expf constants (sleefsimdsp.c xexpf), as stored in libsleef.so.3.
const R_LN2F = fround(1.4426950408889634); // 0x3fb8aa3b
const L2UF = 0.693145751953125; // 0x3f317200: ln 2's upper part, 15 significant bits
const L2LF = fround(1.428606765330187045e-6); // 0x35bfbe8e (stored negated, 0xb5bfbe8e)
const C0 = fround(0.000198527617612853646278381);
const C1 = fround(0.00139304355252534151077271);
const C2 = fround(0.00833336077630519866943359);
const C3 = fround(0.0416664853692054748535156);
const C4 = fround(0.166666671633720397949219);
const C5 = 0.5;
// 1.5 2^52: adding and subtracting it rounds a double of magnitude < 2^51 to an integer, ties to even,
// which is _mm256_cvtps_epi32 under the default rounding mode.
const ROUND_TO_INTEGER = 6755399441055744;
// 2^q for the q that reach the scaling, -150 .. 144 (d in [-104, 100]); index q + 150.
const POW2 = (() => {
  const t = new Float64Array(301);
  for (let q = -150; q <= 150; q++) t[q + 150] = 2 ** q;
  return t;
})();

// 2^28 + 1: Veltkamp's splitter keeps the top 53 - 28 = 25 significant bits of a double.
const SPLIT_25 = 268435457;

/**
 * The float32 FMA a * b + c of float32 values, rounded once. a * b is exact in double; d = p + c is
 * the exact sum rounded to double, and rounding d to float32 is the FMA's result unless d lies exactly
 * halfway between two float32 values while the exact sum does not (double rounding). Such a d has at
 * most 25 significant bits, which the split detects; then the sign of the exact error of p + c
 * decides (the idea of schedule/internal.ts's roundSumToFloat32). Over all 2^32 inputs of expf this
 * corrects 7 intermediate values (1 in u s + c4, 6 in s^2 u + s, all for tiny positive d), though
 * none of them changes an output.
 */
const fma32 = (a: number, b: number, c: number): number => {
  const p = a * b;
  const d = p + c;
  const t = d * SPLIT_25;
  // More than 25 significant bits: not a midpoint (the test comes first, as it is almost always true).
  if (t - (t - d) !== d) return fround(d);
  return roundShortSum(p, c, d);
};

/** fma32's rare branch: d = p + c rounded to double has at most 25 significant bits. */
const roundShortSum = (p: number, c: number, d: number): number => {
  const r = fround(d);
  if (r === d) return r; // d is a float32, so the exact sum rounds to it as well
  const bp = d - c;
  const err = c - (d - bp) + (p - bp); // TwoSum: p + c = d + err exactly
  if (err === 0) return r; // a true tie: both round it to even
  const other = 2 * d - r; // the float32 on d's other side, if d is a midpoint
  if (other === r || fround(other) !== other) return r; // not a midpoint after all (a subnormal d)
  return err > 0 ? max(r, other) : min(r, other);
};

/**
 * `Sleef_expf8_u10avx2` for one lane: exp(d) for a float32 d, bit for bit. q = rint(d / ln 2) (the
 * float32 product d R_LN2F, rounded to the nearest integer, ties to even), s = d - q ln 2 in two fused
 * steps, a degree-6 polynomial in s by fused Horner steps, 1 + (s^2 u + s) (fused), then u 2^q.
 * d < -104 gives +0, d > 100 gives +Infinity, NaN gives NaN (torch keeps the input's payload with the
 * quiet bit set; what a JavaScript engine keeps of it is its own affair).
 *
 * Every fused step gives the FMA's result on every input. A fused step a * b + c is the double
 * a * b + c (the product of two float32 is exact) rounded to float32, which is the FMA's single
 * rounding unless the double sum is a float32 midpoint that the exact sum is not. Counted over all
 * 2^32 inputs, that happens only in the steps u s + c4 and s^2 u + s, so those two take the checked
 * `fma32` and the others the plain form (checking all seven made exp twice as slow: 55 against 28 ns
 * per element, compiled). The exhaustive test (DDPM_HEAVY=1) compares every input against torch.
 *
 * @example
 * ```ts
 * sleefExpf(1)    // 2.7182817459106445, float32 e
 * sleefExpf(-104.5) // 0
 * ```
 * @internal
 */
export const sleefExpf = (d: number): number => {
  if (!(d >= -104)) return d !== d ? d : 0; // vandnot(d < -104): +0; NaN runs through unchanged
  if (d > 100) return Infinity; // vsel(100 < d, inf)
  const q = fround(d * R_LN2F) + ROUND_TO_INTEGER - ROUND_TO_INTEGER;
  // fmadd(q, -L2U, d): q L2U has at most 8 + 15 bits, exact in float32, so this is one float32 sum.
  let s = fround(d - q * L2UF);
  // The other fused steps are plain rounded double sums (see the note above): exact as FMAs on
  // every input, by count, except u s + c4 and s^2 u + s, which take the checked fma32.
  s = fround(q * -L2LF + s);
  let u = fround(C0 * s + C1);
  u = fround(u * s + C2);
  u = fround(u * s + C3);
  u = fma32(u, s, C4);
  u = fround(u * s + C5);
  u = fround(1 + fma32(fround(s * s), u, s));
  // vldexp2: u 2^(q >> 1) is exact (a normal float32 for every q here), so the two multiplies round
  // once, as u 2^q rounded to float32 (to a subnormal, or to Infinity above 2^128).
  return fround(u * (POW2[(q + 150) | 0] as number));
};

/**
 * `torch.exp(input)` for a contiguous float32 tensor, into `out` (which may be `input` itself):
 * every element through Sleef on 'avx2' and 'avx512', through `scalarExpf` (glibc's expf) on
 * 'default'. Returns `out`.
 *
 * @example
 * ```ts
 * torchExpInto(variance, variance, 'avx2', expf); // torch.exp(variance), in place
 * ```
 * @internal
 */
export const torchExpInto = (
  input: Float32Array,
  out: Float32Array,
  capability: CpuCapability,
  scalarExpf: (x: number) => number,
): Float32Array => {
  const n = input.length;
  if (capability === 'default') {
    for (let i = 0; i < n; i++) out[i] = scalarExpf(input[i] as number);
  } else {
    for (let i = 0; i < n; i++) out[i] = sleefExpf(input[i] as number);
  }
  return out;
};

// at::internal::GRAIN_SIZE: cpu_kernel_vec splits its range across threads only above this.
const GRAIN_SIZE = 32768;

/**
 * `torch.sigmoid(input)` for a contiguous float32 tensor, into `out` (which may be `input` itself),
 * with torch's per-element dispatch: vector lanes compute `1 / (exp(0 - x) + 1)` with Sleef's exp,
 * scalar lanes `1 / (1 + expf(-x))` with `scalarExpf`, each operation a float32 one. On 'avx2' the
 * first 16 floor(m / 16) elements of each chunk of m are vector lanes, on 'avx512' (unverified) 32
 * floor(m / 32); on 'default' none. `threads` is torch's intra-op thread count
 * (torch.get_num_threads(), 1 by default here): it decides the chunks when n > 32768. A 0-d tensor is
 * all scalar on every capability: pass 'default' for it. Returns `out`.
 *
 * @example
 * ```ts
 * torchSigmoidInto(linspace(-6, 6, 1000), betas, 'avx2', expf); // 992 vector lanes, 8 scalar
 * ```
 * @internal
 */
export const torchSigmoidInto = (
  input: Float32Array,
  out: Float32Array,
  capability: CpuCapability,
  scalarExpf: (x: number) => number,
  threads = 1,
): Float32Array => {
  const n = input.length;
  const step = capability === 'avx2' ? 16 : capability === 'avx512' ? 32 : 0;
  // at::parallel_for: min(threads, ceil(n / grain)) chunks of ceil(n / chunks), when n > grain.
  const chunks = threads > 1 && n > GRAIN_SIZE ? Math.min(threads, Math.ceil(n / GRAIN_SIZE)) : 1;
  const chunkSize = Math.ceil(n / chunks);
  for (let begin = 0; begin < n; begin += chunkSize) {
    const end = Math.min(n, begin + chunkSize);
    const vectorEnd = step === 0 ? begin : begin + (end - begin) - ((end - begin) % step);
    for (let i = begin; i < vectorEnd; i++) {
      // Vectorized<float>: (0 - x).exp() + 1, then reciprocal() = 1 / v: float32 operations.
      out[i] = 1 / fround(sleefExpf(0 - (input[i] as number)) + 1);
    }
    for (let i = vectorEnd; i < end; i++) {
      out[i] = 1 / fround(1 + scalarExpf(-(input[i] as number)));
    }
  }
  return out;
};
