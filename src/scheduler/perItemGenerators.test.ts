// diffusers' generator=[...]: each batch item's noise is torch.randn((1, ...rest), generator=g_i), the
// items concatenated (randn_tensor). The reference here is the library's own single-generator draw of
// one item's shape, which the random fixtures pin to torch; what is tested is the composition.
import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { randn, torchGenerator, type TorchGenerator } from '../random/index.js';
import type { Tensor } from '../tensor/index.js';
import { denoise, denoiseAsync } from './denoise.js';
import { createScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';
import { step } from './step.js';

const SHAPE = [3, 2, 4, 5] as const; // 40 values per item: the n >= 16 path, with a ragged tail
const ITEM = 40;

const ramp = (shape: ReadonlyArray<number>, scale: number): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.fround(((i % 17) - 8) * scale);
  return ndarray(data, [...shape]);
};

const seeds = [0, 7, 123456789];
const generators = (capability: 'avx512' | 'avx2' | 'default' = 'avx512'): TorchGenerator[] =>
  seeds.map((k) => torchGenerator(k, { cpuCapability: capability }));

describe('one generator per batch item', () => {
  const s = unwrap(createScheduler());
  const sample = ramp(SHAPE, 0.1);
  const modelOutput = ramp(SHAPE, 0.05);

  it('draws each item with its own generator: the step equals the step with that noise given', () => {
    const gs = generators();
    const expectedNoise = new Float32Array(3 * ITEM);
    const advanced: TorchGenerator[] = [];
    gs.forEach((g, b) => {
      const [noise, next] = randn(g, [1, 2, 4, 5]);
      expectedNoise.set(noise.data, b * ITEM);
      advanced.push(next);
    });
    const drawn = unwrap(step(s, { modelOutput, timestep: 500, sample, generator: gs }));
    const given = unwrap(step(s, { modelOutput, timestep: 500, sample, noise: ndarray(expectedNoise, [...SHAPE]) }));
    expect(Array.from(drawn.prevSample.data)).toEqual(Array.from(given.prevSample.data));
    // the generators come back advanced, one per item, as an array; the inputs are untouched
    const back = drawn.generator as ReadonlyArray<TorchGenerator>;
    expect(back.length).toBe(3);
    back.forEach((g, b) => expect(Array.from(randn(g, [4])[0].data)).toEqual(Array.from(randn(advanced[b] as TorchGenerator, [4])[0].data)));
    expect(Array.from(randn(gs[0] as TorchGenerator, [4])[0].data)).toEqual(Array.from(randn(torchGenerator(0), [4])[0].data));
  });

  it('is not the same as one generator for the whole batch', () => {
    const one = unwrap(step(s, { modelOutput, timestep: 500, sample, generator: torchGenerator(0) }));
    const many = unwrap(step(s, { modelOutput, timestep: 500, sample, generator: generators() }));
    // item 0 shares seed 0, so its first 24 values (blocks of 16 before its ragged tail of 40 = 2 x 16 + 8,
    // whose last 16 are redrawn) agree; the tail and the other items do not
    expect(Array.from(one.prevSample.data.subarray(0, 24))).toEqual(Array.from(many.prevSample.data.subarray(0, 24)));
    expect(Array.from(one.prevSample.data.subarray(24, ITEM))).not.toEqual(Array.from(many.prevSample.data.subarray(24, ITEM)));
    expect(Array.from(one.prevSample.data.subarray(ITEM))).not.toEqual(Array.from(many.prevSample.data.subarray(ITEM)));
  });

  it('with per-item timesteps, an item at timestep 0 draws nothing and keeps its generator', () => {
    const gs = generators();
    const out = unwrap(step(s, { modelOutput, timestep: [10, 0, 10], sample, generator: gs }));
    const back = out.generator as ReadonlyArray<TorchGenerator>;
    expect(back[1]).toBe(gs[1]);
    expect(back[0]).not.toBe(gs[0]);
  });

  it('at timestep 0 (no noise) hands back the same generators', () => {
    const gs = generators();
    const out = unwrap(step(s, { modelOutput, timestep: 0, sample, generator: gs }));
    expect(out.generator).toEqual(gs);
  });

  it('refuses a wrong count, a non-generator item, or another CPU family, naming the item', () => {
    const errorOf = (generator: unknown) => {
      const r = step(s, { modelOutput, timestep: 500, sample, generator: generator as TorchGenerator });
      if (E.isRight(r)) throw new Error('expected an error');
      return r.left;
    };
    expect(errorOf(generators().slice(0, 2)).parameter).toBe('generator');
    expect(errorOf([torchGenerator(0), {}, torchGenerator(1)]).parameter).toBe('generator[1]');
    const mixed = errorOf([torchGenerator(0), torchGenerator(1, { cpuCapability: 'avx2' }), torchGenerator(2)]);
    expect(mixed._tag).toBe('InvalidGeneratorState');
    expect(mixed.parameter).toBe('generator[1]');
    expect(mixed.message).toContain("cpuCapability 'avx512'");
    expect(errorOf(torchGenerator(0, { cpuCapability: 'default' })).parameter).toBe('generator');
  });

  it('a scheduler of another CPU family takes generators of its own family', () => {
    const s2 = unwrap(createScheduler({ cpuCapability: 'avx2' }));
    const r = step(s2, { modelOutput, timestep: 500, sample, generator: generators('avx2') });
    expect(E.isRight(r)).toBe(true);
    expect(E.isLeft(step(s2, { modelOutput, timestep: 500, sample, generator: torchGenerator(0) }))).toBe(true);
  });

  it('denoise and denoiseAsync equal the fold of step with the same generator array', async () => {
    const ten = unwrap(setTimesteps(s, 10));
    const model = (x: Tensor, t: number): Tensor => ndarray(x.data.map((v) => Math.fround(Math.fround(v * t) / (t + 1))), [...x.shape]);
    let x = sample;
    let gs: ReadonlyArray<TorchGenerator> = generators();
    for (const t of ten.timesteps) {
      const out = unwrap(step(ten, { modelOutput: model(x, t), timestep: t, sample: x, generator: gs }));
      x = out.prevSample;
      gs = out.generator as ReadonlyArray<TorchGenerator>;
    }
    const loop = unwrap(denoise(ten, model, sample, { generator: generators() }));
    expect(Array.from(loop.sample.data)).toEqual(Array.from(x.data));
    const loopAsync = await denoiseAsync(ten, async (a, t) => model(a, t), sample, { generator: generators() });
    expect(E.isRight(loopAsync) && Array.from(loopAsync.right.sample.data)).toEqual(Array.from(x.data));
    const last = loop.generator as ReadonlyArray<TorchGenerator>;
    last.forEach((g, b) => expect(Array.from(randn(g, [3])[0].data)).toEqual(Array.from(randn(gs[b] as TorchGenerator, [3])[0].data)));
    const bad = denoise(ten, model, sample, { generator: generators().slice(1) });
    expect(E.isLeft(bad) && bad.left.parameter).toBe('options.generator');
  });
});
