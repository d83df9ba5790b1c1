import { DIGIT_HEIGHT, DIGIT_WIDTH, digitBitmap } from './digitFont.js';

/** The side of a glyph of {@link digitGlyphs}: 16 pixels. */
export const GLYPH_SIZE = 16;

/** One training image of the demo: a digit drawn at some offset, ink +1 on a background of -1. */
export interface Glyph {
  readonly digit: number;
  /** 16 x 16 values, row by row, in {-1, +1}. */
  readonly pixels: Float32Array;
}

// Each glyph pixel is a 2 x 2 block, so a digit covers 10 x 14 of the 16 x 16 image.
const SCALE = 2;

/**
 * The demo's finite dataset: every digit 0-9 drawn at twice the 5x7 font's size, one copy per
 * horizontal offset (default 2, 3 and 4 pixels from the left, 1 from the top), as 16 x 16 images with
 * values in {-1, +1} (the range diffusers' `clipSample` keeps). The arrays are fresh and frozen values
 * hold them; nothing writes them later.
 *
 * @example
 * ```ts
 * const glyphs = digitGlyphs();
 * glyphs.length;          // 30
 * glyphs[0]?.pixels[0];   // -1 (background)
 * ```
 */
export const digitGlyphs = (offsets: ReadonlyArray<number> = [2, 3, 4]): ReadonlyArray<Glyph> => {
  const glyphs: Glyph[] = [];
  for (let digit = 0; digit <= 9; digit++) {
    const bitmap = digitBitmap(digit) as ReadonlyArray<number>;
    for (const dx of offsets) {
      const pixels = new Float32Array(GLYPH_SIZE * GLYPH_SIZE).fill(-1);
      for (let y = 0; y < DIGIT_HEIGHT * SCALE; y++) {
        for (let x = 0; x < DIGIT_WIDTH * SCALE; x++) {
          const px = x + dx;
          const py = y + 1;
          if (px < 0 || px >= GLYPH_SIZE || py >= GLYPH_SIZE) continue;
          if (bitmap[Math.floor(y / SCALE) * DIGIT_WIDTH + Math.floor(x / SCALE)] === 1) pixels[py * GLYPH_SIZE + px] = 1;
        }
      }
      glyphs.push(Object.freeze({ digit, pixels }));
    }
  }
  return Object.freeze(glyphs);
};
