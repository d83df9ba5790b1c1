import * as E from 'fp-ts/lib/Either.js';
import { deterministicTensor, dummyModel, unwrap } from '../../test-utils/diffusersTest.js';
import {
  TORCH_FLAVORS,
  absSumOf,
  bitDifference,
  firstDoubleDifference,
  learnsVariance,
  loopGeneratorsOf,
  loopModel,
  sha256Float32,
  torchConfig,
  torchLoops,
  type TorchFlavor,
  type TorchLoop,
} from '../../test-utils/torchFixtures.js';
import { randn, torchGenerator, type TorchGenerator } from '../random/index.js';
import type { Generators } from '../step/noiseSource.js';
import type { Tensor } from '../tensor/index.js';
import { addNoise } from './addNoise.js';
import { denoise, denoiseAsync, type StepEvent } from './denoise.js';
import { previousTimestep } from './previousTimestep.js';
import { createScheduler, type DDPMScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';
import { step } from './step.js';

// The kernels as they are, with each loop workspace's release counted, so that the tests can see that a
// loop frees what it took on every way out, and each Box-Muller draw (n >= 16) counted, so that they can
// see when a loop draws (mock-prefixed: jest.mock's factory may name them).
const mockWorkspaces = { taken: 0, released: 0 };
const mockDraws = { count: 0 };
jest.mock('../kernels/select.js', () => {
  const actual = jest.requireActual('../kernels/select.js');
  return {
    ...actual,
    activeKernels: () => {
      const kernels = actual.activeKernels();
      return {
        ...kernels,
        normalBlocks: (...args: Parameters<typeof kernels.normalBlocks>) => (mockDraws.count++, kernels.normalBlocks(...args)),
        workspace: (shape: ReadonlyArray<number>) => {
          const work = kernels.workspace(shape);
          mockWorkspaces.taken++;
          return { ...work, release: () => (mockWorkspaces.released++, work.release()) };
        },
      };
    },
  };
});


// The seeded loops of scripts/fixtures/torch_loops.py: diffusers' own DDPMScheduler on torch 1.13, with
// diffusers' dummy model, as a pipeline runs them. Each is rebuilt from its config (torch's betas as
// trainedBetas where they come from torch 1.13's linspace, which is not the library's torch 2.x one), its
// initial sample drawn as the loop says, and run through denoise.
const schedulerOfLoop = (loop: TorchLoop, flavor: TorchFlavor): DDPMScheduler => {
  const base = unwrap(createScheduler(torchConfig(loop.config, loop.trainedBetas, flavor)));
  if (loop.setTimesteps !== null) {
    return unwrap(setTimesteps(base, 'steps' in loop.setTimesteps ? loop.setTimesteps.steps : { timesteps: loop.setTimesteps.timesteps }));
  }
  // no set_timesteps: diffusers' full-loop tests step 999..0 (the scheduler's own timesteps), and
  // test_full_loop_with_noise only the last ones, [1, 0]: the same steps as custom timesteps
  return loop.timesteps.length === base.timesteps.length ? base : unwrap(setTimesteps(base, { timesteps: loop.timesteps }));
};

const initialSampleOf = <G extends Generators>(loop: TorchLoop, s: DDPMScheduler, generator: G): readonly [Tensor, G] => {
  switch (loop.initialSample) {
    case 'deterministic':
      return [deterministicTensor(), generator];
    case 'addNoise':
      return [unwrap(addNoise(s, deterministicTensor(), deterministicTensor(true), [loop.timesteps[0] as number])), generator];
    case 'randn': {
      // the pipeline's randn_tensor(shape, generator) from the loop's own generator, times init_noise_sigma (1)
      if (Array.isArray(generator)) throw new Error('randn from per-item generators is not in the fixture');
      const [xT, next] = randn(generator as unknown as TorchGenerator, loop.shape);
      return [xT, next as unknown as G];
    }
  }
};

/** The final sample against the fixture: every value when recorded, else its hash and slice. */
const finalDifference = (loop: TorchLoop, x: Float32Array): string | null => {
  if (loop.final !== null) return bitDifference(x, loop.final);
  const picked = Float32Array.from(loop.finalSlice.indices, (i) => x[i] as number);
  return bitDifference(picked, loop.finalSlice.values) ?? (sha256Float32(x) === loop.finalSha256 ? null : 'finalSha256 differs');
};

describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("denoise against seeded loops through diffusers' DDPMScheduler on torch 1.13 (fixtures/torch/%s/loops.json)", (flavor) => {
  const loops = torchLoops(flavor);
  const compared = loops.filter((l) => l.deviation === null);

  it('holds the 13 loops', () => {
    expect(loops).toHaveLength(13);
  });

  it.each(compared.map((l) => [l.name, l] as const))("%s: timesteps, sum |x| after every step and the final sample equal torch's bit for bit", (_name, loop) => {
    const s = schedulerOfLoop(loop, flavor);
    expect(Array.from(s.timesteps)).toEqual(loop.timesteps);
    expect(loop.timesteps.map((t) => previousTimestep(s, t))).toEqual(loop.prevTimesteps);
    const [xT, generator] = initialSampleOf(loop, s, loopGeneratorsOf(loop.generator, flavor));
    const sums: number[] = [];
    const out = unwrap(denoise(s, loopModel(loop.modelShift, learnsVariance(loop.config)), xT, { generator, onStep: (e) => sums.push(absSumOf(e.prevSample.data)) }));
    expect(firstDoubleDifference(sums, loop.absSums)).toBeNull();
    expect(finalDifference(loop, out.sample.data)).toBeNull();
  });

  // denoiseAsync on a per-item-generator loop and a thresholded one: the numbers of denoise, so torch's
  it.each(compared.filter((l) => l.generator.kind === 'perItem' || l.config.thresholding === true).map((l) => [l.name, l] as const))(
    "%s: denoiseAsync gives torch's final sample bit for bit",
    async (_name, loop) => {
      const s = schedulerOfLoop(loop, flavor);
      const [xT, generator] = initialSampleOf(loop, s, loopGeneratorsOf(loop.generator, flavor));
      const model = loopModel(loop.modelShift, learnsVariance(loop.config));
      const out = unwrap(await denoiseAsync(s, async (x, t) => model(x, t), xT, { generator }));
      expect(finalDifference(loop, out.sample.data)).toBeNull();
    },
  );

  it.each(loops.filter((l) => l.deviation === 'fixed_large_log').map((l) => [l.name, l] as const))(
    '%s: finite where diffusers takes the square root of a log-variance (NaN from the first noisy step)',
    (_name, loop) => {
      expect(loop.absSums.some((v) => v === 'NaN')).toBe(true);
      const s = schedulerOfLoop(loop, flavor);
      const [xT, generator] = initialSampleOf(loop, s, loopGeneratorsOf(loop.generator, flavor));
      const out = unwrap(denoise(s, loopModel(loop.modelShift, learnsVariance(loop.config)), xT, { generator }));
      expect(out.sample.data.every(Number.isFinite)).toBe(true);
    },
  );
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

  it("denoiseAsync draws each step's noise after calling the model and before its output arrives", async () => {
    // what the model sees at its call and again once it resumes after its first await: the draws between
    const drawnWhilePending: Array<readonly [number, number]> = [];
    const r = await denoiseAsync(
      s,
      async (x, t) => {
        const atCall = mockDraws.count;
        await Promise.resolve();
        drawnWhilePending.push([t, mockDraws.count - atCall]);
        return model(x, t);
      },
      deterministicTensor(),
      { generator: torchGenerator(7) },
    );
    expect(Array.from(unwrap(r).sample.data)).toEqual(Array.from(unwrap(denoise(s, model, deterministicTensor(), { generator: torchGenerator(7) })).sample.data));
    // one draw of the whole sample (768 values, one generator) for each step with t > 0, none at t = 0
    expect(drawnWhilePending).toEqual([[800, 1], [600, 1], [400, 1], [200, 1], [0, 0]]);
  });

  it('gives onStep previews: each event\'s predOriginalSample is step()\'s x0 for that step, kept unchanged to the end', () => {
    const previews: { x0: Tensor; copy: number[] }[] = [];
    const inputs: Tensor[] = [];
    unwrap(
      denoise(s, (x, t) => (inputs.push(x), model(x, t)), deterministicTensor(), {
        generator: torchGenerator(3),
        onStep: (e) => previews.push({ x0: e.predOriginalSample, copy: Array.from(e.predOriginalSample.data) }),
      }),
    );
    expect(previews).toHaveLength(5);
    // the loop never writes a tensor it handed out: every preview still holds the values it had
    for (const p of previews) expect(Array.from(p.x0.data)).toEqual(p.copy);
    expect(new Set(previews.map((p) => p.x0.data)).size).toBe(5);
    // and each is the x0 that step() predicts from that step's input (noise does not enter x0)
    previews.forEach((p, i) => {
      const one = unwrap(step(s, { modelOutput: model(inputs[i] as Tensor, s.timesteps[i] as number), timestep: s.timesteps[i] as number, sample: inputs[i] as Tensor, generator: torchGenerator(0) }));
      expect(p.copy).toEqual(Array.from(one.predOriginalSample.data));
    });
  });

  it('stops before the next model call with an Aborted error when onStep aborts the signal, and frees its workspace', () => {
    const controller = new AbortController();
    const calls: number[] = [];
    const before = { ...mockWorkspaces };
    const r = denoise(s, (x, t) => (calls.push(t), model(x, t)), deterministicTensor(), {
      generator: torchGenerator(0),
      signal: controller.signal,
      onStep: (e) => e.index === 1 && controller.abort(),
    });
    expect(calls).toEqual([800, 600]);
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['Aborted', 'options.signal']);
    expect(E.isLeft(r) && r.left.received).toBe(controller.signal.reason);
    expect(E.isLeft(r) && r.left.message).toBe(
      'options.signal: received AbortError: This operation was aborted; allowed: a signal that is not aborted (stopped before step 3 of 5)',
    );
    expect(mockWorkspaces.taken - before.taken).toBe(1);
    expect(mockWorkspaces.released - before.released).toBe(1);
  });

  it('calls no model when the signal is aborted already', async () => {
    let calls = 0;
    const r = await denoiseAsync(s, async (x, t) => (calls++, model(x, t)), deterministicTensor(), { generator: torchGenerator(0), signal: AbortSignal.abort('user') });
    expect(calls).toBe(0);
    expect(E.isLeft(r) && [r.left._tag, r.left.received]).toEqual(['Aborted', 'user']);
  });

  it('denoiseAsync drops the output of a model call during which the signal was aborted, and frees its workspace', async () => {
    const controller = new AbortController();
    const seen: number[] = [];
    const before = { ...mockWorkspaces };
    const r = await denoiseAsync(
      s,
      async (x, t) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (t === 400) controller.abort(new Error('cancelled by the user'));
        return model(x, t);
      },
      deterministicTensor(),
      { generator: torchGenerator(0), signal: controller.signal, onStep: (e) => seen.push(e.timestep) },
    );
    // the step at 400 never ran: no event, the error says where the loop stopped
    expect(seen).toEqual([800, 600]);
    expect(E.isLeft(r) && r.left._tag).toBe('Aborted');
    expect(E.isLeft(r) && r.left.message).toContain('received Error: cancelled by the user; allowed: a signal that is not aborted (stopped at the model output of step 3 of 5)');
    expect(mockWorkspaces.released - before.released).toBe(mockWorkspaces.taken - before.taken);
    expect(mockWorkspaces.taken - before.taken).toBe(1);
  });

  it('frees its workspace when the model throws', () => {
    const before = { ...mockWorkspaces };
    expect(() => denoise(s, () => { throw new Error('the model failed'); }, deterministicTensor(), { generator: torchGenerator(0) })).toThrow('the model failed');
    expect(mockWorkspaces.released - before.released).toBe(1);
  });

  it('runs to the end with a signal that is never aborted, with the numbers of a loop without one', async () => {
    const plain = unwrap(denoise(s, model, deterministicTensor(), { generator: torchGenerator(5) }));
    const signalled = unwrap(await denoiseAsync(s, async (x, t) => model(x, t), deterministicTensor(), { generator: torchGenerator(5), signal: new AbortController().signal }));
    expect(Array.from(signalled.sample.data)).toEqual(Array.from(plain.sample.data));
  });

  it('refuses a signal that is not AbortSignal-like, before calling the model', () => {
    for (const signal of [true, 'abort', {}, { aborted: 'no' }, null]) {
      let calls = 0;
      const r = denoise(s, (x, t) => (calls++, model(x, t)), deterministicTensor(), { generator: torchGenerator(0), signal } as never);
      expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidOption', 'options.signal']);
      expect(calls).toBe(0);
    }
    expect(E.isRight(denoise(s, model, deterministicTensor(), { generator: torchGenerator(0), signal: { aborted: false } }))).toBe(true);
  });

  it('refuses an xT that is not a tensor, with a typed error', () => {
    const r = denoise(s, model, { data: [1, 2], shape: [2] } as unknown as Tensor, { generator: torchGenerator(0) });
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidTensor', 'xT']);
  });
});
