import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import * as ort from 'onnxruntime-node';
import {
  denoiseAsync,
  fromDiffusersConfig,
  randn,
  setTimesteps,
  tensor,
  torchGenerator,
  type DDPMScheduler,
  type Tensor,
  type TimestepSpacing,
} from 'ddpm-scheduler';
import { useCrossContextFloat32Array } from '../../test-utils/ortRealm.js';
import { sampleNetwork, type OrtLike } from './network.js';

// The demo network end to end against diffusers' DDPM loop on torch 1.13 (scripts/model/torch_parity.py,
// fixtures/model/<flavor>/parity.json): (a) ONNX Runtime's UNet and this library against torch's UNet and
// diffusers, seed for seed, within measured bounds (ORT's convolutions round differently from torch's);
// (b) torch's own model outputs replayed as the model, where nothing is left to differ: 0 ulp.

type Flavor = 'default' | 'avx2';
const FLAVORS: ReadonlyArray<Flavor> = ['default', 'avx2'];
const MODEL_DIR = join(process.cwd(), 'cli', 'models', 'digits');

interface Run {
  readonly steps: number;
  readonly spacing: TimestepSpacing;
  readonly seed: string;
  readonly batch: number;
  readonly timesteps: ReadonlyArray<number>;
  readonly final: string;
  readonly finalSha256: string;
}

interface Trace extends Run {
  readonly modelOutputs: ReadonlyArray<string>;
  readonly inputSha256: ReadonlyArray<string>;
}

interface ParityFixture {
  readonly model: { readonly unetOnnxSha256: string; readonly schedulerConfig: Record<string, unknown> };
  readonly trainedBetas: string;
  readonly forward: { readonly shape: ReadonlyArray<number>; readonly timesteps: ReadonlyArray<number>; readonly sample: string; readonly noisePred: string };
  readonly runs: ReadonlyArray<Run>;
  readonly traces: ReadonlyArray<Trace>;
}

const fixtureOf = (flavor: Flavor): ParityFixture =>
  JSON.parse(readFileSync(join(process.cwd(), 'fixtures', 'model', flavor, 'parity.json'), 'utf8')) as ParityFixture;
const fixtures = new Map(FLAVORS.map((f) => [f, fixtureOf(f)] as const));
const fixture = (flavor: Flavor): ParityFixture => fixtures.get(flavor) as ParityFixture;

/** The fixtures' b64: little-endian float32 bytes, read with a DataView (right on any host's byte order). */
const float32OfBase64 = (b64: string): Float32Array => {
  const bytes = Buffer.from(b64, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
};

const sha256Of = (x: Float32Array): string => createHash('sha256').update(Buffer.from(x.buffer, x.byteOffset, x.byteLength)).digest('hex');
const contiguous = (x: Tensor): Float32Array => x.data.subarray(x.offset, x.offset + x.size);
const unwrap = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

/** How many float32 values of a and b differ in their bits (0: identical). */
const bitsDiffer = (a: Float32Array, b: Float32Array): number => {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = a.length === b.length ? 0 : Math.max(a.length, b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (ua[i] !== ub[i]) n++;
  return n;
};

const absDifference = (a: Float32Array, b: Float32Array, from = 0, to = a.length): { readonly max: number; readonly mean: number } => {
  let max = 0;
  let sum = 0;
  for (let i = from; i < to; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / (to - from) };
};

/** The model's scheduler_config.json as the CLI reads it, with the run's spacing; `betas` replaces torch 1.13's linspace. */
const schedulerOf = (flavor: Flavor, spacing: TimestepSpacing, steps: number, betas?: Float32Array): DDPMScheduler => {
  const json = {
    ...fixture(flavor).model.schedulerConfig,
    timestep_spacing: spacing,
    ...(betas === undefined ? {} : { trained_betas: Array.from(betas) }),
  };
  return unwrap(setTimesteps(unwrap(fromDiffusersConfig(json, { cpuCapability: flavor })), steps));
};

// onnxruntime-node's outputs come from Node's main context (see test-utils/ortRealm.ts)
useCrossContextFloat32Array();

let session: ort.InferenceSession;
beforeAll(async () => {
  // one thread: these machines have two cores (and two threads were measured to give the same bits)
  session = await ort.InferenceSession.create(join(MODEL_DIR, 'unet.onnx'), { intraOpNumThreads: 1, interOpNumThreads: 1 });
});
afterAll(async () => {
  await session.release();
});

const ortLike = ort as unknown as OrtLike;

describe('the fixtures', () => {
  test.each(FLAVORS)('%s: were recorded from the unet.onnx and scheduler_config.json in cli/models/digits', (flavor) => {
    expect(createHash('sha256').update(readFileSync(join(MODEL_DIR, 'unet.onnx'))).digest('hex')).toBe(fixture(flavor).model.unetOnnxSha256);
    expect(fixture(flavor).model.schedulerConfig).toEqual(JSON.parse(readFileSync(join(MODEL_DIR, 'scheduler_config.json'), 'utf8')));
  });

  test("differ between the flavors (torch's noise does), so that each flavor is a test of its own", () => {
    const [a, b] = FLAVORS.map((f) => fixture(f).runs.map((r) => r.finalSha256));
    expect((a as string[]).filter((h, i) => h === (b as string[])[i])).toEqual([]);
  });
});

// (b) first: it needs no ONNX, and it shows that whatever (a) measures comes from the network.
describe("torch's model outputs replayed as the model: the library's loop equals diffusers' bit for bit", () => {
  const cases = FLAVORS.flatMap((flavor) => fixture(flavor).traces.map((t) => [flavor, `${t.steps} ${t.spacing}, batch ${t.batch}, seed ${t.seed}`, t] as const));
  test.each(cases)('%s: %s, every step and the end at 0 ulp', async (flavor, _name, trace) => {
    const s = schedulerOf(flavor, trace.spacing, trace.steps, float32OfBase64(fixture(flavor).trainedBetas));
    expect(Array.from(s.timesteps)).toEqual(trace.timesteps);
    const [xT, generator] = randn(torchGenerator(BigInt(trace.seed), { cpuCapability: flavor }), [trace.batch, 1, 16, 16]);
    const seen: string[] = [];
    const timesteps: number[] = [];
    const replay = async (x: Tensor, t: number): Promise<Tensor> => {
      seen.push(sha256Of(contiguous(x)));
      timesteps.push(t);
      return tensor(float32OfBase64(trace.modelOutputs[timesteps.length - 1] as string), [...x.shape]);
    };
    const out = unwrap(await denoiseAsync(s, replay, xT, { generator }));
    expect(timesteps).toEqual(trace.timesteps);
    // the sample every model call got, x_T first: the first step that differed would show here
    expect(seen).toEqual(trace.inputSha256);
    expect(bitsDiffer(contiguous(out.sample), float32OfBase64(trace.final))).toBe(0);
  });
});

// Measured here (x86-64 with AVX2, onnxruntime-node 1.30 on one thread, the model of cli/models/digits)
// and asserted with 2x headroom: another CPU's ONNX Runtime kernels round in other places. `max` and
// `mean` are the largest and the mean |ORT - torch| over the values of a configuration's final images
// (about [-1, 1]), all its seeds and both flavors. NETWORK_PARITY_LOG=1 prints what a run measures.
const HEADROOM = 2;
const MEASURED: Record<string, { readonly max: number; readonly mean: number }> = {
  '1000 leading': { max: 5.8e-5, mean: 1.2e-6 },
  '1000 leading, torch betas': { max: 2.6e-6, mean: 1.2e-7 },
  '100 leading': { max: 9.7e-6, mean: 1.6e-7 },
  '100 trailing': { max: 6.6e-6, mean: 1.6e-7 },
  '100 linspace': { max: 6.5e-6, mean: 1.5e-7 },
  '50 leading': { max: 1.6e-5, mean: 1.9e-7 },
  '25 leading': { max: 1.2e-5, mean: 2.2e-7 },
  '10 leading': { max: 2.5e-5, mean: 4.4e-7 },
  '10 trailing': { max: 1.9e-5, mean: 4.0e-7 },
};
// one UNet call on randn at eight timesteps from 999 to 0: the largest |ORT - torch| of the predicted noise
const MEASURED_FORWARD = 3.4e-6;

const report = (flavor: Flavor, name: string, measured: Record<string, number>): void => {
  if (process.env['NETWORK_PARITY_LOG'] === '1') console.log(`${flavor} ${name}: ${JSON.stringify(measured)}`);
};

const meanAbs = (a: Float32Array, ai: number, b: Float32Array, bi: number, n: number): number => {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs((a[ai + i] as number) - (b[bi + i] as number));
  return sum / n;
};

const IMAGE = 16 * 16;

/**
 * Samples every run of a configuration through sampleNetwork and measures the final images against torch's:
 * max and mean |difference|, the images that are not nearest their own torch image (same seed, same item)
 * among all the configuration's torch images, and the smallest mean distance to another torch image.
 */
const measure = async (s: DDPMScheduler, runs: ReadonlyArray<Run>) => {
  let max = 0;
  let sum = 0;
  let count = 0;
  let nearestOther = Infinity;
  const misplaced: string[] = [];
  const torchImages = runs.map((r) => float32OfBase64(r.final));
  for (let k = 0; k < runs.length; k++) {
    const run = runs[k] as Run;
    const sampled = unwrap(await sampleNetwork(ortLike, session, s, { seed: BigInt(run.seed), samples: run.batch }));
    const mine = contiguous(sampled.sample);
    const own = absDifference(mine, torchImages[k] as Float32Array);
    max = Math.max(max, own.max);
    sum += own.mean * mine.length;
    count += mine.length;
    for (let i = 0; i < run.batch; i++) {
      const toOwn = meanAbs(mine, i * IMAGE, torchImages[k] as Float32Array, i * IMAGE, IMAGE);
      for (let l = 0; l < runs.length; l++) {
        for (let j = 0; j < (runs[l] as Run).batch; j++) {
          if (l === k && j === i) continue;
          const other = meanAbs(mine, i * IMAGE, torchImages[l] as Float32Array, j * IMAGE, IMAGE);
          nearestOther = Math.min(nearestOther, other);
          if (other <= toOwn) misplaced.push(`seed ${run.seed} item ${i} is nearer torch's seed ${(runs[l] as Run).seed} item ${j}`);
        }
      }
    }
  }
  return { max, mean: sum / count, nearestOther, misplaced };
};

describe('ONNX Runtime and this library against diffusers and torch, seed for seed', () => {
  test.each(FLAVORS)('%s: one UNet call is within the measured bound of torch', async (flavor) => {
    const f = fixture(flavor).forward;
    const out = await session.run({
      sample: new ort.Tensor('float32', float32OfBase64(f.sample), [...f.shape]),
      timestep: new ort.Tensor('int64', BigInt64Array.from(f.timesteps.map(BigInt)), [f.timesteps.length]),
    });
    const d = absDifference(out['noise_pred']?.data as Float32Array, float32OfBase64(f.noisePred));
    report(flavor, 'forward', d);
    expect(d.max).toBeLessThanOrEqual(MEASURED_FORWARD * HEADROOM);
  });

  // the command line's path: the model's scheduler_config.json read by fromDiffusersConfig (the library's
  // betas, torch 2.x's linspace), and once with torch 1.13's own betas, which leaves ORT's rounding alone
  const configs = FLAVORS.flatMap((flavor) => {
    const keys = [...new Set(fixture(flavor).runs.map((r) => `${r.steps} ${r.spacing}`))];
    return [...keys.map((key) => [flavor, key, key, false] as const), [flavor, '1000 leading, torch betas', '1000 leading', true] as const];
  });
  test.each(configs)('%s: %s, each final image within the bound and nearest its own torch image', async (flavor, name, key, torchBetas) => {
    const runs = fixture(flavor).runs.filter((r) => `${r.steps} ${r.spacing}` === key);
    const first = runs[0] as Run;
    const s = schedulerOf(flavor, first.spacing, first.steps, torchBetas ? float32OfBase64(fixture(flavor).trainedBetas) : undefined);
    expect(Array.from(s.timesteps)).toEqual(first.timesteps);
    const m = await measure(s, runs);
    report(flavor, name, { max: m.max, mean: m.mean, nearestOther: m.nearestOther });
    expect(m.misplaced).toEqual([]);
    const bound = MEASURED[name] as { readonly max: number; readonly mean: number };
    expect(m.max).toBeLessThanOrEqual(bound.max * HEADROOM);
    expect(m.mean).toBeLessThanOrEqual(bound.mean * HEADROOM);
    // and far closer to its own torch image than to any other: another seed's is about 0.7 away on average
    expect(m.mean * 1000).toBeLessThan(m.nearestOther);
  }, 60_000);
});
