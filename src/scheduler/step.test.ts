import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { deterministicTensor, unwrap } from '../../test-utils/diffusersTest.js';
import {
  TORCH_FLAVORS,
  absSumOf,
  bitDifference,
  firstDoubleDifference,
  generatorsOf,
  loopGeneratorsOf,
  loopModel,
  modelOutputOfCase,
  stepCaseName,
  tensorOfFixture,
  torchConfig,
  torchLoops,
  torchStep,
  type TorchStepCase,
} from '../../test-utils/torchFixtures.js';
import { randn, torchGenerator, type TorchGenerator } from '../random/index.js';
import { addNoise } from './addNoise.js';
import { denoise } from './denoise.js';
import { previousTimestep } from './previousTimestep.js';
import { createScheduler, type DDPMScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';
import { step } from './step.js';

// diffusers' own DDPMScheduler test loops (tests/schedulers/test_scheduler_ddpm.py), as torch 1.13 ran
// them (fixtures/torch/<flavor>/loops.json): no setTimesteps, every training timestep from 999 down to 0
// (Python ints), the deterministic sample, the model x * t / (t + 1), torch.manual_seed(0); and
// test_full_loop_with_noise, which starts from add_noise at timestep 1. Stepped here one step() at a
// time; src/scheduler/denoise.test.ts runs every loop of the fixture through denoise.
describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("step through the scheduler: diffusers' own test loops on torch 1.13 (fixtures/torch/%s/loops.json)", (flavor) => {
  const loops = torchLoops(flavor).filter((l) => l.name.startsWith('diffusers-test-'));

  it('holds the three loops', () => {
    expect(loops.map((l) => l.name)).toEqual(['diffusers-test-full-loop-no-noise', 'diffusers-test-full-loop-with-v-prediction', 'diffusers-test-full-loop-with-noise']);
  });

  it.each(loops.map((l) => [l.name, l] as const))("%s: sum |x| after every step and the final sample equal torch's bit for bit", (_name, loop) => {
    // the linear betas come from torch 1.13's linspace: torch's own betas, passed as trainedBetas
    const s = unwrap(createScheduler(torchConfig(loop.config, loop.trainedBetas, flavor)));
    const model = loopModel(loop.modelShift);
    let x = loop.initialSample === 'addNoise' ? unwrap(addNoise(s, deterministicTensor(), deterministicTensor(true), [loop.timesteps[0] as number])) : deterministicTensor();
    let g = loopGeneratorsOf(loop.generator, flavor) as TorchGenerator;
    const sums: number[] = [];
    for (const t of loop.timesteps) {
      const r = unwrap(step(s, { modelOutput: model(x, t), timestep: t, sample: x, generator: g }));
      x = r.prevSample;
      g = r.generator as TorchGenerator;
      sums.push(absSumOf(x.data));
    }
    expect(firstDoubleDifference(sums, loop.absSums)).toBeNull();
    expect(bitDifference(x.data, loop.final ?? [])).toBeNull();
    // and what diffusers' test asserts, within its tolerances
    const expects = (loop as { diffusersTestExpects?: { absSum: number; absMean: number } }).diffusersTestExpects;
    expect(expects).toBeDefined();
    expect(Math.abs((sums.at(-1) as number) - (expects?.absSum as number))).toBeLessThan(1e-2);
    expect(Math.abs((sums.at(-1) as number) / 768 - (expects?.absMean as number))).toBeLessThan(1e-3);
  });
});

// Every case of fixtures/torch/<flavor>/step.json through the scheduler: the config (torch's betas as
// trainedBetas where they come from a linspace) -> createScheduler -> setTimesteps -> step with the
// case's generator, as a pipeline calls diffusers' step.
describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("step through the scheduler against diffusers' DDPMScheduler.step on torch 1.13 (fixtures/torch/%s/step.json)", (flavor) => {
  const torch = torchStep(flavor);
  const sample = tensorOfFixture(torch.sample, torch.shape);
  const schedulers = new Map<string, DDPMScheduler>();
  const schedulerOf = (c: TorchStepCase): DDPMScheduler => {
    const key = JSON.stringify([c.schedule, c.config, c.setTimesteps]);
    let s = schedulers.get(key);
    if (s === undefined) {
      const base = unwrap(createScheduler(torchConfig(c.config, torch.schedules[c.schedule]?.trainedBetas ?? [], flavor)));
      s = c.setTimesteps === null ? base : unwrap(setTimesteps(base, 'steps' in c.setTimesteps ? c.setTimesteps.steps : { timesteps: c.setTimesteps.timesteps }));
      schedulers.set(key, s);
    }
    return s;
  };
  const stepOf = (c: TorchStepCase) =>
    step(schedulerOf(c), { modelOutput: modelOutputOfCase(torch, c), timestep: c.timestep, sample, generator: generatorsOf(c.generator, flavor) });

  it.each(torch.cases.filter((c) => c.deviation === null).map((c) => [stepCaseName(c), c] as const))("%s: torch's schedule, prevSample and predOriginalSample bit for bit", (_name, c) => {
    const s = schedulerOf(c);
    if (c.schedulerTimesteps !== null) expect(Array.from(s.timesteps)).toEqual(c.schedulerTimesteps);
    expect(previousTimestep(s, c.timestep)).toBe(c.prevTimestep);
    const out = unwrap(stepOf(c));
    expect(bitDifference(out.predOriginalSample.data, c.predOriginalSample)).toBeNull();
    expect(bitDifference(out.prevSample.data, c.prevSample)).toBeNull();
  });

  it.each(torch.cases.filter((c) => c.deviation === 'fixed_large_log').map((c) => [stepCaseName(c), c] as const))(
    "%s: torch's predOriginalSample; a finite prevSample where diffusers' square root of a log-variance gives NaN",
    (_name, c) => {
      const out = unwrap(stepOf(c));
      expect(bitDifference(out.predOriginalSample.data, c.predOriginalSample)).toBeNull();
      expect(out.prevSample.data.every(Number.isFinite)).toBe(true);
    },
  );

  it.each(torch.cases.filter((c) => c.deviation === 'zero_snr_epsilon').map((c) => [stepCaseName(c), c] as const))(
    '%s: refused as ZeroTerminalSnr, where diffusers divides by sqrt(alphasCumprod) = 0',
    (_name, c) => {
      const r = stepOf(c);
      expect(E.isLeft(r) && r.left._tag).toBe('ZeroTerminalSnr');
    },
  );
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
