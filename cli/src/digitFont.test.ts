import { DIGIT_HEIGHT, DIGIT_WIDTH, digitBitmap } from './digitFont.js';

describe('digitBitmap', () => {
  it('draws each digit as 7 rows of 5 zeros and ones', () => {
    for (let d = 0; d <= 9; d++) {
      const b = digitBitmap(d);
      expect(b).toHaveLength(DIGIT_WIDTH * DIGIT_HEIGHT);
      expect(b?.every((v) => v === 0 || v === 1)).toBe(true);
    }
  });

  it('draws a 1 as a centred stem with a foot three wide', () => {
    const b = digitBitmap(1) as ReadonlyArray<number>;
    expect(b.slice(0, 5)).toEqual([0, 0, 1, 0, 0]);
    expect(b.slice(30, 35)).toEqual([0, 1, 1, 1, 0]);
  });

  it('gives ten different digits', () => {
    const keys = new Set(Array.from({ length: 10 }, (_, d) => (digitBitmap(d) as ReadonlyArray<number>).join('')));
    expect(keys.size).toBe(10);
  });

  it('has no bitmap for anything but an integer 0-9', () => {
    expect(digitBitmap(10)).toBeUndefined();
    expect(digitBitmap(-1)).toBeUndefined();
    expect(digitBitmap(1.5)).toBeUndefined();
    expect(digitBitmap(NaN)).toBeUndefined();
  });
});
