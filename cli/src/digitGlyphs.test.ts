import { digitBitmap } from './digitFont.js';
import { digitGlyphs, GLYPH_SIZE } from './digitGlyphs.js';

describe('digitGlyphs', () => {
  const glyphs = digitGlyphs();

  it('draws every digit at three offsets: 30 images of 16 x 16 values in {-1, +1}', () => {
    expect(glyphs).toHaveLength(30);
    expect(glyphs.map((g) => g.digit)).toEqual(Array.from({ length: 30 }, (_, i) => Math.floor(i / 3)));
    for (const g of glyphs) {
      expect(g.pixels).toHaveLength(GLYPH_SIZE * GLYPH_SIZE);
      expect(g.pixels.every((v) => v === 1 || v === -1)).toBe(true);
    }
  });

  it('inks four pixels for every pixel of the 5x7 font', () => {
    for (const g of glyphs) {
      const ones = (digitBitmap(g.digit) as ReadonlyArray<number>).filter((v) => v === 1).length;
      expect(g.pixels.filter((v) => v === 1).length).toBe(4 * ones);
    }
  });

  it('shifts the next copy of a digit one pixel to the right', () => {
    const [a, b] = [glyphs[6]?.pixels as Float32Array, glyphs[7]?.pixels as Float32Array];
    for (let y = 0; y < GLYPH_SIZE; y++) {
      for (let x = 1; x < GLYPH_SIZE; x++) expect(b[y * GLYPH_SIZE + x]).toBe(a[y * GLYPH_SIZE + x - 1]);
    }
  });

  it('leaves the top row and the left two columns blank at offset 2', () => {
    const g = glyphs[0]?.pixels as Float32Array;
    for (let x = 0; x < GLYPH_SIZE; x++) expect(g[x]).toBe(-1);
    for (let y = 0; y < GLYPH_SIZE; y++) expect([g[y * GLYPH_SIZE], g[y * GLYPH_SIZE + 1]]).toEqual([-1, -1]);
  });

  it('takes other offsets, cutting what falls outside', () => {
    expect(digitGlyphs([0])).toHaveLength(10);
    const cut = digitGlyphs([10])[8]?.pixels as Float32Array;
    expect(cut.filter((v) => v === 1).length).toBeLessThan(4 * 17);
  });
});
