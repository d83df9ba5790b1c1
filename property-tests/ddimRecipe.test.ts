/**
 * The DDIM recipe (docs/recipes/ddim.md, its code in docs/recipes/ddim.example.ts): diffusers' DDIM
 * numbers as torch 1.13 ran diffusers' own DDIMScheduler (scripts/fixtures/torch_ddim.py), bit for bit in
 * both captures, and its distribution on Gaussian data: eta = 1 is the DDPM posterior, so it must meet the
 * DDPM closed form; eta = 0 meets its own.
 */
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ndarray from 'ndarray';
import { createScheduler, randn, timestepsFor, torchGenerator, type DDPMScheduler, type Tensor, type TorchGenerator } from '../src/index.js';
import { ddimSample, ddimStep } from '../docs/recipes/ddim.example.js';
import { deterministicTensor, dummyModel, unwrap } from '../test-utils/diffusersTest.js';
import { exactModel, gaussianDenoiser } from '../test-utils/exactDenoisers.js';
import {
  TORCH_FLAVORS,
  absSumOf,
  bitDifference,
  firstDoubleDifference,
  generatorOf,
  loopModel,
  sha256Float32,
  torchConfig,
  torchDdimLoops,
  type TorchDdimLoop,
  type TorchFlavor,
} from '../test-utils/torchFixtures.js';
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

/**
 * One seeded loop of fixtures/torch/<flavor>/ddim.json composed from the recipe's ddimStep as diffusers'
 * DDIMScheduler runs it: timesteps of the config's spacing, each step to t - T / n, noise drawn at every
 * step when eta > 0 (randn(shape), or randn((1, ...)) per item from its own generator). The recipe's
 * ddimSample is this loop for leading spacing, set_alpha_to_one and one generator; the others are the
 * same step with other timesteps, or (set_alpha_to_one off, eta 0) a last step to alphasCumprod[0].
 */
const ddimLoop = (s: DDPMScheduler, loop: TorchDdimLoop, flavor: TorchFlavor) => {
  const { numTrainTimesteps, stepsOffset, timestepSpacing } = s.config;
  const timesteps = unwrap(timestepsFor(timestepSpacing)({ numTrainTimesteps, numInferenceSteps: loop.steps, stepsOffset }));
  const ratio = Math.floor(numTrainTimesteps / loop.steps);
  const alphaToOne = loop.config.setAlphaToOne !== false;
  const model = loopModel(loop.modelShift);
  let generators = loop.generator.kind === 'perItem' ? loop.generator.seeds.map((seed) => generatorOf(seed, flavor)) : [generatorOf(loop.generator.seeds[0] as string, flavor)];
  let sample = deterministicTensor();
  let x0: Tensor = sample;
  const sums: number[] = [];
  const prevTimesteps: number[] = [];
  for (const t of timesteps) {
    let prev = t - ratio;
    prevTimesteps.push(prev);
    // set_alpha_to_one off: the last step lands on alphasCumprod[0] (its variance is unused with eta 0)
    if (prev < 0 && !alphaToOne) {
      if (loop.eta !== 0 || t === 0) throw new Error('set_alpha_to_one off is composed for eta 0 and a last timestep > 0 only');
      prev = 0;
    }
    let noise: Tensor | undefined;
    if (loop.eta > 0) {
      const [batch, ...rest] = sample.shape as [number, ...number[]];
      const drawn = new Float32Array(sample.data.length);
      const next: TorchGenerator[] = [];
      for (let b = 0; b < generators.length; b++) {
        const [z, g] = randn(generators[b] as TorchGenerator, generators.length === 1 ? sample.shape : [1, ...rest]);
        drawn.set(z.data, (b * drawn.length) / generators.length);
        next.push(g);
      }
      generators = next;
      noise = ndarray(drawn, [batch, ...rest]);
    }
    const stepped = unwrap(ddimStep(s, { modelOutput: model(sample, t), sample, timestep: t, prevTimestep: prev, eta: loop.eta, ...(noise === undefined ? {} : { noise }) }));
    sample = stepped.prevSample;
    x0 = stepped.predOriginalSample;
    sums.push(absSumOf(sample.data));
  }
  return { timesteps: Array.from(timesteps), prevTimesteps, sums, final: sample, finalPredOriginalSample: x0 };
};

describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("the DDIM recipe against diffusers' DDIMScheduler on torch 1.13 (fixtures/torch/%s/ddim.json)", (flavor) => {
  const loops = torchDdimLoops(flavor);
  // the linear and scaled_linear betas come from torch 1.13's linspace: torch's own betas as trainedBetas
  const schedulerOf = (loop: TorchDdimLoop) => unwrap(createScheduler(torchConfig(loop.config, loop.trainedBetas, flavor)));

  test.each(loops.map((l) => [l.name, l] as const))("%s: timesteps, sum |x| after every step, the final sample and its x0 equal torch's bit for bit", (_name, loop) => {
    const out = ddimLoop(schedulerOf(loop), loop, flavor);
    expect(out.timesteps).toEqual(loop.timesteps);
    expect(out.prevTimesteps).toEqual(loop.prevTimesteps);
    expect(firstDoubleDifference(out.sums, loop.absSums)).toBeNull();
    expect(bitDifference(out.final.data, loop.final)).toBeNull();
    expect(sha256Float32(out.final.data)).toBe(loop.finalSha256);
    expect(bitDifference(out.finalPredOriginalSample.data, loop.finalPredOriginalSample)).toBeNull();
  });

  const documented = loops.filter((l) => l.config.timestepSpacing === 'leading' && l.config.setAlphaToOne !== false && l.generator.kind === 'generator');
  test.each(documented.map((l) => [l.name, l] as const))("%s: the recipe's own ddimSample gives torch's final sample bit for bit", (_name, loop) => {
    const out = unwrap(ddimSample(schedulerOf(loop), loop.steps, loopModel(loop.modelShift), deterministicTensor(), { eta: loop.eta, generator: generatorOf(loop.generator.seeds[0] as string, flavor) }));
    expect(bitDifference(out.sample.data, loop.final)).toBeNull();
  });

  test('covers eta 0, 0.5 and 1, every prediction type, trailing spacing, set_alpha_to_one off and per-item generators', () => {
    expect(new Set(loops.map((l) => l.eta))).toEqual(new Set([0, 0.5, 1]));
    expect(documented.length).toBeGreaterThanOrEqual(5);
    expect(loops).toHaveLength(8);
  });
});

describe('the DDIM recipe', () => {
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
