import { sinCos, uniformLog } from './sincos.js';

// Bound once: under jest every global Math.* lookup costs ~800 ns, which the 2^24 sweeps would feel.
const { abs, cos, fround, log, max, PI, sin, sqrt } = Math;
const TWO_POW_24 = 16777216;

describe('uniformLog', () => {
  it('gives the logarithm of powers of two, of 1 and of the smallest uniform', () => {
    expect(Object.is(uniformLog(1), 0)).toBe(true);
    expect(uniformLog(0.5)).toBe(fround(-Math.LN2));
    expect(uniformLog(0.75)).toBe(fround(log(0.75)));
    expect(uniformLog(2 ** -24)).toBe(fround(-24 * Math.LN2));
  });

  it('equals Math.fround(Math.log(u1)) for all 2^24 values u1 = i 2^-24 that Box-Muller can take', () => {
    let mismatches = 0;
    for (let i = 1; i <= TWO_POW_24; i++) {
      const u1 = i / TWO_POW_24;
      if (uniformLog(u1) !== fround(log(u1))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe('sinCos', () => {
  it('gives sine and cosine of the quadrant angles and of pi/6', () => {
    const out = new Float64Array(2);
    sinCos(0, out);
    expect(Array.from(out)).toEqual([0, 1]);
    sinCos(PI / 6, out);
    expect(out[0]).toBeCloseTo(0.5, 15);
    expect(out[1]).toBeCloseTo(sqrt(3) / 2, 15);
    for (const [x, s, c] of [[PI / 2, 1, 0], [PI, 0, -1], [1.5 * PI, -1, 0], [2 * PI, 0, 1]]) {
      sinCos(x as number, out);
      expect(out[0]).toBeCloseTo(s as number, 15);
      expect(out[1]).toBeCloseTo(c as number, 15);
    }
  });

  it('rounds to the float32 of Math.sin and Math.cos for all 2^24 angles Box-Muller can produce', () => {
    const out = new Float64Array(2);
    let mismatches = 0;
    for (let k = 0; k < TWO_POW_24; k++) {
      // The kernel's angle: float32(2 pi * u) for the 24-bit uniform u = k * 2^-24.
      const x = fround(2 * PI * (k / TWO_POW_24));
      sinCos(x, out);
      if (fround(out[0] as number) !== fround(sin(x))) mismatches++;
      if (fround(out[1] as number) !== fround(cos(x))) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('stays within 2 double ulp of Math.sin and Math.cos on [0, 2 pi]', () => {
    const out = new Float64Array(2);
    let worst = 0;
    for (let i = 0; i <= 100000; i++) {
      const x = (2 * PI * i) / 100000;
      sinCos(x, out);
      // Measured against the larger of |f(x)| and 2^-20, so that zeros of sin and cos do not blow up the ratio.
      worst = max(
        worst,
        abs((out[0] as number) - sin(x)) / max(abs(sin(x)), 2 ** -20),
        abs((out[1] as number) - cos(x)) / max(abs(cos(x)), 2 ** -20),
      );
    }
    expect(worst).toBeLessThanOrEqual(2 * Number.EPSILON);
  });
});
