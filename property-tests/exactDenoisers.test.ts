/**
 * The exact denoisers of test-utils/exactDenoisers.ts against Tweedie's formula,
 * E[x0 | x_t] = (x_t + b^2 grad log p_t(x_t)) / a, with the gradient of the noisy density taken by central
 * finite differences of a log-density written separately here. The denoisers never compute a density
 * gradient, so this checks their responsibilities and Gaussian conditioning independently.
 */
import fc from 'fast-check';
import ndarray from 'ndarray';
import type { Tensor } from '../src/index.js';
import { datasetDenoiser, exactModel, gaussianDenoiser, mixtureDenoiser, type GaussianComponent } from '../test-utils/exactDenoisers.js';

const RUNS = { numRuns: 1000 };
const DIM = 2;

const coordinate = fc.double({ min: -3, max: 3, noNaN: true });
const point = fc.tuple(coordinate, coordinate);
const componentArb = fc
  .record({ weight: fc.double({ min: 0.05, max: 1, noNaN: true }), mean: point, std: fc.double({ min: 0.1, max: 1.5, noNaN: true }) })
  .map((c): GaussianComponent => c);
const alphaBarArb = fc.double({ min: 0.05, max: 0.95, noNaN: true });

/** log sum_k pi_k N(x; a mu_k, (a^2 s_k^2 + b^2) I), the density of x_t, up to a constant. */
const logNoisyDensity = (components: ReadonlyArray<GaussianComponent>, x: ReadonlyArray<number>, alphaBar: number): number => {
  const a = Math.sqrt(alphaBar);
  const total = components.reduce((s, c) => s + c.weight, 0);
  const terms = components.map((c) => {
    const variance = alphaBar * c.std * c.std + (1 - alphaBar);
    const dist2 = x.reduce((s, xi, i) => s + (xi - a * (c.mean[i] as number)) ** 2, 0);
    return Math.log(c.weight / total) - dist2 / (2 * variance) - (x.length / 2) * Math.log(variance);
  });
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
};

/** Tweedie's formula with a central-difference gradient. */
const tweedie = (components: ReadonlyArray<GaussianComponent>, x: ReadonlyArray<number>, alphaBar: number): number[] => {
  const h = 1e-5;
  return x.map((xi, i) => {
    const up = x.map((v, j) => (j === i ? v + h : v));
    const down = x.map((v, j) => (j === i ? v - h : v));
    const grad = (logNoisyDensity(components, up, alphaBar) - logNoisyDensity(components, down, alphaBar)) / (2 * h);
    return (xi + (1 - alphaBar) * grad) / Math.sqrt(alphaBar);
  });
};

const row = (x: ReadonlyArray<number>): Tensor => ndarray(Float32Array.from(x), [1, x.length]);
/** The float32 value the denoisers read. */
const f32 = (x: ReadonlyArray<number>): number[] => Array.from(Float32Array.from(x));

const closeTo = (actual: ArrayLike<number>, expected: ReadonlyArray<number>, tolerance: number): boolean =>
  expected.every((e, i) => Math.abs((actual[i] as number) - e) <= tolerance * (1 + Math.abs(e)));

describe('exact denoisers', () => {
  test('mixtureDenoiser(components)(x_t, alphaBar).x0 equals Tweedie\'s formula for the mixture', () => {
    fc.assert(
      fc.property(fc.array(componentArb, { minLength: 1, maxLength: 4 }), point, alphaBarArb, (components, x, alphaBar) => {
        const got = mixtureDenoiser(components)(row(x), alphaBar).x0.data;
        return closeTo(got, tweedie(components, f32(x), alphaBar), 1e-5);
      }),
      RUNS,
    );
  });

  test('datasetDenoiser(points) equals Tweedie\'s formula for the empirical distribution (std 0 components)', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 6 }), point, alphaBarArb, (points, x, alphaBar) => {
        const components = points.map((p) => ({ weight: 1, mean: p, std: 0 }));
        const got = datasetDenoiser(points)(row(x), alphaBar).x0.data;
        return closeTo(got, tweedie(components, f32(x), alphaBar), 1e-5);
      }),
      RUNS,
    );
  });

  test('gaussianDenoiser(mean, std) equals the one-component mixture, for every row of a batch', () => {
    fc.assert(
      fc.property(point, fc.double({ min: 0.1, max: 2, noNaN: true }), fc.array(point, { minLength: 1, maxLength: 3 }), alphaBarArb, (mean, std, xs, alphaBar) => {
        const x = ndarray(Float32Array.from(xs.flat()), [xs.length, DIM]);
        const g = gaussianDenoiser(mean, std, DIM)(x, alphaBar);
        const m = mixtureDenoiser([{ weight: 1, mean, std }])(x, alphaBar);
        return closeTo(g.x0.data, Array.from(m.x0.data), 1e-6) && closeTo(g.eps.data, Array.from(m.eps.data), 1e-6);
      }),
      RUNS,
    );
  });

  test('a row of m * D values is m independent draws: the same as m rows of D', () => {
    fc.assert(
      fc.property(fc.array(componentArb, { minLength: 1, maxLength: 3 }), fc.array(point, { minLength: 1, maxLength: 4 }), alphaBarArb, (components, xs, alphaBar) => {
        const denoise = mixtureDenoiser(components);
        const wide = denoise(ndarray(Float32Array.from(xs.flat()), [1, xs.length * DIM]), alphaBar);
        const tall = denoise(ndarray(Float32Array.from(xs.flat()), [xs.length, DIM]), alphaBar);
        return Array.from(wide.v.data).every((v, i) => v === tall.v.data[i]);
      }),
      RUNS,
    );
  });

  test('eps and v follow from x0 by x_t = a x0 + b eps and v = a eps - b x0, and exactModel picks by prediction type', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 1, maxLength: 5 }), point, alphaBarArb, (points, x, alphaBar) => {
        const out = datasetDenoiser(points)(row(x), alphaBar);
        const a = Math.sqrt(alphaBar);
        const b = Math.sqrt(1 - alphaBar);
        const xs = f32(x);
        const consistent = xs.every((xi, i) => {
          const x0 = out.x0.data[i] as number;
          const eps = out.eps.data[i] as number;
          return Math.abs(a * x0 + b * eps - xi) < 1e-5 && Math.abs(a * eps - b * x0 - (out.v.data[i] as number)) < 1e-5;
        });
        const table = [alphaBar];
        const picks =
          exactModel(datasetDenoiser(points), table, 'epsilon')(row(x), 0).data[0] === out.eps.data[0] &&
          exactModel(datasetDenoiser(points), table, 'sample')(row(x), 0).data[0] === out.x0.data[0] &&
          exactModel(datasetDenoiser(points), table, 'v_prediction')(row(x), 0).data[0] === out.v.data[0];
        return consistent && picks;
      }),
      RUNS,
    );
  });

  test('at alphaBar 0 there is no signal: x0 is the data mean and eps is x_t itself', () => {
    const out = mixtureDenoiser([{ weight: 1, mean: [1, -1], std: 0.5 }, { weight: 3, mean: [-1, 3], std: 0.2 }])(row([0.3, -0.7]), 0);
    expect(Array.from(out.x0.data)).toEqual([Math.fround(0.25 * 1 + 0.75 * -1), Math.fround(0.25 * -1 + 0.75 * 3)]);
    expect(Array.from(out.eps.data)).toEqual(f32([0.3, -0.7]));
  });
});
