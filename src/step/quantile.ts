import { fma32 } from '../kernels/float32.js';
import { roundingOf } from '../kernels/posteriorElement.js';

/**
 * Moves the k-th smallest of `a[lo..hi]` to index k (k absolute), with the smaller values before it and
 * the larger after: quickselect with a median-of-three pivot, expected O(n). NaN-free input only.
 */
const selectInPlace = (a: Float32Array, lo: number, hi: number, k: number): void => {
  let left = lo;
  let right = hi;
  while (right > left) {
    const mid = (left + right) >>> 1;
    // median of three into a[mid], which becomes the pivot
    if ((a[mid] as number) < (a[left] as number)) swap(a, mid, left);
    if ((a[right] as number) < (a[left] as number)) swap(a, right, left);
    if ((a[right] as number) < (a[mid] as number)) swap(a, right, mid);
    const pivot = a[mid] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // now a[left..j] <= pivot <= a[i..right], and a[j+1..i-1] == pivot
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
};

const swap = (a: Float32Array, i: number, j: number): void => {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
};

/**
 * The q-quantile of `values[start .. start + n)` as `torch.quantile` computes it: rank = q (n - 1),
 * linear interpolation between the neighbouring order statistics with torch.lerp's two-sided formula,
 * NaN when any value is NaN. With `float32` true the rank, weight and interpolation are rounded to
 * float32 as torch does for a float32 tensor (q itself becomes a float32 tensor there). `fused`: the
 * lerp's multiply-add is one fused operation, rounded once, as torch's AVX2 (and AVX512) builds
 * compile it; torch's default build rounds the product and the sum separately.
 *
 * Uses selection instead of a full sort, so it is O(n); it reorders that range of `values` (scratch).
 *
 * @internal
 * @example
 * ```ts
 * torchQuantileInPlace(new Float32Array([3, 1, 2, 4]), 0, 4, 0.5, true);  // 2.5
 * ```
 */
export const torchQuantileInPlace = (
  values: Float32Array,
  start: number,
  n: number,
  q: number,
  float32: boolean,
  fused = false,
): number => {
  const r = roundingOf(float32);
  const end = start + n;
  for (let i = start; i < end; i++) {
    // torch moves the rank to the last index when a row holds NaN, so the quantile is NaN
    if (Number.isNaN(values[i] as number)) return NaN;
  }
  const rank = r(r(q) * (n - 1));
  const below = Math.floor(rank);
  const weight = r(rank - below);
  const k = start + below;
  selectInPlace(values, start, end - 1, k);
  const low = values[k] as number;
  let high = low;
  if (rank > below) {
    // the next order statistic is the smallest of what selection left above k
    high = values[k + 1] as number;
    for (let i = k + 2; i < end; i++) if ((values[i] as number) < high) high = values[i] as number;
  }
  // torch.lerp: from the nearer end, for accuracy at both ends of the weight range
  const span = r(high - low);
  if (float32 && fused) return Math.abs(weight) < 0.5 ? fma32(weight, span, low) : fma32(-span, r(1 - weight), high);
  return Math.abs(weight) < 0.5 ? r(low + r(weight * span)) : r(high - r(span * r(1 - weight)));
};
