import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { randn, torchGenerator } from '../random/index.js';
import { concatChannels, stepFixture, tensorOf, type StepCase } from '../../test-utils/stepFixture.js';
import { maxUlpDistance32 } from '../../test-utils/float.js';
import { ddpmStep, type StepOutput } from './ddpmStep.js';
import { defaultStepOptions, type StepOptions } from './types.js';

const fx = stepFixture();
const table = Float32Array.from(fx.alphasCumprod);
const sample = tensorOf(fx.sample, fx.shape);
const noise = tensorOf(fx.noise, fx.shape);
const modelOutput = tensorOf(fx.modelOutput, fx.shape);

const optionsFor = (c: StepCase): StepOptions => ({
  ...defaultStepOptions,
  predictionType: c.predictionType,
  varianceType: c.varianceType,
  clipSample: c.clipMode === 'clip',
  thresholding: c.clipMode === 'threshold',
  sampleMaxValue: fx.sampleMaxValue,
  dynamicThresholdingRatio: fx.dynamicThresholdingRatio,
  clipSampleRange: fx.clipSampleRange,
});

const modelOutputFor = (c: StepCase) => {
  const base = c.predictionType === 'sample' ? fx.modelOutput.map((v) => Math.fround(v * fx.sampleScale)) : fx.modelOutput;
  if (c.varianceType === 'learned') return concatChannels(base, fx.learnedVariance, fx.shape);
  if (c.varianceType === 'learned_range') return concatChannels(base, fx.learnedRangeValue, fx.shape);
  return tensorOf(base, fx.shape);
};

// |actual - expected| / max(|expected|, FLOOR): float32 rounding, with a floor for values near 0
const FLOOR = 1e-6;
const relativeError = (actual: ArrayLike<number>, expected: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const d = Math.abs((actual[i] as number) - e) / Math.max(Math.abs(e), FLOOR);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
};

const run = (options: StepOptions, inputs: Parameters<typeof ddpmStep>[2]): StepOutput => {
  const r = ddpmStep(table, options, inputs);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const leftTag = (r: E.Either<{ _tag: string; message: string }, unknown>): string =>
  E.isLeft(r) ? `${r.left._tag}: ${r.left.message}` : 'right';

describe('ddpmStep against the numpy transcription of diffusers (fixtures/step.json)', () => {
  // torch's float32 ops one by one, each IEEE-exact in the kernel too, and the transcription's logs and
  // exps correctly rounded like Math.log / Math.exp rounded to float32: equal bit for bit
  it.each(fx.cases.map((c) => [`${c.predictionType} ${c.varianceType} ${c.clipMode} t=${c.timestep}`, c] as const))(
    '%s: prevSample and predOriginalSample equal the transcription bit for bit',
    (_name, c) => {
      const out = run(optionsFor(c), {
        modelOutput: modelOutputFor(c),
        sample,
        noise,
        timestep: c.timestep,
        prevTimestep: c.timestep - 1,
      });
      expect(maxUlpDistance32(out.prevSample.data, c.prevSample)).toBe(0);
      expect(maxUlpDistance32(out.predOriginalSample.data, c.predOriginalSample)).toBe(0);
    },
  );

  it('covers 3 prediction types x 6 variance types x 3 clip modes x 4 timesteps', () => {
    expect(fx.cases).toHaveLength(216);
  });
});

describe('ddpmStep noise', () => {
  const options = { ...defaultStepOptions, clipSample: false };

  it('with a generator equals the step with randn(sample.shape) drawn from the same generator, and returns the advanced generator', () => {
    const g = torchGenerator(1234);
    const [drawn, next] = randn(g, fx.shape);
    const withGenerator = run(options, { modelOutput, sample, timestep: 500, prevTimestep: 499, generator: g });
    const withNoise = run(options, { modelOutput, sample, timestep: 500, prevTimestep: 499, noise: drawn });
    expect(Array.from(withGenerator.prevSample.data)).toEqual(Array.from(withNoise.prevSample.data));
    const [after] = randn(withGenerator.generator!, [5]);
    const [expected] = randn(next, [5]);
    expect(Array.from(after.data)).toEqual(Array.from(expected.data));
  });

  it('returns the same generator, undrawn, when every timestep is 0', () => {
    const g = torchGenerator(7);
    const out = run(options, { modelOutput, sample, timestep: 0, prevTimestep: -1, generator: g });
    expect(out.generator).toBe(g);
  });

  it('draws once for the whole batch when any per-sample timestep is > 0, and item 0 at t = 0 gets no noise', () => {
    const g = torchGenerator(99);
    const [drawn, next] = randn(g, fx.shape);
    const mixed = run(options, { modelOutput, sample, timestep: [0, 300], prevTimestep: [-1, 299], generator: g });
    const explicit = run(options, { modelOutput, sample, timestep: [0, 300], prevTimestep: [-1, 299], noise: drawn });
    const noiseless = run(options, { modelOutput, sample, timestep: 0, prevTimestep: -1 });
    expect(Array.from(mixed.prevSample.data)).toEqual(Array.from(explicit.prevSample.data));
    const item = mixed.prevSample.data.length / 2;
    expect(Array.from(mixed.prevSample.data.subarray(0, item))).toEqual(Array.from(noiseless.prevSample.data.subarray(0, item)));
    const [after] = randn(mixed.generator!, [3]);
    expect(Array.from(after.data)).toEqual(Array.from(randn(next, [3])[0].data));
  });

  it('ignores non-finite noise at timestep 0, as diffusers never reads it there', () => {
    const bad = tensorOf(new Array(fx.noise.length).fill(NaN), fx.shape);
    const out = run(options, { modelOutput, sample, timestep: 0, prevTimestep: -1, noise: bad });
    expect(out.prevSample.data.every(Number.isFinite)).toBe(true);
  });
});

describe('ddpmStep per-sample timesteps', () => {
  it('give each batch item the result of a single-timestep step at its own timestep', () => {
    const options = { ...defaultStepOptions };
    const both = run(options, { modelOutput, sample, noise, timestep: [999, 10], prevTimestep: [989, 9] });
    const first = run(options, { modelOutput, sample, noise, timestep: 999, prevTimestep: 989 });
    const second = run(options, { modelOutput, sample, noise, timestep: 10, prevTimestep: 9 });
    const item = sample.data.length / 2;
    expect(Array.from(both.prevSample.data.subarray(0, item))).toEqual(Array.from(first.prevSample.data.subarray(0, item)));
    expect(Array.from(both.prevSample.data.subarray(item))).toEqual(Array.from(second.prevSample.data.subarray(item)));
  });
});

describe('ddpmStep precision', () => {
  it("with a Float64Array table differs from the float32 step by float32-rounding amounts only", () => {
    const f64 = Float64Array.from(table);
    const a = run(defaultStepOptions, { modelOutput, sample, noise, timestep: 1, prevTimestep: 0 });
    const r = ddpmStep(f64, defaultStepOptions, { modelOutput, sample, noise, timestep: 1, prevTimestep: 0 });
    if (E.isLeft(r)) throw new Error(r.left.message);
    const err = relativeError(r.right.prevSample.data, a.prevSample.data);
    expect(err).toBeGreaterThan(0);
    expect(err).toBeLessThan(1e-3);
  });
});

describe('ddpmStep errors', () => {
  const base = { modelOutput, sample, noise, timestep: 10, prevTimestep: 9 };
  it('rejects mismatched shapes', () => {
    const r = ddpmStep(table, defaultStepOptions, { ...base, modelOutput: tensorOf(new Float32Array(48), [2, 3, 8]) });
    expect(leftTag(r)).toMatch(/^InvalidTensor: modelOutput.shape: received \[2, 3, 8\]; allowed: \[2, 3, 4, 4\]/);
  });
  it('rejects rank < 2', () => {
    const r = ddpmStep(table, defaultStepOptions, { ...base, sample: tensorOf([1, 2, 3], [3]) });
    expect(leftTag(r)).toMatch(/^InvalidTensor: sample.shape: received \[3\]; allowed: rank >= 2/);
  });
  it('rejects a Float64Array ndarray and a plain array', () => {
    const f64 = ndarray(Float64Array.from(fx.sample), fx.shape);
    expect(leftTag(ddpmStep(table, defaultStepOptions, { ...base, sample: f64 as never }))).toMatch(
      /^InvalidTensor: sample: received Float64Array\(96\); allowed: an ndarray over a Float32Array/,
    );
    expect(leftTag(ddpmStep(table, defaultStepOptions, { ...base, sample: [1, 2] as never }))).toMatch(/^InvalidTensor: sample/);
  });
  it.each([
    [1000, 999, /^InvalidTimestep: timestep: received 1000; allowed: an integer in \[0, 999\]/],
    [-1, -2, /^InvalidTimestep: timestep: received -1/],
    [10.5, 9, /^InvalidTimestep: timestep: received 10.5/],
    [10, 10, /^InvalidTimestep: prevTimestep: received 10; allowed: an integer in \[-1, 10\)/],
    [10, -2, /^InvalidTimestep: prevTimestep: received -2/],
  ])('rejects timestep %p with prevTimestep %p', (timestep, prevTimestep, pattern) => {
    expect(leftTag(ddpmStep(table, defaultStepOptions, { ...base, timestep, prevTimestep }))).toMatch(pattern);
  });
  it('rejects per-sample timesteps of the wrong length', () => {
    const r = ddpmStep(table, defaultStepOptions, { ...base, timestep: [10, 10, 10], prevTimestep: [9, 9, 9] });
    expect(leftTag(r)).toMatch(/^InvalidTimestep: timestep.length: received 3; allowed: the batch size 2/);
  });
  it('names the offending per-sample entry', () => {
    const r = ddpmStep(table, defaultStepOptions, { ...base, timestep: [10, 5], prevTimestep: [9, 7] });
    expect(leftTag(r)).toMatch(/^InvalidTimestep: prevTimestep\[1\]: received 7/);
  });
  it('rejects learned variance without the extra channels', () => {
    const r = ddpmStep(table, { ...defaultStepOptions, varianceType: 'learned_range' }, base);
    expect(leftTag(r)).toMatch(/^InvalidTensor: modelOutput.shape: received \[2, 3, 4, 4\]; allowed: \[2, 6, 4, 4\]/);
  });
  it('rejects noise of the wrong shape, and a missing noise source when a timestep is > 0', () => {
    expect(leftTag(ddpmStep(table, defaultStepOptions, { ...base, noise: tensorOf(new Float32Array(96), [2, 48]) }))).toMatch(
      /^InvalidTensor: noise.shape: received \[2, 48\]/,
    );
    const { noise: _unused, ...noNoise } = base;
    expect(leftTag(ddpmStep(table, defaultStepOptions, noNoise))).toMatch(/^InvalidTensor: noise: received undefined/);
  });
  it('rejects epsilon prediction at a zero-SNR timestep and names v_prediction as the remedy; v_prediction and sample work there', () => {
    const zeroSnr = Float32Array.from(table);
    zeroSnr[999] = 0;
    const r = ddpmStep(zeroSnr, defaultStepOptions, { ...base, timestep: 999, prevTimestep: 998 });
    expect(leftTag(r)).toMatch(/^ZeroTerminalSnr: timestep: received 999;.*v_prediction/);
    for (const predictionType of ['v_prediction', 'sample'] as const) {
      const ok = ddpmStep(zeroSnr, { ...defaultStepOptions, predictionType }, { ...base, timestep: 999, prevTimestep: 998 });
      expect(E.isRight(ok) && ok.right.prevSample.data.every(Number.isFinite)).toBe(true);
    }
  });
});
