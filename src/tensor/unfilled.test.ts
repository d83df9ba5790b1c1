import { deterministicTensor, unwrap } from '../../test-utils/diffusersTest.js';
import { rand, randn, torchGenerator, type TorchGenerator } from '../random/index.js';
import { addNoise } from '../scheduler/addNoise.js';
import { denoise } from '../scheduler/denoise.js';
import { getVelocity } from '../scheduler/getVelocity.js';
import { createScheduler, type DDPMScheduler } from '../scheduler/scheduler.js';
import { setTimesteps } from '../scheduler/setTimesteps.js';
import { step } from '../scheduler/step.js';
import type { DDPMConfig } from '../scheduler/config.js';
import { posteriorCoefficients, posteriorStep, defaultStepOptions } from '../step/index.js';
import { MessageChannel } from 'node:worker_threads';
import { tensor } from './view.js';
import type { Tensor } from './tensor.js';
import { hasUnfilledSource, unfilledFloat32, unfilledTensor, withUnfilledSource, type UnfilledSource } from './unfilled.js';

/** Memory whose every float32 reads as NaN (all bits set): a value the library never writes by itself. */
const poisoned: UnfilledSource = (bytes) => new Uint8Array(bytes).fill(0xff);

const bitsOf = (t: Tensor): Uint32Array => new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);

/** The same call with ordinary zero-filled arrays and with NaN-filled unfilled memory: every tensor it returns, bit for bit. */
const sameWithPoison = (call: () => ReadonlyArray<Tensor>): void => {
  const ordinary = withUnfilledSource(null, call);
  const poisonedRun = withUnfilledSource(poisoned, call);
  expect(poisonedRun.length).toBe(ordinary.length);
  poisonedRun.forEach((t, i) => {
    expect(Array.from(t.shape)).toEqual(Array.from((ordinary[i] as Tensor).shape));
    expect(Array.from(bitsOf(t))).toEqual(Array.from(bitsOf(ordinary[i] as Tensor)));
    expect(t.data.some((v) => Number.isNaN(v))).toBe(false);
  });
};

/** A deterministic tensor of `shape` with values in [-1.5, 1.5]. */
const valuesOf = (shape: ReadonlyArray<number>, seed: number): Tensor => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tensor(Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 0.37) * 1.5), shape);
};

describe('unfilledFloat32', () => {
  it('takes unzeroed memory from Node here, for large arrays only', () => {
    expect(hasUnfilledSource()).toBe(true);
    const calls: number[] = [];
    const counting: UnfilledSource = (bytes) => (calls.push(bytes), new Uint8Array(bytes));
    // withUnfilledSource uses its source for every size; the runtime source starts at 4096 elements
    withUnfilledSource(counting, () => unfilledFloat32(3));
    expect(calls).toEqual([12]);
    const small = unfilledFloat32(4095);
    const large = unfilledFloat32(4096);
    expect(Array.from(small.slice(0, 8))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(large.length).toBe(4096);
  });

  it.each([0, 1, 15, 16, 4095, 4096, 65536])('gives %i elements at offset 0 over an ArrayBuffer of exactly that size', (n) => {
    for (const a of [unfilledFloat32(n), withUnfilledSource(poisoned, () => unfilledFloat32(n)), withUnfilledSource(null, () => unfilledFloat32(n))]) {
      expect(a).toBeInstanceOf(Float32Array);
      expect(a.length).toBe(n);
      expect(a.byteOffset).toBe(0);
      expect(a.buffer.byteLength).toBe(4 * n);
      expect(Object.prototype.toString.call(a.buffer)).toBe('[object ArrayBuffer]');
    }
  });

  it('uses the memory the source gives (the poisoned bits show through until written)', () => {
    const a = withUnfilledSource(poisoned, () => unfilledFloat32(5000));
    expect(a.every((v) => Number.isNaN(v))).toBe(true);
  });

  it.each([
    ['a slice of a shared pool (offset 16)', (bytes: number) => new Uint8Array(bytes + 32).fill(0xff).subarray(16, 16 + bytes)],
    ['a view of a larger buffer', (bytes: number) => new Uint8Array(bytes + 4).fill(0xff).subarray(0, bytes)],
    ['a view of the wrong length', (bytes: number) => new Uint8Array(bytes - 4).fill(0xff)],
    ['a SharedArrayBuffer', (bytes: number) => new Uint8Array(new SharedArrayBuffer(bytes)).fill(0xff)],
    ['a plain ArrayBuffer (not a view)', (bytes: number) => new ArrayBuffer(bytes)],
    ['null', () => null],
    ['a number', () => 42],
    ['a throw', () => {
      throw new RangeError('Array buffer allocation failed');
    }],
  ] as ReadonlyArray<readonly [string, UnfilledSource]>)('falls back to an ordinary zero-filled array when the source gives %s', (_what, bad) => {
    const a = withUnfilledSource(bad, () => unfilledFloat32(4100));
    expect(a.length).toBe(4100);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(4100 * 4);
    expect(a.every((v) => v === 0)).toBe(true);
  });

  it('restores the source after the callback throws', () => {
    expect(() =>
      withUnfilledSource(poisoned, () => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    expect(hasUnfilledSource()).toBe(true);
    // the runtime source again: a small array is an ordinary zeroed one, not poisoned memory
    expect(unfilledFloat32(8).every((v) => v === 0)).toBe(true);
  });

  it("a large output's buffer transfers to another thread and clones, as an ordinary array's does", async () => {
    const [x] = randn(torchGenerator(0), [1, 4, 64, 64]);
    const values = Array.from(x.data.subarray(0, 4));
    expect(structuredClone(x.data)).toEqual(x.data);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<Float32Array>((resolve) => port2.once('message', resolve));
    port1.postMessage(x.data, [x.data.buffer as ArrayBuffer]);
    const moved = await received;
    port1.close();
    port2.close();
    expect(moved.length).toBe(16384);
    expect(Array.from(moved.subarray(0, 4))).toEqual(values);
    // transferred, not copied: the sender's view is detached
    expect(x.data.length).toBe(0);
  });

  it('unfilledTensor has the shape and its element count', () => {
    const t = unfilledTensor([2, 3, 4]);
    expect(Array.from(t.shape)).toEqual([2, 3, 4]);
    expect(t.data.length).toBe(24);
    expect(t.offset).toBe(0);
  });
});

// Every output made over unfilled memory is written in full: the same bits with NaN-filled memory as
// with ordinary zero-filled arrays, on every path that allocates one.
describe('every output over unfilled memory is written in full', () => {
  const g = (seed: number): TorchGenerator => torchGenerator(seed);

  it.each([[1], [3], [15], [16], [17], [100], [4096], [4111], [70000]])('randn and rand of %i elements', (n) => {
    sameWithPoison(() => [randn(g(3), [n])[0], rand(g(4), [n])[0]]);
  });

  it('randn of a [2, 4, 32, 32] latent in each cpuCapability flavor', () => {
    for (const cpuCapability of ['default', 'avx2', 'avx512'] as const) {
      sameWithPoison(() => [randn(torchGenerator(0, { cpuCapability }), [2, 4, 32, 32])[0]]);
    }
  });

  const configs: ReadonlyArray<Partial<DDPMConfig>> = [
    {},
    { clipSample: false },
    { predictionType: 'sample' },
    { predictionType: 'v_prediction' },
    { thresholding: true, sampleMaxValue: 1.2 },
    { varianceType: 'fixed_large' },
    { varianceType: 'fixed_small_log' },
    { varianceType: 'fixed_large_log' },
    { varianceType: 'learned' },
    { varianceType: 'learned_range' },
    { precision: 'float64' },
  ];

  it.each(configs.map((c) => [JSON.stringify(c), c] as const))('step %s: prevSample and predOriginalSample, drawn and explicit noise, t = 0, per-item timesteps', (_name, config) => {
    const s: DDPMScheduler = unwrap(createScheduler(config));
    const learned = config.varianceType === 'learned' || config.varianceType === 'learned_range';
    const shape = [3, 2, 5, 7];
    const sample = valuesOf(shape, 1);
    const modelOutput = valuesOf(learned ? [3, 4, 5, 7] : shape, 2);
    const noise = valuesOf(shape, 3);
    for (const timestep of [500, 0, [999, 0, 321]] as const) {
      sameWithPoison(() => {
        const drawn = unwrap(step(s, { modelOutput, timestep: timestep as number, sample, generator: g(5) }));
        const given = unwrap(step(s, { modelOutput, timestep: timestep as number, sample, noise }));
        return [drawn.prevSample, drawn.predOriginalSample, given.prevSample, given.predOriginalSample];
      });
    }
  });

  it('posteriorStep, addNoise and getVelocity', () => {
    const s = unwrap(createScheduler({}));
    const shape = [2, 3, 40, 40];
    const [a, b] = [valuesOf(shape, 6), valuesOf(shape, 7)];
    const k = unwrap(posteriorCoefficients(s.alphasCumprod, 700, 699));
    sameWithPoison(() => {
      const out = unwrap(posteriorStep({ modelOutput: a, sample: b, noise: a }, k, defaultStepOptions));
      return [out.prevSample, out.predOriginalSample, unwrap(addNoise(s, a, b, [10, 900])), unwrap(getVelocity(s, a, b, 400))];
    });
  });

  it("denoise: every step's prevSample and predOriginalSample, and the result", () => {
    const s = unwrap(setTimesteps(unwrap(createScheduler({})), 7));
    sameWithPoison(() => {
      const seen: Tensor[] = [];
      const out = unwrap(
        denoise(s, (x, t) => tensor(Float32Array.from(x.data, (v) => v * (t / (t + 1))), x.shape), deterministicTensor(), {
          generator: g(0),
          onStep: (e) => seen.push(e.prevSample, e.predOriginalSample),
        }),
      );
      return [...seen, out.sample];
    });
  });
});
