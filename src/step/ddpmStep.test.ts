import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { randn, torchGenerator, type TorchGenerator } from '../random/index.js';
import { tensorOf } from '../../test-utils/stepFixture.js';
import {
  TORCH_FLAVORS,
  bitDifference,
  float32Of,
  generatorsOf,
  modelOutputOfCase,
  stepCaseName,
  stepOptionsOfCase,
  tensorOfFixture,
  torchStep,
  type TorchStepCase,
} from '../../test-utils/torchFixtures.js';
import { ddpmStep, type StepInputs, type StepOutput } from './ddpmStep.js';
import type { Generators } from './noiseSource.js';
import { defaultStepOptions, type StepOptions } from './types.js';

// the inputs every case shares are the same in both captures (numpy draws); the default one's are used
// by the tests that are not comparisons with torch
const fx = torchStep('default');
const table = float32Of(fx.schedules.linear?.alphasCumprod ?? []);
const sample = tensorOfFixture(fx.sample, fx.shape);
const noise = tensorOfFixture(fx.noise, fx.shape);
const modelOutput = tensorOfFixture(fx.modelOutput, fx.shape);

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

const run = <G extends Generators = TorchGenerator>(options: StepOptions, inputs: StepInputs<G>, alphasCumprod: Float32Array | Float64Array = table): StepOutput<G> => {
  const r = ddpmStep(alphasCumprod, options, inputs);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const leftTag = (r: E.Either<{ _tag: string; message: string }, unknown>): string =>
  E.isLeft(r) ? `${r.left._tag}: ${r.left.message}` : 'right';

describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("ddpmStep against diffusers' DDPMScheduler.step on torch 1.13 (fixtures/torch/%s/step.json)", (flavor) => {
  const torch = torchStep(flavor);
  const torchSample = tensorOfFixture(torch.sample, torch.shape);
  const tables = new Map(Object.entries(torch.schedules).map(([key, s]) => [key, float32Of(s.alphasCumprod)] as const));
  const tableOf = (c: TorchStepCase): Float32Array => {
    const t = tables.get(c.schedule);
    if (t === undefined) throw new Error(`no schedule ${c.schedule}`);
    return t;
  };
  const inputsOf = (c: TorchStepCase) => ({
    modelOutput: modelOutputOfCase(torch, c),
    sample: torchSample,
    timestep: c.timestep,
    prevTimestep: c.prevTimestep,
  });
  // the epsilon cases where alphasCumprod is 0 are refused by the library (docs/parity.md), tested below
  const stepped = torch.cases.filter((c) => c.deviation !== 'zero_snr_epsilon');

  // torch's own alphasCumprod (its betas come from torch 1.13's linspace) and torch's own noise: what
  // is left is the step, every float32 op in diffusers' order
  it.each(stepped.map((c) => [stepCaseName(c), c] as const))("%s: with torch's noise, prevSample and predOriginalSample equal torch's bit for bit", (_name, c) => {
    const noiseGiven = c.noise === null ? {} : { noise: tensorOfFixture(torch.noises[c.noise] ?? [], torch.shape) };
    const out = run(stepOptionsOfCase(c, flavor), { ...inputsOf(c), ...noiseGiven }, tableOf(c));
    expect(bitDifference(out.predOriginalSample.data, c.predOriginalSample)).toBeNull();
    if (c.deviation === 'fixed_large_log') {
      // diffusers takes the square root of a log-variance there (NaN); the library uses sqrt(beta_t)
      expect(c.finite).toBe(false);
      expect(out.prevSample.data.every(Number.isFinite)).toBe(true);
    } else {
      expect(bitDifference(out.prevSample.data, c.prevSample)).toBeNull();
    }
  });

  // and the noise drawn as diffusers draws it: randn(shape) from one generator, or randn((1, ...)) per item
  it.each(stepped.filter((c) => c.noiseDrawn && c.deviation === null).map((c) => [stepCaseName(c), c] as const))(
    '%s: drawing from its generator, prevSample equals torch\'s bit for bit',
    (_name, c) => {
      const out = run(stepOptionsOfCase(c, flavor), { ...inputsOf(c), generator: generatorsOf(c.generator, flavor) }, tableOf(c));
      expect(bitDifference(out.prevSample.data, c.prevSample)).toBeNull();
    },
  );

  it.each(torch.cases.filter((c) => c.deviation === 'zero_snr_epsilon').map((c) => [stepCaseName(c), c] as const))(
    '%s: refused as ZeroTerminalSnr (diffusers divides by sqrt(alphasCumprod) = 0)',
    (_name, c) => {
      const r = ddpmStep(tableOf(c), stepOptionsOfCase(c, flavor), { ...inputsOf(c), noise });
      expect(E.isLeft(r) && r.left._tag).toBe('ZeroTerminalSnr');
    },
  );

  it('covers 3 prediction types x 6 variance types x 5 clip modes x 4 timesteps, per-item generators, other schedules and set schedules', () => {
    expect(torch.cases.filter((c) => c.group === 'grid')).toHaveLength(360);
    expect(torch.cases.filter((c) => c.group === 'perItem')).toHaveLength(36);
    expect(torch.cases.filter((c) => c.group === 'schedules')).toHaveLength(120);
    expect(torch.cases.filter((c) => c.group === 'scheduled')).toHaveLength(60);
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
    const f64 = ndarray(Float64Array.from(float32Of(fx.sample)), [...fx.shape]);
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
