import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { absSum, deterministicTensor, dummyModel, unwrap } from '../../test-utils/diffusersTest.js';
import { randn, torchGenerator, type TorchGenerator } from '../random/index.js';
import { addNoise } from './addNoise.js';
import { denoise } from './denoise.js';
import { createScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';
import { step } from './step.js';

// diffusers' own DDPMScheduler test loops (tests/schedulers/test_scheduler_ddpm.py): every training
// timestep from 999 down to 0, the deterministic sample, the model x * t / (t + 1), seed 0.
const fullLoop = (predictionType: 'epsilon' | 'v_prediction'): number => {
  const s = unwrap(createScheduler({ predictionType }));
  const model = dummyModel();
  let x = deterministicTensor();
  let g: TorchGenerator = torchGenerator(0);
  for (let t = 999; t >= 0; t--) {
    const r = unwrap(step(s, { modelOutput: model(x, t), timestep: t, sample: x, generator: g }));
    x = r.prevSample;
    g = r.generator as TorchGenerator;
  }
  return absSum(x);
};

describe('step through the scheduler: diffusers test loops', () => {
  it('epsilon over all 1000 timesteps gives sum |x| = 258.9606 and mean 0.3372, as diffusers asserts', () => {
    const sum = fullLoop('epsilon');
    expect(Math.abs(sum - 258.9606)).toBeLessThan(1e-2);
    expect(Math.abs(sum / 768 - 0.3372)).toBeLessThan(1e-3);
  });

  it('v_prediction over all 1000 timesteps gives sum |x| = 202.0296 and mean 0.2631', () => {
    const sum = fullLoop('v_prediction');
    expect(Math.abs(sum - 202.0296)).toBeLessThan(1e-2);
    expect(Math.abs(sum / 768 - 0.2631)).toBeLessThan(1e-3);
  });

  it('addNoise at timestep 1, then the steps at 1 and 0, gives sum |x| = 387.9466 and mean 0.5051', () => {
    const s = unwrap(createScheduler());
    const model = dummyModel();
    let x = unwrap(addNoise(s, deterministicTensor(), deterministicTensor(true), [1]));
    let g: TorchGenerator = torchGenerator(0);
    for (const t of [1, 0]) {
      const r = unwrap(step(s, { modelOutput: model(x, t), timestep: t, sample: x, generator: g }));
      x = r.prevSample;
      g = r.generator as TorchGenerator;
    }
    expect(Math.abs(absSum(x) - 387.9466)).toBeLessThan(1e-2);
    expect(Math.abs(absSum(x) / 768 - 0.5051)).toBeLessThan(1e-3);
  });
});

describe('step through the scheduler', () => {
  const s = unwrap(createScheduler());
  const x = deterministicTensor();
  const eps = deterministicTensor(true);
  const [noise] = randn(torchGenerator(5), [4, 3, 8, 8]);

  it('steps to the next timestep of the schedule once timesteps are set', () => {
    const custom = unwrap(setTimesteps(s, { timesteps: [100, 87, 50, 1, 0] }));
    const viaSchedule = unwrap(step(custom, { modelOutput: eps, timestep: 87, sample: x, noise }));
    // the same step with the schedule-free scheduler would go to 86: the results must differ
    const toPrevious = unwrap(step(s, { modelOutput: eps, timestep: 87, sample: x, noise }));
    expect(Array.from(viaSchedule.prevSample.data)).not.toEqual(Array.from(toPrevious.prevSample.data));
    // and equal a hand-built schedule whose next timestep after 87 is 50
    const other = unwrap(setTimesteps(s, { timesteps: [87, 50] }));
    const same = unwrap(step(other, { modelOutput: eps, timestep: 87, sample: x, noise }));
    expect(Array.from(viaSchedule.prevSample.data)).toEqual(Array.from(same.prevSample.data));
  });

  it('refuses a timestep that is not in the schedule, naming the schedule', () => {
    const s50 = unwrap(setTimesteps(s, 50));
    const r = step(s50, { modelOutput: eps, timestep: 510, sample: x, noise });
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidTimestep', parameter: 'timestep', received: 510 });
    expect(E.isLeft(r) && r.left.message).toContain('980, 960, 940, 920');
  });

  it.each([
    [1000, 'timestep'],
    [-1, 'timestep'],
    [2.5, 'timestep'],
    [NaN, 'timestep'],
    [[999, 1000, 3, 4], 'timestep[1]'],
  ])('refuses timestep %p', (timestep, parameter) => {
    const r = step(s, { modelOutput: eps, timestep: timestep as number, sample: x, noise });
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidTimestep', parameter });
  });

  it('takes one timestep per batch item, each stepping to its own previous timestep', () => {
    const s10 = unwrap(setTimesteps(s, 10));
    const batched = unwrap(step(s10, { modelOutput: eps, timestep: [900, 500, 0, 900], sample: x, noise }));
    const inner = 3 * 8 * 8;
    for (const [item, t] of [[0, 900], [1, 500], [2, 0]] as const) {
      const single = unwrap(step(s10, { modelOutput: eps, timestep: t, sample: x, noise }));
      const rows = (a: ndarray.NdArray<Float32Array>) => Array.from(a.data.subarray(item * inner, (item + 1) * inner));
      expect(rows(batched.prevSample)).toEqual(rows(single.prevSample));
      expect(rows(batched.predOriginalSample)).toEqual(rows(single.predOriginalSample));
    }
  });

  it('refuses per-sample timesteps of the wrong length', () => {
    const r = step(s, { modelOutput: eps, timestep: [5, 4], sample: x, noise });
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidTimestep');
  });

  it('can be called data-last, for pipe', () => {
    const args = { modelOutput: eps, timestep: 10, sample: x, noise };
    expect(unwrap(step(args)(s))).toEqual(unwrap(step(s, args)));
  });

  it('refuses a value that is not a scheduler', () => {
    const r = step({} as never, { modelOutput: eps, timestep: 10, sample: x, noise });
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidConfig', parameter: 'scheduler' });
  });

  it('changes neither the scheduler nor the tensors', () => {
    const before = { x: Array.from(x.data), eps: Array.from(eps.data), ac: Array.from(s.alphasCumprod), t: Array.from(s.timesteps) };
    unwrap(step(s, { modelOutput: eps, timestep: 10, sample: x, noise }));
    expect({ x: Array.from(x.data), eps: Array.from(eps.data), ac: Array.from(s.alphasCumprod), t: Array.from(s.timesteps) }).toEqual(before);
  });

  it('gives ndarray tensors of the sample shape', () => {
    const r = unwrap(step(s, { modelOutput: eps, timestep: 10, sample: x, noise }));
    expect(r.prevSample.shape).toEqual([4, 3, 8, 8]);
    expect(r.predOriginalSample.shape).toEqual([4, 3, 8, 8]);
    expect(ndarray(r.prevSample.data, r.prevSample.shape).get(0, 0, 0, 0)).toBe(r.prevSample.data[0]);
  });
});

describe('step and the loops refuse a forged generator, naming the parameter', () => {
  const s = E.getOrElseW(() => { throw new Error('scheduler'); })(createScheduler());
  const sample = deterministicTensor();
  const fake = { ...torchGenerator(0) };

  it("step: InvalidGeneratorState 'generator', before any draw", () => {
    const r = step(s, { modelOutput: sample, timestep: 500, sample, generator: fake as never });
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidGeneratorState', 'generator']);
  });

  it("denoise: InvalidGeneratorState 'options.generator', before the model is called", () => {
    let calls = 0;
    const r = denoise(s, (x) => (calls++, x), sample, { generator: fake as never });
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidGeneratorState', 'options.generator']);
    expect(calls).toBe(0);
  });
});

describe('step on an empty batch', () => {
  it('steps a [0, C, ...] sample to an empty result, with the timestep checked by its value', () => {
    const s = unwrap(setTimesteps(unwrap(createScheduler()), 10));
    const empty = ndarray(new Float32Array(0), [0, 3, 4]);
    const r = unwrap(step(s, { modelOutput: empty, sample: empty, timestep: 900, generator: torchGenerator(0) }));
    expect(r.prevSample.shape).toEqual([0, 3, 4]);
    const bad = step(s, { modelOutput: empty, sample: empty, timestep: 901, generator: torchGenerator(0) });
    expect(E.isLeft(bad) && [bad.left.parameter, bad.left.received]).toEqual(['timestep', 901]);
  });
});
