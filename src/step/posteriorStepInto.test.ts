import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { allocate, type Tensor } from '../tensor/index.js';
import { concatChannels, tensorOf } from '../../test-utils/stepFixture.js';
import { float32Of, tensorOfFixture, torchStep } from '../../test-utils/torchFixtures.js';
import { coefficientsOf } from './posteriorCoefficients.js';
import { posteriorStep } from './posteriorStep.js';
import { posteriorStepInto } from './posteriorStepInto.js';
import { defaultStepOptions, type PosteriorOutput } from './types.js';

// inputs and a table from the torch step fixture (its numbers are checked in ddpmStep.test.ts)
const fx = torchStep('default');
const shape = [...fx.shape];
const table = float32Of(fx.schedules.linear?.alphasCumprod ?? []);
const learnedVariance = float32Of(fx.learnedVariance);
const copy = (t: Tensor): Tensor => tensorOf(t.data, t.shape);
const sample = tensorOfFixture(fx.sample, fx.shape);
const modelOutput = tensorOfFixture(fx.modelOutput, fx.shape);
const noise = tensorOfFixture(fx.noise, fx.shape);
const k = coefficientsOf(table, 487, 486, 'fixed_small');

const pure = (options = defaultStepOptions, inputs = { modelOutput, sample, noise }): PosteriorOutput => {
  const r = posteriorStep(inputs, k, options);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

describe('posteriorStepInto', () => {
  it('writes the same values as posteriorStep into the given outputs and returns them', () => {
    const out = { prevSample: allocate(shape), predOriginalSample: allocate(shape) };
    const r = posteriorStepInto(out, { modelOutput, sample, noise }, k, defaultStepOptions);
    expect(E.isRight(r) && r.right).toBe(out);
    const expected = pure();
    expect(Array.from(out.prevSample.data)).toEqual(Array.from(expected.prevSample.data));
    expect(Array.from(out.predOriginalSample.data)).toEqual(Array.from(expected.predOriginalSample.data));
  });

  it.each([
    ['prevSample = sample, predOriginalSample = modelOutput', 'sample', 'modelOutput'],
    ['prevSample = noise, predOriginalSample = sample', 'noise', 'sample'],
    ['prevSample = modelOutput, predOriginalSample = noise', 'modelOutput', 'noise'],
  ] as const)('allows outputs that are the very same views as inputs (%s)', (_name, prevName, x0Name) => {
    for (const thresholding of [false, true]) {
      const options = { ...defaultStepOptions, thresholding, sampleMaxValue: 2 };
      const inputs = { modelOutput: copy(modelOutput), sample: copy(sample), noise: copy(noise) };
      const out = { prevSample: inputs[prevName], predOriginalSample: inputs[x0Name] };
      posteriorStepInto(out, inputs, k, options);
      const expected = pure(options);
      expect(Array.from(out.prevSample.data)).toEqual(Array.from(expected.prevSample.data));
      expect(Array.from(out.predOriginalSample.data)).toEqual(Array.from(expected.predOriginalSample.data));
    }
  });

  it('gives the same results for non-contiguous (transposed) inputs and outputs', () => {
    const swapped = (t: Tensor): Tensor => {
      // the same values stored with the last two axes swapped, viewed back in the original order
      const [b, c, h, w] = t.shape as [number, number, number, number];
      const store = ndarray(new Float32Array(t.data.length), [b, c, w, h]);
      const view = store.transpose(0, 1, 3, 2);
      for (let i = 0; i < b; i++)
        for (let j = 0; j < c; j++)
          for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) view.set(i, j, y, x, t.get(i, j, y, x));
      return view;
    };
    const options = { ...defaultStepOptions, thresholding: true, sampleMaxValue: 2 };
    const out = { prevSample: swapped(allocate(shape)), predOriginalSample: swapped(allocate(shape)) };
    const r = posteriorStepInto(out, { modelOutput: swapped(modelOutput), sample: swapped(sample), noise: swapped(noise) }, k, options);
    expect(E.isRight(r)).toBe(true);
    const expected = pure(options);
    const flat = (t: Tensor) => Array.from({ length: 96 }, (_, i) => t.get(Math.floor(i / 48), Math.floor(i / 16) % 3, Math.floor(i / 4) % 4, i % 4));
    expect(flat(out.prevSample)).toEqual(Array.from(expected.prevSample.data));
    expect(flat(out.predOriginalSample)).toEqual(Array.from(expected.predOriginalSample.data));
  });

  it('reads the variance half of a learned model output through a view', () => {
    const options = { ...defaultStepOptions, varianceType: 'learned' as const };
    const doubled = concatChannels(modelOutput.data, learnedVariance, shape);
    const out = { prevSample: allocate(shape), predOriginalSample: allocate(shape) };
    const kl = coefficientsOf(table, 487, 486, 'learned');
    expect(E.isRight(posteriorStepInto(out, { modelOutput: doubled, sample, noise }, kl, options))).toBe(true);
    const mean = posteriorStepInto(
      { prevSample: allocate(shape), predOriginalSample: allocate(shape) },
      { modelOutput, sample },
      coefficientsOf(table, 0, -1, 'fixed_small'),
      defaultStepOptions,
    );
    expect(E.isRight(mean)).toBe(true);
    const i = 17;
    const x0 = out.predOriginalSample.data[i] as number;
    // torch's float32 ops in diffusers' order: the mean's two products and sum, then + sqrt(v) * noise
    const f = Math.fround;
    const posteriorMean = f(f(kl.predOriginalSampleCoeff * x0) + f(kl.currentSampleCoeff * (sample.data[i] as number)));
    const expected = posteriorMean + f(f(Math.sqrt(learnedVariance[i] as number)) * (noise.data[i] as number));
    expect(out.prevSample.data[i]).toBe(f(expected));
  });

  it('rejects outputs of the wrong shape or type, and coefficient lists of the wrong length', () => {
    const bad = { prevSample: allocate([2, 3, 4]), predOriginalSample: allocate(shape) };
    const r1 = posteriorStepInto(bad, { modelOutput, sample, noise }, k, defaultStepOptions);
    expect(E.isLeft(r1) && r1.left.message).toMatch(/^out.prevSample.shape: received \[2, 3, 4\]/);
    const f64 = { prevSample: allocate(shape), predOriginalSample: ndarray(new Float64Array(96), shape) as never };
    const r2 = posteriorStepInto(f64, { modelOutput, sample, noise }, k, defaultStepOptions);
    expect(E.isLeft(r2) && r2.left.message).toMatch(/^out.predOriginalSample: received Float64Array\(96\)/);
    const r3 = posteriorStep({ modelOutput, sample, noise }, [k, k, k], defaultStepOptions);
    expect(E.isLeft(r3) && r3.left.message).toMatch(/^coefficients: received "3 sets"; allowed: one set, or one per batch item \(2\)/);
  });
});
