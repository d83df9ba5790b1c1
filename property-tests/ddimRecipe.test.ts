/**
 * The DDIM recipe (docs/recipes/ddim.md, its code in docs/recipes/ddim.example.ts): diffusers' DDIM
 * numbers from a numpy transcription (scripts/fixtures/ddim.py), and its distribution on Gaussian data:
 * eta = 1 is the DDPM posterior, so it must meet the DDPM closed form; eta = 0 meets its own.
 */
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createScheduler, randn, torchGenerator, type DDPMConfig, type Tensor } from '../src/index.js';
import { ddimSample } from '../docs/recipes/ddim.example.js';
import { deterministicTensor, dummyModel, unwrap } from '../test-utils/diffusersTest.js';
import { exactModel, gaussianDenoiser } from '../test-utils/exactDenoisers.js';
import { readFixture } from '../test-utils/fixtures.js';
import { maxUlpDistance32 } from '../test-utils/float.js';
import {
  alphasCumprod64,
  ddimSteps,
  ddpmSteps,
  gaussianChainMoments,
  linearBetas64,
  referenceTimesteps,
  sampleMoments,
  zScores,
  type Moments,
} from '../test-utils/gaussianChain.js';

interface DdimLoop {
  readonly name: string;
  readonly seed: string;
  readonly steps: number;
  readonly eta: number;
  readonly modelShift: number;
  readonly config: Partial<DDPMConfig>;
  readonly timesteps: number[];
  readonly absSums: number[];
  readonly final: number[];
}

const fixture = readFixture<{ shape: number[]; loops: DdimLoop[] }>('ddim.json');

/** The largest |a - b| / max(|b|, 1e-3) over two sequences. */
const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)) / Math.max(Math.abs(b[i] as number), 1e-3));
  return worst;
};

const maxAbsolute = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
};

describe('the DDIM recipe against a numpy transcription of diffusers\' DDIMScheduler', () => {
  test.each(fixture.loops.map((l) => [l.name, l] as const))('%s: seeded loop, value for value', (_name, loop) => {
    const s = unwrap(createScheduler(loop.config));
    const sums: number[] = [];
    const model = dummyModel(loop.modelShift);
    const tracked = (x: Tensor, t: number) => {
      if (t !== loop.timesteps[0]) sums.push(Array.from(x.data).reduce((acc, v) => acc + Math.abs(v), 0));
      return model(x, t);
    };
    const out = unwrap(ddimSample(s, loop.steps, tracked, deterministicTensor(), { eta: loop.eta, generator: torchGenerator(BigInt(loop.seed)) }));
    const final = out.sample;
    sums.push(Array.from(final.data).reduce((acc, v) => acc + Math.abs(v), 0));
    if (process.env.DDPM_REPORT === "1") console.log(loop.name, maxRelative(final.data, loop.final), maxAbsolute(final.data, loop.final), maxUlpDistance32(final.data, loop.final));
    // measured: at most 3e-7 absolute (values of order 1), |sum| within 2e-8 relative; x0 comes from the
    // fused kernel, which rounds once where torch rounds after each op, so the last bit may differ
    expect(maxAbsolute(final.data, loop.final)).toBeLessThan(1e-6);
    expect(maxRelative(sums, loop.absSums)).toBeLessThan(1e-6);
  });

  test('eta > 0 without a generator is an error, not a silent eta = 0', () => {
    const s = unwrap(createScheduler());
    const r = ddimSample(s, 10, dummyModel(), deterministicTensor(), { eta: 1 });
    expect(E.isLeft(r) && r.left.parameter).toBe('generator');
  });
});

describe('DDIM on Gaussian data N(0.5, 0.3^2) with the exact denoiser, 50 leading steps', () => {
  const SHAPE = [8, 8192];
  const table = alphasCumprod64(linearBetas64());
  const timesteps = referenceTimesteps('leading', 1000, 50);
  const run = (eta: number, seed: number): Tensor => {
    const s = unwrap(createScheduler({ clipSample: false }));
    const model = exactModel(gaussianDenoiser(0.5, 0.3, SHAPE[1] as number), table, 'epsilon');
    const [xT, g] = randn(torchGenerator(seed), SHAPE);
    return unwrap(ddimSample(s, 50, model, xT, { eta, generator: g })).sample;
  };
  const z = (x: Tensor, expected: Moments) => {
    const r = zScores(sampleMoments(x), expected);
    return Math.max(Math.abs(r.mean), Math.abs(r.variance));
  };
  const ddpm = gaussianChainMoments(0.5, 0.3, ddpmSteps(table, timesteps));

  test('eta = 1 agrees in distribution with DDPM: within 4 standard errors of the DDPM closed form', () => {
    expect(z(run(1, 20), ddpm)).toBeLessThan(4);
  });

  test('eta = 0 meets its own closed form, and fails the DDPM one (negative control)', () => {
    const x = run(0, 21);
    expect(z(x, gaussianChainMoments(0.5, 0.3, ddimSteps(table, timesteps, 0)))).toBeLessThan(4);
    expect(z(x, ddpm)).toBeGreaterThan(4);
  });

  test('the two closed forms agree for eta = 1: DDIM with eta = 1 is the DDPM posterior step', () => {
    const ddim = gaussianChainMoments(0.5, 0.3, ddimSteps(table, timesteps, 1));
    expect(ddim.mean).toBeCloseTo(ddpm.mean, 12);
    expect(ddim.variance).toBeCloseTo(ddpm.variance, 12);
  });
});

test('docs/recipes/ddim.md shows docs/recipes/ddim.example.ts as it is, importing the package by name', () => {
  const doc = readFileSync(join(process.cwd(), 'docs', 'recipes', 'ddim.md'), 'utf8');
  const code = readFileSync(join(process.cwd(), 'docs', 'recipes', 'ddim.example.ts'), 'utf8');
  const block = /```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  expect(block).toBe(code.replace("from '../../src/index.js'", "from 'ddpm-scheduler'"));
});
