/** The training image closest to a sample and how far it is. */
export interface Nearest {
  /** Index into the dataset. */
  readonly index: number;
  /** Root-mean-square difference per pixel: |x - x_i| / sqrt(pixels). */
  readonly rms: number;
}

/**
 * The dataset point nearest to `sample` (Euclidean), with the root-mean-square difference per pixel,
 * which reads on the scale of the pixel values (here [-1, 1]). Reads `length` values of `sample` from
 * `offset`.
 *
 * @example
 * ```ts
 * nearestGlyph(new Float32Array([1, 1]), [new Float32Array([0, 0]), new Float32Array([1, 0])]);
 * // { index: 1, rms: 0.7071... }
 * ```
 */
export const nearestGlyph = (sample: ArrayLike<number>, dataset: ReadonlyArray<ArrayLike<number>>, offset = 0): Nearest => {
  let best = { index: -1, squared: Infinity };
  const d = (dataset[0] as ArrayLike<number>).length;
  for (let i = 0; i < dataset.length; i++) {
    const x = dataset[i] as ArrayLike<number>;
    let squared = 0;
    for (let k = 0; k < d; k++) {
      const diff = (sample[offset + k] as number) - (x[k] as number);
      squared += diff * diff;
    }
    if (squared < best.squared) best = { index: i, squared };
  }
  return Object.freeze({ index: best.index, rms: Math.sqrt(best.squared / d) });
};
