import { sinCos } from './sincos.js';

describe('sinCos', () => {
  it('gives sine and cosine of the quadrant angles and of pi/6', () => {
    const out = new Float64Array(2);
    sinCos(0, out);
    expect(Array.from(out)).toEqual([0, 1]);
    sinCos(Math.PI / 6, out);
    expect(out[0]).toBeCloseTo(0.5, 15);
    expect(out[1]).toBeCloseTo(Math.sqrt(3) / 2, 15);
    for (const [x, s, c] of [[Math.PI / 2, 1, 0], [Math.PI, 0, -1], [1.5 * Math.PI, -1, 0], [2 * Math.PI, 0, 1]]) {
      sinCos(x as number, out);
      expect(out[0]).toBeCloseTo(s as number, 15);
      expect(out[1]).toBeCloseTo(c as number, 15);
    }
  });

  it('rounds to the float32 of Math.sin and Math.cos for the angles Box-Muller can produce', () => {
    // All 2^24 angles pass (checked on compiled code: under jest that takes half a minute); here
    // every 61st one, and every one within 2048 of the quadrant boundaries 0, pi/2, pi, 3 pi/2, 2 pi
    // (k = q * 2^22), where the reduction matters most.
    const out = new Float64Array(2);
    let mismatches = 0;
    const nearBoundary = (k: number): boolean => {
      const offset = k % (1 << 22);
      return offset < 2048 || offset > (1 << 22) - 2048;
    };
    for (let k = 0; k < 1 << 24; k += nearBoundary(k) ? 1 : 61) {
      // The kernel's angle: float32(2 pi * u) for the 24-bit uniform u = k * 2^-24.
      const x = Math.fround(2 * Math.PI * (k / 16777216));
      sinCos(x, out);
      if (Math.fround(out[0] as number) !== Math.fround(Math.sin(x))) mismatches++;
      if (Math.fround(out[1] as number) !== Math.fround(Math.cos(x))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('stays within 2 double ulp of Math.sin and Math.cos on [0, 2 pi]', () => {
    const out = new Float64Array(2);
    let worst = 0;
    for (let i = 0; i <= 100000; i++) {
      const x = (2 * Math.PI * i) / 100000;
      sinCos(x, out);
      // Measured against the larger of |f(x)| and 2^-20, so that zeros of sin and cos do not blow up the ratio.
      worst = Math.max(
        worst,
        Math.abs((out[0] as number) - Math.sin(x)) / Math.max(Math.abs(Math.sin(x)), 2 ** -20),
        Math.abs((out[1] as number) - Math.cos(x)) / Math.max(Math.abs(Math.cos(x)), 2 ** -20),
      );
    }
    expect(worst).toBeLessThanOrEqual(2 * Number.EPSILON);
  });
});
