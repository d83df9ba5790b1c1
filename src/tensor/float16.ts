/**
 * IEEE 754 binary16 ("half", float16) values as their 16 bits, the way ONNX Runtime hands out the data of
 * an fp16 tensor (a `Uint16Array`): the exact float32 value of a half, and the half nearest a number.
 *
 * Every half is a float32 exactly (11 significant bits, exponents -24..15), so the first conversion is
 * exact; the second rounds to nearest, ties to even, as IEEE 754 (and `numpy.float16`, `torch.half`,
 * `Math.f16round`) do.
 *
 * @module
 */
import { SchedulerException, schedulerError } from '../errors.js';

// 2^(e - 25) for the biased exponents e = 1..30 of normal halves: (1024 + mantissa) * 2^(e - 25)
const NORMAL_SCALE: Float64Array = (() => {
  const scale = new Float64Array(32);
  for (let e = 1; e < 31; e++) scale[e] = 2 ** (e - 25);
  return scale;
})();
/** 2^-24: the least subnormal half, the unit of a subnormal's mantissa. */
const SUBNORMAL_UNIT = 2 ** -24;

/**
 * The value of the half whose bits are `bits` (the low 16 bits are read), exactly: ±0, subnormals,
 * normals, ±Infinity, and NaN for every NaN pattern (its payload is not kept). Throws a
 * `SchedulerException` (InvalidNumber 'bits') unless `bits` is an integer in [0, 65535].
 *
 * @example
 * ```ts
 * float16ToFloat32(0x3c00);  // 1
 * float16ToFloat32(0xc000);  // -2
 * float16ToFloat32(0x0001);  // 5.960464477539063e-8 (2^-24, the least subnormal)
 * float16ToFloat32(0x7bff);  // 65504 (the largest half)
 * ```
 */
export const float16ToFloat32 = (bits: number): number => {
  if (typeof bits !== 'number' || !Number.isInteger(bits) || bits < 0 || bits > 0xffff) {
    throw new SchedulerException(schedulerError('InvalidNumber', 'bits', bits, 'the bits of a half: an integer in [0, 65535]'));
  }
  return halfValue(bits);
};

/** {@link float16ToFloat32} on bits known to be 16-bit (a Uint16Array's), for the array loops. @internal */
export const halfValue = (bits: number): number => {
  const e = (bits >>> 10) & 0x1f;
  const m = bits & 0x3ff;
  const magnitude = e === 0 ? m * SUBNORMAL_UNIT : e === 31 ? (m === 0 ? Infinity : NaN) : (m + 1024) * (NORMAL_SCALE[e] as number);
  return bits & 0x8000 ? -magnitude : magnitude;
};

/** `q` rounded to the nearest integer, ties to the even one (q >= 0; the subtraction is exact). */
const roundHalfEven = (q: number): number => {
  const f = Math.floor(q);
  const d = q - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
};

/**
 * The bits of the half nearest `value` (any number, rounded once, directly: a float32 gives the same
 * half as its own value), ties to even: beyond the largest half (65504) by half an ulp or more gives
 * ±Infinity, below the least subnormal by half of it or less gives ±0, -0 keeps its sign, NaN gives
 * the quiet NaN 0x7e00. `float32ToFloat16(float16ToFloat32(h)) === h` for every h that is not a NaN.
 * Throws a `SchedulerException` (InvalidNumber 'value') when `value` is not a number.
 *
 * @example
 * ```ts
 * float32ToFloat16(1);         // 0x3c00
 * float32ToFloat16(1 / 3);     // 0x3555 (0.333251953125)
 * float32ToFloat16(65519);     // 0x7bff (65504)
 * float32ToFloat16(65520);     // 0x7c00 (Infinity: the tie goes to the even neighbour, 2^16)
 * ```
 */
export const float32ToFloat16 = (value: number): number => {
  if (typeof value !== 'number') throw new SchedulerException(schedulerError('InvalidNumber', 'value', value, 'a number'));
  return halfBits(value);
};

/** {@link float32ToFloat16} on a value known to be a number (a Float32Array's), for the array loops. @internal */
export const halfBits = (value: number): number => {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  // 65520 = 65504 + 16 (half an ulp of the top binade): from there on, the nearest is 2^16, beyond the range
  if (a >= 65520) return sign | 0x7c00;
  // below 2^-14 the halves are the multiples of 2^-24; a count of 1024 is the least normal, 0x0400, itself
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24);
  let e = Math.floor(Math.log2(a));
  // log2 may be off by one next to a power of two: settle e so that 2^e <= a < 2^(e+1)
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  // a / 2^e * 1024 is exact (a power-of-two scale) and lies in [1024, 2048)
  let significand = roundHalfEven((a / 2 ** e) * 1024);
  if (significand === 2048) {
    significand = 1024;
    e++;
  }
  return sign | ((e + 15) << 10) | (significand - 1024);
};
