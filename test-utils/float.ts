import { createHash } from 'node:crypto';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Maps a float32 to an integer that is monotone in the float's value, so that ulp distances are differences. */
const orderedBits = (x: number): number => {
  f32[0] = x;
  const bits = u32[0] as number;
  return bits & 0x80000000 ? -(bits & 0x7fffffff) : bits;
};

/**
 * The number of float32 values between `a` and `b` after rounding both to float32 (0 when equal,
 * Infinity when either is NaN).
 */
export const ulpDistance32 = (a: number, b: number): number => {
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  return Math.abs(orderedBits(a) - orderedBits(b));
};

/** The largest float32 ulp distance between two equally long sequences. */
export const maxUlpDistance32 = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  if (a.length !== b.length) throw new Error(`length ${a.length} !== ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, ulpDistance32(a[i] as number, b[i] as number));
  return worst;
};

/** The largest relative error |a - b| / max(|b|, floor) between two equally long sequences. */
export const maxRelativeError = (a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-30): number => {
  if (a.length !== b.length) throw new Error(`length ${a.length} !== ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const e = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(y), floor);
    worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
  }
  return worst;
};

/**
 * The first index where two float32 arrays differ in their bits (any NaN equals any NaN: its payload is
 * the engine's choice), with both values, or null when they are identical. A plain loop: comparing
 * arrays of thousands of values with a deep-equality matcher costs most of a test's time.
 *
 * @example
 * ```ts
 * firstBitDifference(Float32Array.of(0, -0), Float32Array.of(0, 0)) // { index: 1, a: -0, b: 0 }
 * ```
 */
export const firstBitDifference = (
  a: Float32Array,
  b: Float32Array,
): { readonly index: number; readonly a: number | undefined; readonly b: number | undefined } | null => {
  const n = Math.max(a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < n; i++) {
    if (ua[i] === ub[i] && i < a.length && i < b.length) continue;
    if (Number.isNaN(a[i]) && Number.isNaN(b[i])) continue;
    return { index: i, a: a[i], b: b[i] };
  }
  return null;
};

/**
 * The fixtures' hash of float32 outputs: SHA-256 of their little-endian bytes, every NaN written as
 * 0x7fc00000 first (JavaScript need not keep NaN payloads). Rewrites the NaNs of `out` in place.
 */
export const sha256CanonicalNaN = (out: Float32Array): string => {
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < out.length; i++) if (out[i] !== out[i]) bits[i] = 0x7fc00000;
  return createHash('sha256').update(new Uint8Array(out.buffer, out.byteOffset, out.byteLength)).digest('hex');
};
