import { DIGIT_HEIGHT, DIGIT_WIDTH, digitBitmap } from './digitFont.js';

/** An RGBA image: `width * height * 4` bytes, row by row. */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** What {@link imageGrid} lays out. */
export interface GridSpec {
  /** Square grayscale images of `size * size` values; -1 is drawn dark and +1 light (clamped beyond). */
  readonly images: ReadonlyArray<ArrayLike<number>>;
  /** The side of each image in values. */
  readonly size: number;
  readonly columns: number;
  /** Screen pixels per image value. Default 4. */
  readonly scale?: number;
  /** Screen pixels between images. Default 2. */
  readonly gap?: number;
  /** Numbers written above the columns (digits only; other characters leave a space). */
  readonly columnLabels?: ReadonlyArray<string>;
  /** Numbers written left of the rows. */
  readonly rowLabels?: ReadonlyArray<string>;
}

const BACKGROUND = [34, 38, 46] as const;
const LABEL = [230, 200, 120] as const;
const LABEL_SCALE = 2;
const LABEL_ADVANCE = (DIGIT_WIDTH + 1) * LABEL_SCALE;

const fill = (r: Raster, x0: number, y0: number, w: number, h: number, rgb: readonly [number, number, number]): void => {
  for (let y = Math.max(0, y0); y < Math.min(r.height, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(r.width, x0 + w); x++) {
      const i = (y * r.width + x) * 4;
      r.data[i] = rgb[0];
      r.data[i + 1] = rgb[1];
      r.data[i + 2] = rgb[2];
      r.data[i + 3] = 255;
    }
  }
};

const text = (r: Raster, s: string, x0: number, y0: number): void => {
  [...s].forEach((c, n) => {
    const bitmap = digitBitmap(c >= '0' && c <= '9' ? Number(c) : NaN);
    if (bitmap === undefined) return;
    for (let y = 0; y < DIGIT_HEIGHT; y++) {
      for (let x = 0; x < DIGIT_WIDTH; x++) {
        if (bitmap[y * DIGIT_WIDTH + x] === 1) fill(r, x0 + n * LABEL_ADVANCE + x * LABEL_SCALE, y0 + y * LABEL_SCALE, LABEL_SCALE, LABEL_SCALE, LABEL);
      }
    }
  });
};

/**
 * Lays square grayscale images out in a grid and draws them into a fresh RGBA raster, each value a
 * `scale` x `scale` block, with optional digit labels above the columns and left of the rows (drawn
 * with the demo's 5x7 font). Values map linearly from [-1, 1] to dark and light gray. Pure: the images
 * are only read.
 *
 * @example
 * ```ts
 * const r = imageGrid({ images: [new Float32Array(4).fill(1)], size: 2, columns: 1, scale: 1, gap: 0 });
 * [r.width, r.height, r.data[0]]; // [2, 2, 255]
 * ```
 */
export const imageGrid = (spec: GridSpec): Raster => {
  const scale = spec.scale ?? 4;
  const gap = spec.gap ?? 2;
  const rows = Math.ceil(spec.images.length / spec.columns);
  const cell = spec.size * scale + gap;
  const top = spec.columnLabels === undefined ? gap : DIGIT_HEIGHT * LABEL_SCALE + 2 * gap;
  const longestRowLabel = Math.max(0, ...(spec.rowLabels ?? []).map((s) => s.length));
  const left = longestRowLabel === 0 ? gap : longestRowLabel * LABEL_ADVANCE + 2 * gap;
  const width = left + spec.columns * cell;
  const height = top + rows * cell;
  const raster: Raster = { width, height, data: new Uint8Array(width * height * 4) };
  fill(raster, 0, 0, width, height, BACKGROUND);
  spec.columnLabels?.forEach((label, c) => {
    const labelWidth = label.length * LABEL_ADVANCE - LABEL_SCALE;
    text(raster, label, left + c * cell + Math.floor((spec.size * scale - labelWidth) / 2), gap);
  });
  spec.rowLabels?.forEach((label, r) => text(raster, label, gap, top + r * cell + Math.floor((spec.size * scale - DIGIT_HEIGHT * LABEL_SCALE) / 2)));
  spec.images.forEach((image, n) => {
    const x0 = left + (n % spec.columns) * cell;
    const y0 = top + Math.floor(n / spec.columns) * cell;
    for (let y = 0; y < spec.size; y++) {
      for (let x = 0; x < spec.size; x++) {
        const v = Math.min(1, Math.max(-1, image[y * spec.size + x] as number));
        const gray = Math.round(((v + 1) / 2) * 255);
        fill(raster, x0 + x * scale, y0 + y * scale, scale, scale, [gray, gray, gray]);
      }
    }
  });
  return raster;
};
