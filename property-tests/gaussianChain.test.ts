/**
 * The whole chain against mathematics: for Gaussian data the exact denoiser is linear, the reverse chain
 * is linear-Gaussian, and the mean and variance of its output have a closed form (test-utils/gaussianChain.ts,
 * a float64 scalar recursion written from the formulas). The sampled moments must lie within 4 standard
 * errors of it, and the same check must fail for a swapped variance type or a coefficient off by 2 %.
 *
 * DDPM_HEAVY=1 adds a sweep over every spacing, prediction type and fixed variance type, with more samples.
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  createScheduler,
  denoise,
  posteriorCoefficients,
  posteriorStep,
  randn,
  setTimesteps,
  stepOptionsOf,
  torchGenerator,
  type DDPMConfig,
  type DDPMScheduler,
  type PosteriorCoefficients,
  type Tensor,
} from '../src/index.js';
import { unwrap } from '../test-utils/diffusersTest.js';
import { exactModel, gaussianDenoiser } from '../test-utils/exactDenoisers.js';
import {
  alphasCumprod64,
  ddpmSteps,
  gaussianChainMoments,
  linearBetas64,
  referenceTimesteps,
  sampleMoments,
  zeroSnrAlphasCumprod64,
  zScores,
  type Moments,
  type ReferenceSpacing,
} from '../test-utils/gaussianChain.js';

const HEAVY = process.env.DDPM_HEAVY === '1';
const MU = 0.5;
const STD = 0.3;
// few batch items of many coordinates: every coordinate is an independent draw, and the kernels
// run fastest over long rows
const SHAPE = HEAVY ? [8, 32768] : [8, 8192];
const DIM = SHAPE[1] as number;
const LIMIT = 4;

const table64 = alphasCumprod64(linearBetas64());
const zeroSnrTable64 = zeroSnrAlphasCumprod64(table64);

interface Case {
  readonly name: string;
  readonly config: Partial<DDPMConfig>;
  readonly steps: number;
  readonly seed: number;
}

const CASES: ReadonlyArray<Case> = [
  { name: '1000 leading steps, epsilon', config: { timestepSpacing: 'leading', predictionType: 'epsilon' }, steps: 1000, seed: 0 },
  { name: '100 trailing steps, v_prediction', config: { timestepSpacing: 'trailing', predictionType: 'v_prediction' }, steps: 100, seed: 1 },
  { name: '50 linspace steps, sample', config: { timestepSpacing: 'linspace', predictionType: 'sample' }, steps: 50, seed: 2 },
  { name: '20 leading steps, epsilon, stepsOffset 1', config: { timestepSpacing: 'leading', stepsOffset: 1 }, steps: 20, seed: 3 },
  {
    name: '50 trailing steps, v_prediction, rescaleBetasZeroSnr',
    config: { timestepSpacing: 'trailing', predictionType: 'v_prediction', rescaleBetasZeroSnr: true },
    steps: 50,
    seed: 4,
  },
];

const schedulerFor = (config: Partial<DDPMConfig>, steps: number): DDPMScheduler =>
  unwrap(E.flatMap(setTimesteps(steps))(createScheduler({ clipSample: false, ...config })));

const referenceFor = (c: Case): { table: Float64Array; timesteps: number[] } => ({
  table: c.config.rescaleBetasZeroSnr ? zeroSnrTable64 : table64,
  timesteps: referenceTimesteps(c.config.timestepSpacing as ReferenceSpacing, 1000, c.steps, c.config.stepsOffset ?? 0),
});

/** The scheduler's own loop, with the exact denoiser of N(MU, STD^2) as the model. */
const sampleWithDenoise = (c: Case): Tensor => {
  const s = schedulerFor(c.config, c.steps);
  const { table } = referenceFor(c);
  const model = exactModel(gaussianDenoiser(MU, STD, DIM), table, s.config.predictionType);
  const [xT, g] = randn(torchGenerator(c.seed), SHAPE);
  return unwrap(denoise(s, model, xT, { generator: g })).sample;
};

/**
 * The same loop composed from the primitives (posteriorCoefficients, posteriorStep, randn), with a hook
 * that may change the coefficients: the means of the negative controls.
 */
const sampleWithPrimitives = (c: Case, change: (k: PosteriorCoefficients) => PosteriorCoefficients): Tensor => {
  const s = schedulerFor(c.config, c.steps);
  const { table } = referenceFor(c);
  const options = stepOptionsOf(s.config);
  const model = exactModel(gaussianDenoiser(MU, STD, DIM), table, options.predictionType);
  let [x, g] = randn(torchGenerator(c.seed), SHAPE);
  for (let i = 0; i < s.timesteps.length; i++) {
    const t = s.timesteps[i] as number;
    const k = change(unwrap(posteriorCoefficients(s.alphasCumprod, t, s.timesteps[i + 1] ?? -1, options.varianceType)));
    let noise: Tensor | undefined;
    if (k.addsNoise) [noise, g] = randn(g, SHAPE);
    x = unwrap(posteriorStep({ modelOutput: model(x, t), sample: x, ...(noise === undefined ? {} : { noise }) }, k, options)).prevSample;
  }
  return x;
};

const expectedFor = (c: Case, variance: 'fixed_small' | 'fixed_large' = 'fixed_small'): Moments => {
  const { table, timesteps } = referenceFor(c);
  return gaussianChainMoments(MU, STD, ddpmSteps(table, timesteps, variance));
};

const zOf = (x: Tensor, expected: Moments) => {
  const z = zScores(sampleMoments(x), expected);
  if (process.env.DDPM_REPORT === '1') console.log(`z mean ${z.mean.toFixed(2)}, z variance ${z.variance.toFixed(2)}`);
  return z;
};
const worst = (z: { mean: number; variance: number }) => Math.max(Math.abs(z.mean), Math.abs(z.variance));

describe('the DDPM chain on Gaussian data N(0.5, 0.3^2) with the exact denoiser', () => {
  test('the float64 reference tables and timesteps are the scheduler\'s own, to float32 rounding', () => {
    for (const c of CASES) {
      const s = schedulerFor(c.config, c.steps);
      const { table, timesteps } = referenceFor(c);
      expect(Array.from(s.timesteps)).toEqual(timesteps);
      for (let t = 0; t < 1000; t++) expect(Math.abs((s.alphasCumprod[t] as number) - (table[t] as number))).toBeLessThan(2e-6);
    }
  });

  test('the closed form differs from the data distribution, so it is the chain being checked, not the data', () => {
    const m = expectedFor(CASES[3] as Case);
    expect(m.mean).toBeCloseTo(MU, 4);
    expect(m.variance).toBeLessThan(0.6 * STD * STD);
  });

  test.each(CASES)('$name: sampled mean and variance within 4 standard errors of the closed form', (c) => {
    const z = zOf(sampleWithDenoise(c), expectedFor(c));
    expect(Math.abs(z.mean)).toBeLessThan(LIMIT);
    expect(Math.abs(z.variance)).toBeLessThan(LIMIT);
  });

  test('a loop composed from posteriorCoefficients, posteriorStep and randn gives denoise\'s numbers exactly', () => {
    const c = CASES[3] as Case;
    expect(Array.from(sampleWithPrimitives(c, (k) => k).data)).toEqual(Array.from(sampleWithDenoise(c).data));
  });
});

describe('negative controls: the same check fails when the chain is wrong', () => {
  test('fixed_large sampled against the fixed_small closed form fails (100 trailing steps)', () => {
    const c = CASES[1] as Case;
    const swapped = { ...c, config: { ...c.config, varianceType: 'fixed_large' as const } };
    const x = sampleWithDenoise(swapped);
    expect(worst(zOf(x, expectedFor(c)))).toBeGreaterThan(LIMIT);
    // and it passes against its own closed form, so the failure is the swap and nothing else
    expect(worst(zOf(x, expectedFor(c, 'fixed_large')))).toBeLessThan(LIMIT);
  });

  test('fixed_small sampled against the fixed_large closed form fails (20 leading steps)', () => {
    const c = CASES[3] as Case;
    expect(worst(zOf(sampleWithDenoise(c), expectedFor(c, 'fixed_large')))).toBeGreaterThan(LIMIT);
  });

  const perturbations: ReadonlyArray<[string, string, Case, (k: PosteriorCoefficients) => PosteriorCoefficients]> = [
    ['predOriginalSampleCoeff', (CASES[0] as Case).name, CASES[0] as Case, (k) => ({ ...k, predOriginalSampleCoeff: k.predOriginalSampleCoeff * 1.02 })],
    ['currentSampleCoeff', (CASES[3] as Case).name, CASES[3] as Case, (k) => ({ ...k, currentSampleCoeff: k.currentSampleCoeff * 1.02 })],
    ['noiseScale', (CASES[2] as Case).name, CASES[2] as Case, (k) => ({ ...k, noiseScale: k.noiseScale * 1.02 })],
  ];

  test.each(perturbations)('%s times 1.02 at every step fails (%s)', (_name, _caseName, c, change) => {
    expect(worst(zOf(sampleWithPrimitives(c, change), expectedFor(c)))).toBeGreaterThan(LIMIT);
  });
});

const heavy = HEAVY ? describe : describe.skip;

heavy('DDPM_HEAVY: every spacing, prediction type and fixed variance type, 8 x 32768 samples', () => {
  const spacings: ReferenceSpacing[] = ['leading', 'trailing', 'linspace'];
  const predictions = ['epsilon', 'sample', 'v_prediction'] as const;
  const variances = ['fixed_small', 'fixed_small_log', 'fixed_large', 'fixed_large_log'] as const;
  const sweep: Array<[string, Case, 'fixed_small' | 'fixed_large']> = [];
  let seed = 100;
  for (const timestepSpacing of spacings)
    for (const predictionType of predictions)
      for (const varianceType of variances)
        for (const steps of [10, 100]) {
          const c: Case = { name: `${steps} ${timestepSpacing} ${predictionType} ${varianceType}`, config: { timestepSpacing, predictionType, varianceType }, steps, seed: seed++ };
          sweep.push([c.name, c, varianceType.startsWith('fixed_small') ? 'fixed_small' : 'fixed_large']);
        }
  test.each(sweep)('%s', (_name, c, variance) => {
    expect(worst(zOf(sampleWithDenoise(c), expectedFor(c, variance)))).toBeLessThan(LIMIT);
  });
});
