/**
 * The img2img recipe (docs/recipes/img2img.md, its code in docs/recipes/img2img.example.ts): diffusers'
 * tail of the schedule, and on Gaussian images with the exact denoiser the closed-form mean and variance
 * of the output and its covariance with the input image.
 */
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { createScheduler, randn, setTimesteps, torchGenerator, type Tensor } from '../src/index.js';
import { img2img, img2imgTimesteps } from '../docs/recipes/img2img.example.js';
import { unwrap } from '../test-utils/diffusersTest.js';
import { exactModel, gaussianDenoiser } from '../test-utils/exactDenoisers.js';
import {
  alphasCumprod64,
  ddpmSteps,
  gaussianChainMoments,
  linearBetas64,
  referenceTimesteps,
  sampleMoments,
  zScores,
} from '../test-utils/gaussianChain.js';

const MU = 0.5;
const STD = 0.3;
const SHAPE = [8, 8192];
const N = 50;
const table = alphasCumprod64(linearBetas64());
const scheduler = unwrap(createScheduler({ clipSample: false }));

/** diffusers: init_timestep = min(int(n * strength), n), t_start = max(n - init_timestep, 0), timesteps[t_start:]. */
const diffusersTail = (strength: number): number[] => {
  const all = referenceTimesteps('leading', 1000, N);
  return all.slice(Math.max(N - Math.min(Math.floor(N * strength), N), 0));
};

/** Gaussian images and the recipe's output for them. */
const run = (strength: number, seed: number): { image: Tensor; out: Tensor } => {
  const [z] = randn(torchGenerator(seed + 1000), SHAPE);
  const image = ndarray(z.data.map((v) => MU + STD * v), SHAPE);
  const model = exactModel(gaussianDenoiser(MU, STD, SHAPE[1] as number), table, 'epsilon');
  return { image, out: unwrap(img2img(scheduler, N, strength, model, image, torchGenerator(seed))).sample };
};

/** The closed form: x_start = a x0 + b z has mean a mu and variance a^2 s^2 + b^2, covariance with x0 a s^2. */
const expected = (strength: number) => {
  const tail = diffusersTail(strength);
  const steps = ddpmSteps(table, tail);
  const ab = table[tail[0] as number] as number;
  const moments = gaussianChainMoments(MU, STD, steps, { mean: Math.sqrt(ab) * MU, variance: ab * STD * STD + 1 - ab });
  // covariance with the image: each step multiplies it by the gain g = c0 k + ct, as it does the deviation
  let covariance = Math.sqrt(ab) * STD * STD;
  for (const { alphaBar, c0, ct } of steps) {
    const k = (Math.sqrt(alphaBar) * STD * STD) / (alphaBar * STD * STD + 1 - alphaBar);
    covariance *= c0 * k + ct;
  }
  return { ...moments, covariance };
};

const sampleCovariance = (a: Tensor, b: Tensor): number => {
  const n = a.data.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a.data[i] as number;
    mb += b.data[i] as number;
  }
  ma /= n;
  mb /= n;
  let c = 0;
  for (let i = 0; i < n; i++) c += ((a.data[i] as number) - ma) * ((b.data[i] as number) - mb);
  return c / (n - 1);
};

describe('the img2img recipe', () => {
  test.each([0.6, 0.3, 1, 0.02])('strength %d keeps diffusers\' tail of the 50-step schedule', (strength) => {
    const full = unwrap(setTimesteps(scheduler, N));
    expect(Array.from(img2imgTimesteps(full, strength))).toEqual(diffusersTail(strength));
  });

  test('strength 0.6 of 50 leading steps starts at 580 and runs 30 steps', () => {
    expect(diffusersTail(0.6)[0]).toBe(580);
    expect(diffusersTail(0.6)).toHaveLength(30);
  });

  test('a strength that keeps no step, or above 1, is an InvalidNumber error naming strength', () => {
    for (const strength of [0.01, 1.5, Number.NaN]) {
      const r = img2img(scheduler, N, strength, (x) => x, randn(torchGenerator(0), [1, 4])[0], torchGenerator(0));
      expect(E.isLeft(r) && r.left._tag === 'InvalidNumber' && r.left.parameter).toBe('strength');
    }
  });

  test.each([
    [0.6, 30],
    [0.2, 31],
    [1, 32],
  ])('Gaussian images, strength %d: mean, variance and covariance with the image within 4 standard errors', (strength, seed) => {
    const { image, out } = run(strength, seed);
    const e = expected(strength);
    const z = zScores(sampleMoments(out), e);
    expect(Math.abs(z.mean)).toBeLessThan(4);
    expect(Math.abs(z.variance)).toBeLessThan(4);
    // SE of a sample covariance of jointly Gaussian values: sqrt((var_a var_b + cov^2) / n)
    const n = out.data.length;
    const se = Math.sqrt((e.variance * STD * STD + e.covariance * e.covariance) / n);
    expect(Math.abs(sampleCovariance(out, image) - e.covariance) / se).toBeLessThan(4);
  });

  test('negative control: the closed form of a chain started from pure noise fails at strength 0.2', () => {
    const { image, out } = run(0.2, 33);
    const e = expected(0.2);
    // from N(0, 1) the output keeps nothing of the image: covariance 0
    const n = out.data.length;
    const se = Math.sqrt((e.variance * STD * STD) / n);
    expect(Math.abs(sampleCovariance(out, image)) / se).toBeGreaterThan(4);
  });

  test('docs/recipes/img2img.md shows docs/recipes/img2img.example.ts as it is, importing the package by name', () => {
    const doc = readFileSync(join(process.cwd(), 'docs', 'recipes', 'img2img.md'), 'utf8');
    const code = readFileSync(join(process.cwd(), 'docs', 'recipes', 'img2img.example.ts'), 'utf8');
    expect(/```ts\n([\s\S]*?)```/.exec(doc)?.[1]).toBe(code.replace("from '../../src/index.js'", "from 'ddpm-scheduler'"));
  });
});
