import ndarray from 'ndarray';
import { allocate } from '../tensor/index.js';
import { float32Of, torchStep } from '../../test-utils/torchFixtures.js';
import { coefficientsOf } from './posteriorCoefficients.js';
import { isCoefficientList, planOf, runPosterior as runPass } from './posteriorPass.js';
import { defaultStepOptions, type PosteriorCoefficients, type StepOptions } from './types.js';
import type { Tensor } from '../tensor/index.js';

// The pass over tensors whose batch items are contiguous, on the active backend.
const runPosterior = (
  prevSample: Tensor, predOriginalSample: Tensor, prediction: Tensor, variance: Tensor | null, sample: Tensor, noise: Tensor | null,
  k: PosteriorCoefficients | PosteriorCoefficients[], options: StepOptions,
): void => {
  const first = Array.isArray(k) ? k[0] : k;
  runPass({ prevSample, predOriginalSample, prediction, variance, sample, noise }, k, planOf(options, first?.precision !== 'float64'));
};

// torch's default linear table (the values the pass is checked on here come from the scalar loop below)
const table = float32Of(torchStep('default').schedules.linear?.alphasCumprod ?? []);

const f = Math.fround;

// diffusers' formulas as a plain scalar loop: in double for a Float64Array table, and for a Float32Array
// table with every torch op rounded to float32 in diffusers' order (eager torch does not fuse)
const reference = (x: number, m: number, z: number, t: number, options: StepOptions, clipAt: number, float32: boolean) => {
  const k = coefficientsOf(float32 ? table : Float64Array.from(table), t, t - 1, options.varianceType);
  const r = float32 ? f : (v: number) => v;
  const [a, b] = [k.sqrtAlphaProdT, k.sqrtBetaProdT];
  let x0 =
    options.predictionType === 'epsilon'
      ? r(r(x - r(b * m)) / a)
      : options.predictionType === 'sample'
        ? m
        : r(r(a * x) - r(b * m));
  if (options.clipSample) x0 = Math.min(Math.max(x0, -clipAt), clipAt);
  const mean = r(r(k.predOriginalSampleCoeff * x0) + r(k.currentSampleCoeff * x));
  return [x0, t > 0 ? r(mean + r(k.noiseScale * z)) : mean] as const;
};

const random = (n: number, seed: number, scale: number): Float32Array => {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647 - 0.5) * scale;
  });
};

describe('runPosterior (the batch driver of the posterior pass)', () => {
  const shape = [2, 4, 8];
  const n = 64;
  const x = ndarray(random(n, 1, 4), shape);
  const m = ndarray(random(n, 2, 4), shape);
  const z = ndarray(random(n, 3, 2), shape);

  const cases = [
    ['epsilon', true],
    ['epsilon', false],
    ['sample', true],
    ['v_prediction', false],
  ] as const;

  it.each(cases)('%s (clip %p), float32 table: equals the scalar loop with every torch op rounded to float32', (predictionType, clipSample) => {
    const options = { ...defaultStepOptions, predictionType, clipSample, varianceType: 'fixed_large' as const };
    const prev = allocate(shape);
    const x0 = allocate(shape);
    runPosterior(prev, x0, m, null, x, z, coefficientsOf(table, 600, 599, 'fixed_large'), options);
    for (let i = 0; i < n; i++) {
      const [ex0, eprev] = reference(x.data[i] as number, m.data[i] as number, z.data[i] as number, 600, options, 1, true);
      expect(x0.data[i]).toBe(ex0);
      expect(prev.data[i]).toBe(eprev);
    }
  });

  it.each(cases)('%s (clip %p), float64 table: equals the double scalar loop, rounded once to float32', (predictionType, clipSample) => {
    const options = { ...defaultStepOptions, predictionType, clipSample, varianceType: 'fixed_large' as const };
    const prev = allocate(shape);
    const x0 = allocate(shape);
    runPosterior(prev, x0, m, null, x, z, coefficientsOf(Float64Array.from(table), 600, 599, 'fixed_large'), options);
    for (let i = 0; i < n; i++) {
      const [ex0, eprev] = reference(x.data[i] as number, m.data[i] as number, z.data[i] as number, 600, options, 1, false);
      expect(x0.data[i]).toBe(f(ex0));
      expect(prev.data[i]).toBe(f(eprev));
    }
  });

  it('float32 and float64 tables differ by float32 rounding only (within 4 ulp of the larger term)', () => {
    const options = { ...defaultStepOptions, clipSample: false, varianceType: 'fixed_large' as const };
    const out32 = { prev: allocate(shape), x0: allocate(shape) };
    const out64 = { prev: allocate(shape), x0: allocate(shape) };
    runPosterior(out32.prev, out32.x0, m, null, x, z, coefficientsOf(table, 600, 599, 'fixed_large'), options);
    runPosterior(out64.prev, out64.x0, m, null, x, z, coefficientsOf(Float64Array.from(table), 600, 599, 'fixed_large'), options);
    for (let i = 0; i < n; i++) {
      // x0 = (x - b m) / a: the rounding of x and b m, relative to their size, scaled up by 1 / a
      const scale = (Math.abs(x.data[i] as number) + Math.abs(m.data[i] as number)) / Math.sqrt(table[600] as number);
      expect(Math.abs((out32.x0.data[i] as number) - (out64.x0.data[i] as number))).toBeLessThanOrEqual(4 * 2 ** -24 * scale);
    }
  });

  // raw bits, so that -0 counts; NaN stays NaN (its bits are the engine's choice)
  const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer), (u, i) => (Number.isNaN(a[i]) ? 'NaN' : u));
  const clipped = (t: Float32Array | Float64Array, values: Float32Array, range: number, predictionType: 'sample' | 'epsilon' = 'sample') => {
    const shape = [1, values.length];
    const options = { ...defaultStepOptions, predictionType, clipSampleRange: range };
    const x0 = allocate(shape);
    const zero = ndarray(new Float32Array(values.length), shape);
    runPosterior(allocate(shape), x0, ndarray(values, shape), null, zero, null, coefficientsOf(t, 0, -1, 'fixed_small'), options);
    return x0.data;
  };

  it.each([
    ['float32', table],
    ['float64', Float64Array.from(table)],
  ] as const)('clamps exactly like Math.min(Math.max(x, -c), c) with a %s table: random data, tiny values and -0', (_name, t) => {
    // the branchless clamp of float32 tables runs on these blocks (no huge, infinite or NaN values)
    const values = Float32Array.from([...random(4090, 7, 6), 1e-30, -1e-30, 2 ** -140, -(2 ** -149), -0, 0]);
    const expected = Float32Array.from(values, (v) => Math.min(Math.max(v, -1.5), 1.5));
    const x0 = clipped(t, values, 1.5);
    expect(bits(x0)).toEqual(bits(expected));
    expect(bits(x0).slice(-6)).toEqual([...bits(Float32Array.of(1e-30, -1e-30, 2 ** -140, -(2 ** -149))), 0x80000000, 0]);
  });

  it.each([
    ['float32', table],
    ['float64', Float64Array.from(table)],
  ] as const)('clamps exactly with a %s table where |x0| exceeds 2^29 c, is infinite or NaN', (_name, t) => {
    const values = Float32Array.from([...random(300, 9, 6), 2 ** 40, -(2 ** 40), 3.4e38, -3.4e38, Infinity, -Infinity, NaN, 1e-30, -0]);
    const expected = Float32Array.from(values, (v) => Math.min(Math.max(v, -0.75), 0.75));
    expect(bits(clipped(t, values, 0.75))).toEqual(bits(expected));
    // one huge value decides only its own block of 256: the others still clamp exactly
    const mixed = Float32Array.from(random(1024, 11, 6));
    mixed[700] = 2 ** 60;
    expect(bits(clipped(t, mixed, 1))).toEqual(bits(Float32Array.from(mixed, (v) => Math.min(Math.max(v, -1), 1))));
  });

  it('thresholds by dividing by the threshold, as diffusers does (not by multiplying with its reciprocal)', () => {
    // 1 / 3 rounds, so x * fround(1 / 3) and x / 3 differ for some x; the quantile of |x0| here is 3
    const values = Float32Array.from({ length: 64 }, (_, i) => (i === 0 ? 3 : f((i - 32) / 11)));
    const zero = ndarray(new Float32Array(64), [1, 64]);
    const options = {
      ...defaultStepOptions,
      predictionType: 'sample' as const,
      thresholding: true,
      sampleMaxValue: 10,
      dynamicThresholdingRatio: 1,
    };
    const x0 = allocate([1, 64]);
    runPosterior(allocate([1, 64]), x0, ndarray(values, [1, 64]), null, zero, null, coefficientsOf(table, 0, -1, 'fixed_small'), options);
    const divided = Array.from(values, (v) => f(Math.min(Math.max(v, -3), 3) / 3));
    const multiplied = Array.from(values, (v) => f(Math.min(Math.max(v, -3), 3) * f(1 / 3)));
    expect(Array.from(x0.data)).toEqual(divided);
    expect(divided).not.toEqual(multiplied);
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

  describe('a batch of many small items', () => {
    const [items, width] = [300, 8];
    const total = items * width;
    const xs = random(total, 21, 6);
    const ms = random(total, 22, 6);
    const zs = random(total, 23, 2);
    // a few values past 2^29 c, infinite or NaN, so that some blocks take the exact clamp
    ms[37] = 2 ** 40;
    ms[1500] = -Infinity;
    ms[2001] = NaN;
    const row = (data: Float32Array, item: number) => ndarray(data.slice(item * width, (item + 1) * width), [1, width]);
    const variants = [
      ['epsilon', true, false, 600],
      ['v_prediction', false, false, 600],
      ['sample', true, false, 0],
      ['epsilon', false, true, 600],
      ['v_prediction', true, false, 0],
    ] as const;

    it.each(variants)('%s (clip %p, thresholding %p, t = %p): one flat pass gives the bits of each row stepped alone', (predictionType, clipSample, thresholding, t) => {
      const options = { ...defaultStepOptions, predictionType, clipSample, thresholding, sampleMaxValue: 2, varianceType: 'fixed_large' as const };
      const k = coefficientsOf(table, t, t - 1, 'fixed_large');
      const shape = [items, width];
      const prev = allocate(shape);
      const x0 = allocate(shape);
      runPosterior(prev, x0, ndarray(ms, shape), null, ndarray(xs, shape), ndarray(zs, shape), k, options);
      for (let item = 0; item < items; item++) {
        const one = { prev: allocate([1, width]), x0: allocate([1, width]) };
        runPosterior(one.prev, one.x0, row(ms, item), null, row(xs, item), row(zs, item), k, options);
        expect(bits(prev.data.slice(item * width, (item + 1) * width))).toEqual(bits(one.prev.data));
        expect(bits(x0.data.slice(item * width, (item + 1) * width))).toEqual(bits(one.x0.data));
      }
    });

    it('a list of per-item coefficients, a batch with gaps between items and in-place outputs give the same bits as one set', () => {
      const options = { ...defaultStepOptions, varianceType: 'fixed_large' as const };
      const k = coefficientsOf(table, 600, 599, 'fixed_large');
      const shape = [items, width];
      const expected = { prev: allocate(shape), x0: allocate(shape) };
      runPosterior(expected.prev, expected.x0, ndarray(ms, shape), null, ndarray(xs, shape), ndarray(zs, shape), k, options);
      const listed = { prev: allocate(shape), x0: allocate(shape) };
      const list = Array.from({ length: items }, () => k);
      runPosterior(listed.prev, listed.x0, ndarray(ms, shape), null, ndarray(xs, shape), ndarray(zs, shape), list, options);
      expect(bits(listed.prev.data)).toEqual(bits(expected.prev.data));
      expect(bits(listed.x0.data)).toEqual(bits(expected.x0.data));
      // the same values with a gap after each item: each item is contiguous, the batch is not
      const strided = (data: Float32Array) => {
        const t = ndarray(new Float32Array(items * (width + 3)), [items, width], [width + 3, 1], 2);
        for (let i = 0; i < items; i++) for (let j = 0; j < width; j++) t.set(i, j, data[i * width + j] as number);
        return t;
      };
      const out = { prev: strided(new Float32Array(total)), x0: strided(new Float32Array(total)) };
      expect(out.prev.offset).toBe(2);
      runPosterior(out.prev, out.x0, strided(ms), null, strided(xs), strided(zs), k, options);
      for (let i = 0; i < items; i++) {
        for (let j = 0; j < width; j++) {
          expect(Object.is(out.prev.get(i, j), expected.prev.data[i * width + j])).toBe(true);
        }
      }
      // outputs that are the inputs themselves, in every pairing
      const names = ['m', 'x', 'z'] as const;
      for (const prevName of names) {
        for (const x0Name of names.filter((name) => name !== prevName)) {
          const inputs = { m: ndarray(ms.slice(), shape), x: ndarray(xs.slice(), shape), z: ndarray(zs.slice(), shape) };
          runPosterior(inputs[prevName], inputs[x0Name], inputs.m, null, inputs.x, inputs.z, k, options);
          expect(bits(inputs[prevName].data)).toEqual(bits(expected.prev.data));
          expect(bits(inputs[x0Name].data)).toEqual(bits(expected.x0.data));
        }
      }
    });
  });

  it('tells a per-item list of coefficients from a single set', () => {
    const k = coefficientsOf(table, 5, 4, 'fixed_small');
    expect(isCoefficientList([k, k])).toBe(true);
    expect(isCoefficientList(k)).toBe(false);
  });
});
