/**
 * Float32 arithmetic as torch's CPU kernels do it. Private to the schedule layer (not re-exported).
 *
 * JavaScript computes in double; `Math.fround` after each +, -, *, / or sqrt of float32 operands gives
 * the correctly rounded float32 result (double has more than 2 * 24 + 2 bits), so float32 op sequences
 * are reproduced exactly by rounding after every operation.
 *
 * @module
 * @internal
 */
import { roundSumToFloat32 } from '../kernels/float32.js';
import type { Table } from './types.js';

/**
 * torch.linspace(start, end, n, dtype=float32) on the CPU, as torch 2.x computes it: a step rounded to
 * float32, the first half `start + step * i` counted up from start and the second half
 * `end - step * (n - 1 - i)` counted down from end. `fused`: each value is one fused multiply-add
 * rounded once (the AVX2 and AVX512 builds, where the compiler contracts the expression); otherwise
 * the product and the sum are rounded separately (the default build, which has no FMA).
 */
export const linspaceFloat32 = (start: number, end: number, n: number, fused: boolean): Float32Array => {
  const out = new Float32Array(n);
  const s = Math.fround(start);
  const e = Math.fround(end);
  if (n === 1) {
    out[0] = s;
    return out;
  }
  const step = Math.fround(Math.fround(e - s) / Math.fround(n - 1));
  const half = Math.floor(n / 2);
  // the index is converted to float32 by the kernel before the multiply; the product of two float32s is exact in double
  if (fused) {
    for (let i = 0; i < half; i++) out[i] = roundSumToFloat32(s, step * Math.fround(i));
    for (let i = half; i < n; i++) out[i] = roundSumToFloat32(e, -(step * Math.fround(n - 1 - i)));
  } else {
    for (let i = 0; i < half; i++) out[i] = s + Math.fround(step * Math.fround(i));
    for (let i = half; i < n; i++) out[i] = e - Math.fround(step * Math.fround(n - 1 - i));
  }
  return out;
};

/** The same two-ended linspace in double (our float64 precision). */
export const linspaceFloat64 = (start: number, end: number, n: number): Float64Array => {
  const out = new Float64Array(n);
  if (n === 1) {
    out[0] = start;
    return out;
  }
  const step = (end - start) / (n - 1);
  const half = Math.floor(n / 2);
  for (let i = 0; i < half; i++) out[i] = start + step * i;
  for (let i = half; i < n; i++) out[i] = end - step * (n - 1 - i);
  return out;
};

/** An empty table of the same type and length as `like`. */
export const emptyLike = (like: Table, length = like.length): Table =>
  like instanceof Float32Array ? new Float32Array(length) : new Float64Array(length);

/**
 * The running product of `alphas`. The accumulator is a double for both table types, as torch's CPU
 * cumprod accumulates float32 in double; each partial product is stored in the table's own type.
 */
export const cumulativeProduct = (alphas: Table): Table => {
  const out = emptyLike(alphas);
  let acc = 1;
  for (let i = 0; i < alphas.length; i++) {
    acc *= alphas[i] as number;
    out[i] = acc;
  }
  return out;
};

/** `1 - x` for every entry, in the table's own precision (the Float32Array store rounds it). */
export const oneMinus = (values: Table): Table => {
  const out = emptyLike(values);
  for (let i = 0; i < values.length; i++) out[i] = 1 - (values[i] as number);
  return out;
};
