import { nearestGlyph } from './nearestGlyph.js';

describe('nearestGlyph', () => {
  const data = [Float32Array.from([0, 0]), Float32Array.from([1, 0]), Float32Array.from([3, 3])];

  it('finds the closest point and its RMS distance per value', () => {
    expect(nearestGlyph([1, 1], data)).toEqual({ index: 1, rms: Math.sqrt(1 / 2) });
    expect(nearestGlyph([3, 3], data)).toEqual({ index: 2, rms: 0 });
  });

  it('reads the sample from an offset', () => {
    expect(nearestGlyph([9, 9, 0, 0.5], data, 2)).toEqual({ index: 0, rms: Math.sqrt(0.25 / 2) });
  });

  it('keeps the first of equally near points', () => {
    expect(nearestGlyph([0.5, 0], data).index).toBe(0);
  });
});
