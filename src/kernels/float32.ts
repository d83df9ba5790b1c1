/**
 * Float32 arithmetic that one IEEE double operation does not give: a sum rounded once where one addend
 * is an exact double product, hence the float32 fused multiply-add that torch's AVX2 and AVX512 builds
 * compute where the compiler contracted `a * b + c`. Internal.
 *
 * @module
 * @internal
 */

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper.
const { abs, fround, max, min } = Math;

const scratch32 = new Float32Array(1);
const scratchBits = new Int32Array(scratch32.buffer);

/** The float32 next to `x` (a float32) in the direction of `towards`. */
const nextFloat32 = (x: number, towards: number): number => {
  if (x === towards) return x;
  if (x === 0) return towards > 0 ? 2 ** -149 : -(2 ** -149);
  scratch32[0] = x;
  scratchBits[0] = (scratchBits[0] as number) + ((x < towards) === (x > 0) ? 1 : -1);
  return scratch32[0] as number;
};

/**
 * `a + p` rounded once to float32, where `a` is a float32 and `p` a double (an exact product of two
 * float32s). Rounding the double sum to float32 could round twice; the exact error term decides the
 * one case where that matters (a double sum that lies exactly halfway between two float32s).
 *
 * @example
 * ```ts
 * roundSumToFloat32(1, 2 ** -24 * (1 + 2 ** -30)) // 1 + 2^-23: the exact sum lies above the midpoint
 * ```
 * @internal
 */
export const roundSumToFloat32 = (a: number, p: number): number => {
  const d = a + p;
  const r = fround(d);
  if (r === d) return r;
  const bb = d - a;
  const err = a - (d - bb) + (p - bb);
  if (err === 0) return r;
  const q = nextFloat32(r, d);
  if (abs(d - r) !== abs(q - d)) return r;
  return err > 0 ? max(r, q) : min(r, q);
};


/**
 * The float32 fused multiply-add `a * b + c` of float32 values, rounded once (the product of two
 * float32 values is exact in double).
 *
 * @example
 * ```ts
 * fma32(Math.fround(0.1), Math.fround(3), Math.fround(-0.3)) // one rounding, not two
 * ```
 * @internal
 */
export const fma32 = (a: number, b: number, c: number): number => roundSumToFloat32(c, a * b);
