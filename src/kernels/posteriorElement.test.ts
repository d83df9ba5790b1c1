import {
  CLIP_CLAMP,
  CLIP_NONE,
  CLIP_THRESHOLD,
  NOISE_LEARNED,
  NOISE_NONE,
  NOISE_RANGE,
  NOISE_SCALED,
  PREDICT_EPSILON,
  PREDICT_SAMPLE,
  PREDICT_VELOCITY,
  type PassScalars,
} from './types.js';
import { clippedX0, noiseStd, posteriorElement, predictedX0, roundingOf } from './posteriorElement.js';
import { EXP_GLIBC, EXP_SLEEF } from './torchMath.js';
import { expf } from './js/glibcFloat.js';
import { sleefExpf } from './js/sleefExpf.js';

const f = Math.fround;

const base: PassScalars = {
  float32: true, prediction: PREDICT_EPSILON, clipMode: CLIP_NONE, noise: NOISE_SCALED,
  a: f(0.6), b: f(0.8), c: 1, c0: f(0.25), ct: f(0.75), sd: f(0.1), minLog: f(-4), maxLog: f(-3), expKind: EXP_GLIBC,
};

describe('posteriorElement (the specification of one element of the step)', () => {
  it('step 2: x0 by eq. 15 for epsilon, the output itself for sample, a x - b v for v-prediction, each op rounded to float32', () => {
    const [x, m] = [f(0.3), f(-1.7)];
    expect(predictedX0(PREDICT_EPSILON, x, m, base.a, base.b, f)).toBe(f(f(x - f(base.b * m)) / base.a));
    expect(predictedX0(PREDICT_SAMPLE, x, m, base.a, base.b, f)).toBe(m);
    expect(predictedX0(PREDICT_VELOCITY, x, m, base.a, base.b, f)).toBe(f(f(base.a * x) - f(base.b * m)));
    // in double: no rounding inside
    expect(predictedX0(PREDICT_EPSILON, 0.3, -1.7, 0.6, 0.8, roundingOf(false))).toBe((0.3 - 0.8 * -1.7) / 0.6);
  });

  it('step 3: clamps like torch.clamp (NaN stays NaN, -0 stays -0) and thresholds by dividing by the threshold', () => {
    expect(clippedX0(CLIP_CLAMP, 5, 2, f)).toBe(2);
    expect(clippedX0(CLIP_CLAMP, -5, 2, f)).toBe(-2);
    expect(Object.is(clippedX0(CLIP_CLAMP, -0, 2, f), -0)).toBe(true);
    expect(clippedX0(CLIP_CLAMP, NaN, 2, f)).toBeNaN();
    expect(clippedX0(CLIP_THRESHOLD, 1, 3, f)).toBe(f(1 / 3));
    expect(clippedX0(CLIP_THRESHOLD, 7, 3, f)).toBe(1);
    expect(clippedX0(CLIP_NONE, 7, 3, f)).toBe(7);
    // a clamp to [-inf, inf] is the identity
    expect(clippedX0(CLIP_CLAMP, 3e38, Infinity, f)).toBe(3e38);
  });

  it('step 6: the scalar deviation, sqrt(max(v, 0)) for learned, exp of half the interpolated log-variance for learned_range', () => {
    expect(noiseStd({ ...base, noise: NOISE_SCALED }, 9, f)).toBe(base.sd);
    expect(noiseStd({ ...base, noise: NOISE_LEARNED }, 9, f)).toBe(3);
    expect(Object.is(noiseStd({ ...base, noise: NOISE_LEARNED }, -2, f), 0)).toBe(true);
    // v = 1: frac 1, the log-variance is maxLog; v = -1: minLog
    expect(noiseStd({ ...base, noise: NOISE_RANGE }, 1, f)).toBe(expf(f(0.5 * base.maxLog)));
    expect(noiseStd({ ...base, noise: NOISE_RANGE }, -1, f)).toBe(expf(f(0.5 * base.minLog)));
    // torch's AVX2 and AVX512 builds take Sleef's exp instead (the same value here, to the last bit or not)
    expect(noiseStd({ ...base, noise: NOISE_RANGE, expKind: EXP_SLEEF }, 1, f)).toBe(sleefExpf(f(0.5 * base.maxLog)));
    expect(Math.abs(expf(f(-1.5)) - f(Math.exp(-1.5)))).toBeLessThanOrEqual(2 ** -23);
  });

  it('steps 5-6: the posterior mean of eq. 7, plus sigma z only when the step adds noise', () => {
    const [x, m, z] = [f(0.3), f(-1.7), f(0.9)];
    const y = f(f(x - f(base.b * m)) / base.a);
    const mean = f(f(base.c0 * y) + f(base.ct * x));
    expect(posteriorElement(x, m, z, 0, base)).toEqual([y, f(mean + f(base.sd * z))]);
    expect(posteriorElement(x, m, z, 0, { ...base, noise: NOISE_NONE })).toEqual([y, mean]);
  });

  it('in double rounds once, at the store', () => {
    const s = { ...base, float32: false, a: 0.6, b: 0.8, c0: 0.25, ct: 0.75, sd: 0.1 };
    const y = (0.3 - 0.8 * -1.7) / 0.6;
    expect(posteriorElement(0.3, -1.7, 0.9, 0, s)).toEqual([f(y), f(0.25 * y + 0.75 * 0.3 + 0.1 * 0.9)]);
  });

  it('gives the documented example', () => {
    const s: PassScalars = {
      float32: true, prediction: PREDICT_SAMPLE, clipMode: CLIP_CLAMP, noise: NOISE_SCALED,
      a: 1, b: 0, c: 1, c0: 0.5, ct: 0.5, sd: f(0.1), minLog: 0, maxLog: 0, expKind: EXP_SLEEF,
    };
    expect(posteriorElement(f(0.2), 3, 1, 0, s)).toEqual([1, f(f(0.5 + f(0.5 * f(0.2))) + f(0.1))]);
  });
});
