/**
 * The chain with the exact denoiser of a finite dataset (the model that memorises its training set):
 * with enough steps every sample lands on a training point, up to the last step's noise.
 */
import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, denoise, randn, setTimesteps, torchGenerator, type Tensor } from '../src/index.js';
import { unwrap } from '../test-utils/diffusersTest.js';
import { datasetDenoiser, exactModel } from '../test-utils/exactDenoisers.js';
import { alphasCumprod64, linearBetas64 } from '../test-utils/gaussianChain.js';

const DIM = 4;
/** 8 batch items of 256 four-dimensional draws. */
const SHAPE = [8, 256 * DIM];

/** 12 training points from a fixed seed, spread over about [-1.5, 1.5]^4. */
const POINTS: number[][] = (() => {
  const [p] = randn(torchGenerator(2024), [12, DIM]);
  return Array.from({ length: 12 }, (_, i) => Array.from(p.data.subarray(i * DIM, (i + 1) * DIM)));
})();

const distance = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(s);
};

/** The distance from each sampled draw to its nearest training point. */
const nearestDistances = (x: Tensor): number[] => {
  const out: number[] = [];
  for (let i = 0; i < x.data.length; i += DIM) {
    const draw = x.data.subarray(i, i + DIM);
    out.push(Math.min(...POINTS.map((p) => distance(draw, p))));
  }
  return out.sort((a, b) => a - b);
};

/** The data's spread: the smallest distance between two training points. */
const spread = Math.min(...POINTS.flatMap((p, i) => POINTS.slice(i + 1).map((q) => distance(p, q))));

const run = (steps: number, model = exactModel(datasetDenoiser(POINTS), alphasCumprod64(linearBetas64()), 'epsilon')): number[] => {
  const s = unwrap(E.flatMap(setTimesteps(steps))(createScheduler({ clipSample: false })));
  const [xT, g] = randn(torchGenerator(5), SHAPE);
  return nearestDistances(unwrap(denoise(s, model, xT, { generator: g })).sample);
};

describe('the DDPM chain with the exact denoiser of a finite dataset', () => {
  test('the training points are well apart (the closest pair is more than 0.5 apart)', () => {
    expect(spread).toBeGreaterThan(0.5);
  });

  // measured: the farthest sample is 4e-6 of the closest-pair distance from a training point at 100 steps
  test('1000 steps: every sample lies within 1 % of the closest-pair distance of a training point', () => {
    const d = run(1000);
    expect(d[d.length - 1] as number).toBeLessThan(0.01 * spread);
  });

  test('100 steps: every sample lies within 1 % of the closest-pair distance of a training point', () => {
    const d = run(100);
    expect(d[d.length - 1] as number).toBeLessThan(0.01 * spread);
  });

  test('negative control: the model asked one step earlier than the current timestep leaves samples off the points', () => {
    // it assumes more noise than there is, so it removes too much: x0 lands between the points
    const base = exactModel(datasetDenoiser(POINTS), alphasCumprod64(linearBetas64()), 'epsilon');
    const d = run(100, (x, t) => base(x, Math.min(t + 10, 999)));
    expect(d[d.length - 1] as number).toBeGreaterThan(0.01 * spread);
  });

  test('negative control: a chain stopped at timestep 100 leaves samples off the points', () => {
    const s = unwrap(E.flatMap(setTimesteps(100))(createScheduler({ clipSample: false })));
    const stopped = unwrap(setTimesteps(s, { timesteps: s.timesteps.subarray(0, 90) }));
    const model = exactModel(datasetDenoiser(POINTS), alphasCumprod64(linearBetas64()), 'epsilon');
    const [xT, g] = randn(torchGenerator(5), SHAPE);
    const d = nearestDistances(unwrap(denoise(stopped, model, xT, { generator: g })).sample);
    expect(d[d.length - 1] as number).toBeGreaterThan(0.01 * spread);
  });
});
