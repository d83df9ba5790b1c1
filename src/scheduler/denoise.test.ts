import * as E from 'fp-ts/lib/Either.js';
import { absSum, deterministicTensor, dummyModel, unwrap } from '../../test-utils/diffusersTest.js';
import { readFixture } from '../../test-utils/fixtures.js';
import { torchGenerator } from '../random/index.js';
import type { Tensor } from '../tensor/index.js';
import type { DDPMConfig } from './config.js';
import { denoise, denoiseAsync, type StepEvent } from './denoise.js';
import { createScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';

interface LoopCase {
  readonly name: string;
  readonly config: Partial<DDPMConfig>;
  readonly seed: string;
  readonly steps: number;
  readonly modelShift: number;
  readonly timesteps: ReadonlyArray<number>;
  readonly absSums: ReadonlyArray<number>;
  readonly final: ReadonlyArray<number>;
}

// Seeded loops from scripts/fixtures/loops.py: the numpy transcriptions of the schedule, the timesteps,
// torch's generator and diffusers' step, composed as diffusers composes them.
const { loops } = readFixture<{ loops: ReadonlyArray<LoopCase> }>('loops.json');

const learned = (c: Partial<DDPMConfig>) => c.varianceType === 'learned' || c.varianceType === 'learned_range';

describe('denoise against the numpy transcription of seeded diffusers loops', () => {
  it.each(loops.map((l) => [l.name, l] as const))('%s', (_name, loop) => {
    const s = unwrap(setTimesteps(unwrap(createScheduler(loop.config)), loop.steps));
    expect(Array.from(s.timesteps)).toEqual(loop.timesteps);
    const sums: number[] = [];
    const out = unwrap(
      denoise(s, dummyModel(loop.modelShift, learned(loop.config)), deterministicTensor(), {
        generator: torchGenerator(BigInt(loop.seed)),
        onStep: (e) => sums.push(absSum(e.prevSample)),
      }),
    );
    expect(sums).toHaveLength(loop.absSums.length);
    // the generator and the kernels of both backends follow torch's float32 operations exactly: every value is identical
    expect(sums).toEqual(loop.absSums);
    expect(Array.from(out.sample.data)).toEqual(loop.final.map(Math.fround));
  });
});

describe('denoise', () => {
  const s = unwrap(setTimesteps(unwrap(createScheduler()), 5));
  const model = dummyModel();

  it('calls onStep once per timestep, in order, with the step results', () => {
    const events: StepEvent[] = [];
    const out = unwrap(denoise(s, model, deterministicTensor(), { generator: torchGenerator(0), onStep: (e) => events.push(e) }));
    expect(events.map((e) => [e.index, e.timestep, e.total])).toEqual([
      [0, 800, 5],
      [1, 600, 5],
      [2, 400, 5],
      [3, 200, 5],
      [4, 0, 5],
    ]);
    expect(events[4]?.prevSample).toBe(out.sample);
  });

  it('returns the generator after the last draw, and leaves the one passed in usable', () => {
    const g = torchGenerator(0);
    const a = unwrap(denoise(s, model, deterministicTensor(), { generator: g }));
    const b = unwrap(denoise(s, model, deterministicTensor(), { generator: g }));
    expect(Array.from(a.sample.data)).toEqual(Array.from(b.sample.data));
    expect(a.generator).toBeDefined();
    expect(a.generator).not.toBe(g);
  });

  it('does not change xT', () => {
    const xT = deterministicTensor();
    const before = Array.from(xT.data);
    unwrap(denoise(s, model, xT, { generator: torchGenerator(0) }));
    expect(Array.from(xT.data)).toEqual(before);
  });

  it('stops at the first error and returns it', () => {
    let calls = 0;
    const bad = (x: Tensor, t: number) => {
      calls++;
      return t === 600 ? ({ data: new Float64Array(3), shape: [3] } as unknown as Tensor) : model(x, t);
    };
    const r = denoise(s, bad, deterministicTensor(), { generator: torchGenerator(0) });
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidTensor');
    expect(calls).toBe(2);
  });

  it('needs a generator or fails with a typed error when noise is due', () => {
    let calls = 0;
    const r = denoise(s, (x, t) => (calls++, model(x, t)), deterministicTensor());
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidGeneratorState', 'options.generator']);
    // checked before the model is called
    expect(calls).toBe(0);
  });

  it('denoiseAsync gives exactly the numbers of denoise', async () => {
    const sync = unwrap(denoise(s, model, deterministicTensor(), { generator: torchGenerator(7) }));
    const events: number[] = [];
    const r = await denoiseAsync(s, async (x, t) => model(x, t), deterministicTensor(), {
      generator: torchGenerator(7),
      onStep: (e) => events.push(e.timestep),
    });
    const async_ = unwrap(r);
    expect(Array.from(async_.sample.data)).toEqual(Array.from(sync.sample.data));
    expect(events).toEqual([800, 600, 400, 200, 0]);
  });

  it('refuses an xT that is not a tensor, with a typed error', () => {
    const r = denoise(s, model, { data: [1, 2], shape: [2] } as unknown as Tensor, { generator: torchGenerator(0) });
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidTensor', 'xT']);
  });
});
