import ndarray from 'ndarray';
import * as E from 'fp-ts/lib/Either.js';
import { deterministicTensor, dummyModel, unwrap } from '../../test-utils/diffusersTest.js';
import { backend } from '../kernels/index.js';
import { torchGenerator } from '../random/index.js';
import { createScheduler, denoise, denoiseAsync, setTimesteps, step } from '../scheduler/index.js';
import type { Tensor } from '../tensor/index.js';
import { liveTensorCount, reserveTensorMemory } from './allocTensor.js';

// The workspace of the sampling loops on the WebAssembly kernels: allocTensor memory, always given back.
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
