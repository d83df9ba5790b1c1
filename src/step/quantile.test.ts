import { TORCH_FLAVORS, float32Of, float32Value, torchStep } from '../../test-utils/torchFixtures.js';
import { torchQuantileInPlace } from './quantile.js';

describe('torchQuantileInPlace', () => {
  describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))('against torch.quantile(row[None], q, dim=1) on torch 1.13 (fixtures/torch/%s/step.json)', (flavor) => {
    it.each(torchStep(flavor).quantiles.map((c) => [c.values.length, c.q, c] as const))('n = %p, q = %p: torch\'s float32 quantile bit for bit', (_n, q, c) => {
      const values = float32Of(c.values);
      // torch's AVX2 build fuses the lerp's multiply-add (one case here shows it), its default build does not
      expect(torchQuantileInPlace(values, 0, values.length, q, true, flavor === 'avx2')).toBe(float32Value(c.quantile));
    });
  });

  it('works on a sub-range and leaves the rest alone', () => {
    const values = Float32Array.from([100, 4, 1, 3, 2, -100]);
    expect(torchQuantileInPlace(values, 1, 4, 0.5, true)).toBe(2.5);
    expect([values[0], values[5]]).toEqual([100, -100]);
  });

  it('returns NaN when the range holds a NaN, as torch does', () => {
    expect(torchQuantileInPlace(Float32Array.from([1, NaN, 3]), 0, 3, 0.5, true)).toBeNaN();
  });

  it('handles many equal values and sorted or reversed input', () => {
    expect(torchQuantileInPlace(new Float32Array(1000).fill(7), 0, 1000, 0.995, true)).toBe(7);
    const up = Float32Array.from({ length: 101 }, (_, i) => i);
    expect(torchQuantileInPlace(up, 0, 101, 0.25, false)).toBe(25);
    const down = Float32Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(torchQuantileInPlace(down, 0, 101, 0.9, false)).toBe(90);
  });

  it('matches a sort-based reference on random rows in double mode', () => {
    let seed = 1;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 50; trial++) {
      const n = 1 + Math.floor(next() * 300);
      const row = Float32Array.from({ length: n }, () => next() * 10);
      const q = next();
      const sorted = Array.from(row).sort((a, b) => a - b);
      const rank = q * (n - 1);
      const lo = sorted[Math.floor(rank)] as number;
      const hi = sorted[Math.ceil(rank)] as number;
      const w = rank - Math.floor(rank);
      const expected = w < 0.5 ? lo + w * (hi - lo) : hi - (hi - lo) * (1 - w);
      expect(torchQuantileInPlace(row, 0, n, q, false)).toBe(expected);
    }
  });
});
