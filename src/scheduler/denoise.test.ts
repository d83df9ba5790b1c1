import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { absSum, deterministicTensor, dummyModel, unwrap } from '../../test-utils/diffusersTest.js';
import { readFixture } from '../../test-utils/fixtures.js';
import { torchGenerator } from '../random/index.js';
import { backend } from '../kernels/index.js';
import { reserveTensorMemory } from '../wasm/index.js';
import { liveTensorCount } from '../wasm/allocTensor.js';
import { step } from './step.js';
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
    if (backend() === 'js') {
      // the JS generator and kernels follow torch's float32 operations exactly: every value is identical
      expect(sums).toEqual(loop.absSums);
      expect(Array.from(out.sample.data)).toEqual(loop.final.map(Math.fround));
      return;
    }
    // the WASM randn's float32 log may move a normal by up to 2 ulp (docs/backends.md): measured sums
    // within 3e-8 relative and values within 3e-7
    sums.forEach((sum, i) => expect(Math.abs(sum - (loop.absSums[i] as number))).toBeLessThanOrEqual(1e-6 * Math.max(1, loop.absSums[i] as number)));
    let worst = 0;
    out.sample.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - (loop.final[i] as number)))));
    expect(worst).toBeLessThan(2e-6);
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

describe("denoise's own buffers", () => {
  const s = unwrap(setTimesteps(unwrap(createScheduler()), 4));
  const model = dummyModel();
  // the plain composition: step folded over the timesteps, a fresh tensor each time
  const folded = (xT: Tensor, seed: number): number[] => {
    let x = xT;
    let g = torchGenerator(seed);
    for (const t of s.timesteps) {
      const r = unwrap(step(s, { modelOutput: model(x, t), timestep: t, sample: x, generator: g }));
      x = r.prevSample;
      g = r.generator ?? g;
    }
    return Array.from(x.data);
  };

  it('live in WASM memory while the loop runs on that backend, and are all freed after it', () => {
    const seen: number[] = [];
    const out = unwrap(denoise(s, (x, t) => (seen.push(liveTensorCount()), model(x, t)), deterministicTensor(), { generator: torchGenerator(1) }));
    expect(seen).toEqual(new Array(4).fill(backend() === 'wasm' ? 3 : 0));
    expect(liveTensorCount()).toBe(0);
    expect(Array.from(out.sample.data)).toEqual(folded(deterministicTensor(), 1));
  });

  it('are freed when the model throws or returns a bad tensor', () => {
    const boom = () => {
      throw new Error('model failed');
    };
    expect(() => denoise(s, boom, deterministicTensor(), { generator: torchGenerator(1) })).toThrow('model failed');
    expect(liveTensorCount()).toBe(0);
    const bad = () => ({ data: new Float32Array(3), shape: [3] }) as unknown as Tensor;
    expect(E.isLeft(denoise(s, bad, deterministicTensor(), { generator: torchGenerator(1) }))).toBe(true);
    expect(liveTensorCount()).toBe(0);
  });

  it('are freed by denoiseAsync too, also when its model rejects', async () => {
    await expect(denoiseAsync(s, () => Promise.reject(new Error('no')), deterministicTensor(), { generator: torchGenerator(1) })).rejects.toThrow('no');
    expect(liveTensorCount()).toBe(0);
    const out = unwrap(await denoiseAsync(s, async (x, t) => model(x, t), deterministicTensor(), { generator: torchGenerator(1) }));
    expect(liveTensorCount()).toBe(0);
    expect(Array.from(out.sample.data)).toEqual(folded(deterministicTensor(), 1));
  });

  it('are ordinary arrays, with the same numbers, when the arena has no room', () => {
    if (backend() !== 'wasm') return;
    // a 64 kB arena holds one tensor of [4, 4, 32, 32] (64 kB), not the loop's three
    unwrap(reserveTensorMemory(65536));
    const big = ndarray(new Float32Array(16384).map((_, i) => (i % 97) / 97), [4, 4, 32, 32]);
    const seen: number[] = [];
    const out = unwrap(denoise(s, (x, t) => (seen.push(liveTensorCount()), model(x, t)), big, { generator: torchGenerator(2) }));
    expect(seen).toEqual([0, 0, 0, 0]);
    expect(Array.from(out.sample.data)).toEqual(folded(big, 2));
  });
});
