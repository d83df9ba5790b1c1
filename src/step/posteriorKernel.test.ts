import ndarray from 'ndarray';
import { allocate } from '../tensor/index.js';
import { stepFixture } from '../../test-utils/stepFixture.js';
import { coefficientsOf } from './posteriorCoefficients.js';
import { isCoefficientList, runPosterior } from './posteriorKernel.js';
import { defaultStepOptions, type StepOptions } from './types.js';

const fx = stepFixture();
const table = Float32Array.from(fx.alphasCumprod);

// a simple float64 scalar loop of diffusers' formulas, to compare the fused kernel against
const reference = (x: number, m: number, z: number, t: number, options: StepOptions, clipAt: number) => {
  const k = coefficientsOf(table, t, t - 1, options.varianceType);
  let x0 =
    options.predictionType === 'epsilon'
      ? (x - k.sqrtBetaProdT * m) / k.sqrtAlphaProdT
      : options.predictionType === 'sample'
        ? m
        : k.sqrtAlphaProdT * x - k.sqrtBetaProdT * m;
  if (options.clipSample) x0 = Math.min(Math.max(x0, -clipAt), clipAt);
  const mean = k.predOriginalSampleCoeff * x0 + k.currentSampleCoeff * x;
  return [x0, t > 0 ? mean + k.noiseScale * z : mean] as const;
};

const random = (n: number, seed: number, scale: number): Float32Array => {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647 - 0.5) * scale;
  });
};

describe('runPosterior', () => {
  const shape = [2, 4, 8];
  const n = 64;
  const x = ndarray(random(n, 1, 4), shape);
  const m = ndarray(random(n, 2, 4), shape);
  const z = ndarray(random(n, 3, 2), shape);

  it.each([
    ['epsilon', true],
    ['epsilon', false],
    ['sample', true],
    ['v_prediction', false],
  ] as const)('%s (clip %p) equals a float64 scalar loop of the same formulas, rounded to float32', (predictionType, clipSample) => {
    const options = { ...defaultStepOptions, predictionType, clipSample, varianceType: 'fixed_large' as const };
    const prev = allocate(shape);
    const x0 = allocate(shape);
    runPosterior(prev, x0, m, null, x, z, coefficientsOf(table, 600, 599, 'fixed_large'), options);
    for (let i = 0; i < n; i++) {
      const [ex0, eprev] = reference(x.data[i] as number, m.data[i] as number, z.data[i] as number, 600, options, 1);
      expect(x0.data[i]).toBe(Math.fround(ex0));
      expect(Math.abs((prev.data[i] as number) - eprev)).toBeLessThanOrEqual(Math.abs(eprev) * 2 ** -23);
    }
  });

  it('clamps exactly like Math.min(Math.max(x, -c), c) on random data', () => {
    const big = ndarray(random(4096, 7, 6), [1, 4096]);
    const zero = ndarray(new Float32Array(4096), [1, 4096]);
    const options = { ...defaultStepOptions, predictionType: 'sample' as const, clipSampleRange: 1.5 };
    const x0 = allocate([1, 4096]);
    runPosterior(allocate([1, 4096]), x0, big, null, zero, null, coefficientsOf(table, 0, -1, 'fixed_small'), options);
    const expected = Array.from(big.data, (v) => Math.min(Math.max(v, -1.5), 1.5));
    expect(Array.from(x0.data)).toEqual(expected);
  });

  it('thresholds with the threshold clamped to sampleMaxValue when that is below 1 (torch.clamp order)', () => {
    const values = ndarray(Float32Array.from([4, -3, 2, 0.25]), [1, 4]);
    const zero = ndarray(new Float32Array(4), [1, 4]);
    const options = {
      ...defaultStepOptions,
      predictionType: 'sample' as const,
      thresholding: true,
      sampleMaxValue: 0.5,
      dynamicThresholdingRatio: 1,
    };
    const x0 = allocate([1, 4]);
    runPosterior(allocate([1, 4]), x0, values, null, zero, null, coefficientsOf(table, 0, -1, 'fixed_small'), options);
    expect(Array.from(x0.data)).toEqual([1, -1, 1, 0.5]);
  });

  it('thresholds each batch item with its own quantile', () => {
    const values = ndarray(Float32Array.from([4, -2, 1, 0, 0.75, -0.5, 0.5, 0]), [2, 4]);
    const zero = ndarray(new Float32Array(8), [2, 4]);
    const options = {
      ...defaultStepOptions,
      predictionType: 'sample' as const,
      thresholding: true,
      sampleMaxValue: 10,
      dynamicThresholdingRatio: 1,
    };
    const x0 = allocate([2, 4]);
    runPosterior(allocate([2, 4]), x0, values, null, zero, null, coefficientsOf(table, 0, -1, 'fixed_small'), options);
    // item 0: s = 4, so x0 / 4; item 1: the max |x0| is 0.75, s is clamped up to 1: values unchanged
    expect(Array.from(x0.data)).toEqual([1, -0.5, 0.25, 0, 0.75, -0.5, 0.5, 0]);
  });

  it('tells a per-item list of coefficients from a single set', () => {
    const k = coefficientsOf(table, 5, 4, 'fixed_small');
    expect(isCoefficientList([k, k])).toBe(true);
    expect(isCoefficientList(k)).toBe(false);
  });
});
