import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import ndarray from 'ndarray';
import { torchGenerator } from '../src/random/index.js';
import {
  createScheduler,
  denoise,
  denoiseAsync,
  fromDiffusersConfig,
  setTimesteps,
  step,
  toDiffusersConfig,
  type DDPMScheduler,
} from '../src/scheduler/index.js';
import type { Tensor } from '../src/tensor/index.js';
import { liveTensorCount } from '../src/wasm/allocTensor.js';
import { tensorArb, validConfigArb } from './arbitraries.js';

const RUNS = { numRuns: 1000 };

const right = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

// the bytes of everything a scheduler holds: cheap to compare a thousand times
const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const snapshot = (s: DDPMScheduler) =>
  [bytes(s.betas), bytes(s.alphas), bytes(s.alphasCumprod), bytes(s.timesteps), JSON.stringify(s.config), String(s.numInferenceSteps)].join('|');

describe('fromDiffusersConfig on hostile input', () => {
  afterEach(() => {
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('never throws on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        const r = fromDiffusersConfig(json);
        return E.isLeft(r) || E.isRight(r);
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary values, and never touches Object.prototype', () => {
    const keys = fc.constantFrom('__proto__', 'constructor', 'prototype', 'beta_end', 'trained_betas', 'polluted', '_class_name');
    const hostile = fc.dictionary(keys, fc.anything({ withObjectString: true, withNullPrototype: true }));
    fc.assert(
      fc.property(fc.oneof(fc.anything(), hostile), (value) => {
        fromDiffusersConfig(value);
        fromDiffusersConfig(JSON.parse(JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: { polluted: 1 } } })));
        return ({} as Record<string, unknown>).polluted === undefined;
      }),
      RUNS,
    );
  });

  it('survives deep nesting and a huge trained_betas', () => {
    let deep: unknown = 0.5;
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(E.isLeft(fromDiffusersConfig({ trained_betas: deep, beta_end: deep }))).toBe(true);
    expect(E.isLeft(fromDiffusersConfig({ trained_betas: new Array(2_000_000).fill(0.01) }))).toBe(true);
  });
});

describe('configs', () => {
  it('every valid config round-trips through scheduler_config.json text', () => {
    fc.assert(
      fc.property(validConfigArb, (config) => {
        const s = right(createScheduler(config));
        const back = right(fromDiffusersConfig(JSON.parse(JSON.stringify(toDiffusersConfig(s)))));
        expect(back.config).toEqual(s.config);
        expect(back.warnings).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('immutability', () => {
  it('setTimesteps never changes the scheduler it is given', () => {
    fc.assert(
      fc.property(validConfigArb, fc.double({ min: 0, max: 1, noNaN: true }), (config, fraction) => {
        const s = right(createScheduler(config));
        const before = snapshot(s);
        const n = 1 + Math.floor(fraction * (s.length - 1));
        setTimesteps(s, n);
        setTimesteps(s, { timesteps: [n - 1] });
        expect(snapshot(s)).toEqual(before);
      }),
      RUNS,
    );
  });

  it('step never changes its scheduler or its tensors', () => {
    const s = right(createScheduler({ thresholding: true }));
    const shape = [2, 2, 3];
    fc.assert(
      fc.property(tensorArb(shape), tensorArb(shape), tensorArb(shape), fc.integer({ min: 0, max: 999 }), (x, out, noise, t) => {
        const state = () => [snapshot(s), bytes(x.data), bytes(out.data), bytes(noise.data)].join('|');
        const before = state();
        right(step(s, { modelOutput: out, timestep: t, sample: x, noise }));
        expect(state()).toBe(before);
      }),
      RUNS,
    );
  });
});

describe('loops', () => {
  it('the sync and async loops give identical results', async () => {
    const model = (x: Tensor, t: number): Tensor => ndarray(x.data.map((v) => Math.sin(v + t / 100)), x.shape.slice());
    await fc.assert(
      fc.asyncProperty(validConfigArb, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), async (config, steps, seed) => {
        const base = right(createScheduler({ ...config, stepsOffset: 0, predictionType: 'sample' }));
        const s = right(setTimesteps(base, Math.min(steps, base.length)));
        const xT = ndarray(new Float32Array(8).fill(0.25), [2, 4]);
        // the learned variance types read a model output with twice the channels
        const learned = s.config.varianceType === 'learned' || s.config.varianceType === 'learned_range';
        const m = learned ? (x: Tensor, t: number) => ndarray(new Float32Array(16).fill(0.1 + t / 1e4), [2, 8]) : model;
        const sync = denoise(s, m, xT, { generator: torchGenerator(seed) });
        const async_ = await denoiseAsync(s, async (x, t) => m(x, t), xT, { generator: torchGenerator(seed) });
        expect(E.isRight(sync)).toBe(E.isRight(async_));
        if (E.isRight(sync) && E.isRight(async_)) expect(Array.from(async_.right.sample.data)).toEqual(Array.from(sync.right.sample.data));
      }),
      { numRuns: 200 },
    );
  });
});

describe('denoise against the fold of step', () => {
  // The loop steps its own buffers in place (WASM memory on that backend) and hands out snapshots; the
  // reference is the plain composition, a fresh tensor per step, as the documentation describes denoise.
  it('gives the same bits, leaves every tensor it handed out unchanged, and frees its buffers', () => {
    fc.assert(
      fc.property(
        validConfigArb,
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.constantFrom<ReadonlyArray<number>>([1, 3], [2, 2, 5], [2, 3, 7], [1, 4, 16]),
        (config, steps, seed, shape) => {
          const base = right(createScheduler({ ...config, stepsOffset: 0 }));
          const s = right(setTimesteps(base, Math.min(steps, base.length)));
          const size = shape.reduce((a, b) => a * b, 1);
          const xT = ndarray(Float32Array.from({ length: size }, (_, i) => Math.sin(i + seed)), shape.slice());
          const learned = s.config.varianceType === 'learned' || s.config.varianceType === 'learned_range';
          const model = (x: Tensor, t: number): Tensor => {
            const out = new Float32Array(learned ? 2 * size : size);
            for (let i = 0; i < out.length; i++) out[i] = 0.5 * Math.cos((x.data[i % size] as number) + t / 97);
            return ndarray(out, learned ? [shape[0] as number, 2 * (shape[1] as number), ...shape.slice(2)] : shape.slice());
          };
          // the reference: step folded over the timesteps
          let x: Tensor = xT;
          let g = torchGenerator(seed);
          let failed = false;
          for (const t of s.timesteps) {
            const r = step(s, { modelOutput: model(x, t), timestep: t, sample: x, generator: g });
            if (E.isLeft(r)) {
              failed = true;
              break;
            }
            x = r.right.prevSample;
            g = r.right.generator ?? g;
          }
          const handed: Array<readonly [Tensor, string]> = [];
          const keep = (t: Tensor) => handed.push([t, bytes(t.data)]);
          const r = denoise(s, (input, t) => (keep(input), model(input, t)), xT, {
            generator: torchGenerator(seed),
            onStep: (e) => (keep(e.prevSample), keep(e.predOriginalSample)),
          });
          expect(liveTensorCount()).toBe(0);
          expect(E.isLeft(r)).toBe(failed);
          if (E.isRight(r)) expect(bytes(r.right.sample.data)).toBe(bytes(x.data));
          for (const [t, before] of handed) expect(bytes(t.data)).toBe(before);
        },
      ),
      { numRuns: 300 },
    );
  });
});
