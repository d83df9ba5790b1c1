import type { Tensor } from './tensor.js';
import { tensor } from './view.js';

/**
 * A new contiguous, zero-filled {@link Tensor} of `shape` (C order, offset 0).
 *
 * @example
 * ```ts
 * const t = allocate([2, 3, 4, 4]);
 * t.data.length;  // 96
 * ```
 */
export const allocate = (shape: ReadonlyArray<number>): Tensor => {
  let size = 1;
  for (const n of shape) size *= n;
  return tensor(new Float32Array(size), shape);
};
