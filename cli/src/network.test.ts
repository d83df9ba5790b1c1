import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, randn, setTimesteps, tensor, torchGenerator, type DDPMScheduler } from 'ddpm-scheduler';
import { sampleNetwork, unetModel, type OrtSessionLike, type OrtTensorLike } from './network.js';
import { FakeTensor, fakeOrt } from '../../test-utils/fakeOrt.js';

const ort = fakeOrt;

const scheduler = (steps: number): DDPMScheduler => {
  const s = E.flatMap(setTimesteps(steps))(createScheduler());
  if (E.isLeft(s)) throw new Error(s.left.message);
  return s.right;
};

// A stand-in network: eps = 0.5 * x + t / 1000, recording what it was fed.
const fakeSession = (fed: Array<{ sample: Float32Array; timestep: BigInt64Array; dims: ReadonlyArray<number> }>): OrtSessionLike => ({
  run: async (feeds) => {
    const x = feeds.sample as FakeTensor;
    const t = feeds.timestep as FakeTensor;
    fed.push({ sample: x.data as Float32Array, timestep: t.data as BigInt64Array, dims: x.dims });
    const out = Float32Array.from(x.data as Float32Array, (v) => 0.5 * v + Number((t.data as BigInt64Array)[0]) / 1000);
    return { noise_pred: new FakeTensor('float32', out, x.dims) };
  },
});

describe('unetModel', () => {
  const s = scheduler(10);
  const x = tensor(Float32Array.from({ length: 2 * 256 }, (_, i) => Math.sin(i)), [2, 1, 16, 16]);

  it('feeds the sample and one int64 timestep per item, and returns the network output as epsilon', async () => {
    const fed: Array<{ sample: Float32Array; timestep: BigInt64Array; dims: ReadonlyArray<number> }> = [];
    const eps = await unetModel(ort, fakeSession(fed), s)(x, 901);
    expect(fed[0]?.dims).toEqual([2, 1, 16, 16]);
    expect(Array.from(fed[0]?.timestep ?? [])).toEqual([901n, 901n]);
    expect(eps.data[3]).toBe(Math.fround(0.5 * (x.data[3] as number) + 0.901));
  });

  it('converts epsilon to sample and v_prediction with alphaBar of the timestep', async () => {
    const t = 500;
    const alphaBar = s.alphasCumprod[t] as number;
    const eps = (v: number) => Math.fround(0.5 * v + t / 1000);
    const sample = await unetModel(ort, fakeSession([]), s, 'sample')(x, t);
    const v = await unetModel(ort, fakeSession([]), s, 'v_prediction')(x, t);
    for (const i of [0, 7, 300]) {
      const xi = x.data[i] as number;
      // x = sqrt(ab) x0 + sqrt(1 - ab) eps and v = sqrt(ab) eps - sqrt(1 - ab) x0, written out
      const x0 = (xi - Math.sqrt(1 - alphaBar) * eps(xi)) / Math.sqrt(alphaBar);
      expect(sample.data[i]).toBe(Math.fround(x0));
      expect(v.data[i]).toBeCloseTo(Math.sqrt(alphaBar) * eps(xi) - Math.sqrt(1 - alphaBar) * x0, 6);
    }
  });

  it('copies a strided or offset input into a plain array before handing it over', async () => {
    const fed: Array<{ sample: Float32Array; timestep: BigInt64Array; dims: ReadonlyArray<number> }> = [];
    const big = tensor(Float32Array.from({ length: 3 * 256 }, (_, i) => i), [3, 1, 16, 16]);
    const tail = big.lo(1, 0, 0, 0);
    await unetModel(ort, fakeSession(fed), s)(tail, 1);
    expect(fed[0]?.sample.length).toBe(2 * 256);
    expect(fed[0]?.sample[0]).toBe(256);
  });

  it('rejects a timestep outside the schedule with a typed error', async () => {
    for (const t of [-1, 1000, 2.5, NaN]) {
      await expect(unetModel(ort, fakeSession([]), s)(x, t)).rejects.toMatchObject({ error: { _tag: 'InvalidTimestep', parameter: 'timestep' } });
    }
  });

  it('rejects an answer without noise_pred, of another type or shape', async () => {
    const answer = (o: Record<string, OrtTensorLike>): OrtSessionLike => ({ run: async () => o });
    await expect(unetModel(ort, answer({ out: new FakeTensor('float32', new Float32Array(512), [2, 1, 16, 16]) }), s)(x, 1)).rejects.toThrow('noise_pred');
    await expect(unetModel(ort, answer({ noise_pred: new FakeTensor('int64', new BigInt64Array(512), [2, 1, 16, 16]) }), s)(x, 1)).rejects.toThrow('a float32 tensor');
    await expect(unetModel(ort, answer({ noise_pred: new FakeTensor('float32', new Float32Array(256), [1, 1, 16, 16]) }), s)(x, 1)).rejects.toThrow('shape [2, 1, 16, 16]');
  });
});

describe('sampleNetwork', () => {
  it('starts from randn of torch.manual_seed(seed) and calls the network once per timestep, in order', async () => {
    const s = scheduler(5);
    const fed: Array<{ sample: Float32Array; timestep: BigInt64Array; dims: ReadonlyArray<number> }> = [];
    const out = await sampleNetwork(ort, fakeSession(fed), s, { seed: 3n, samples: 2 });
    if (E.isLeft(out)) throw new Error(out.left.message);
    const [xT] = randn(torchGenerator(3n), [2, 1, 16, 16]);
    expect(Array.from(out.right.xT.data)).toEqual(Array.from(xT.data));
    expect(Array.from(fed[0]?.sample ?? [])).toEqual(Array.from(xT.data));
    expect(fed.map((f) => Number(f.timestep[0]))).toEqual(Array.from(s.timesteps));
    expect(out.right.sample.data.every((v) => v >= -1 && v <= 1)).toBe(true); // the default config clips
  });

  it('gives a session failure and a bad seed back as errors', async () => {
    const s = scheduler(3);
    const failing: OrtSessionLike = { run: async () => Promise.reject(new Error('backend lost')) };
    const failed = await sampleNetwork(ort, failing, s, { seed: 0n, samples: 1 });
    expect(E.isLeft(failed) && failed.left._tag === 'IoError' && failed.left.message).toContain('backend lost');
    const badSeed = await sampleNetwork(ort, fakeSession([]), s, { seed: 1.5, samples: 1 });
    expect(E.isLeft(badSeed) && badSeed.left._tag).toBe('InvalidSeed');
    for (const samples of [0, -1, 2.5, NaN]) {
      const bad = await sampleNetwork(ort, fakeSession([]), s, { seed: 0n, samples });
      expect(E.isLeft(bad) && bad.left.parameter).toBe('samples');
    }
  });
});
