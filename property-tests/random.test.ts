import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import {
  fromGeneratorState,
  generatorState,
  rand,
  randn,
  randnInto,
  torchGenerator,
  type TorchGenerator,
} from '../src/random/index.js';

// ---- arbitraries -----------------------------------------------------------------------------

/** Every seed torch.manual_seed accepts. */
const seedArb = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n });
/** Small shapes of rank 0..3, zero sizes included; both randn paths occur (numel < 16 and >= 16). */
const shapeArb = fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 3 });
interface Draw {
  readonly op: 'rand' | 'randn';
  readonly shape: number[];
}
const drawArb = fc.record({ normal: fc.boolean(), shape: shapeArb }).map(
  ({ normal, shape }): Draw => ({ op: normal ? 'randn' : 'rand', shape }),
);
/** A generator part-way through its stream, with or without a cached normal. */
const generatorArb = fc
  .record({ seed: seedArb, draws: fc.array(drawArb, { maxLength: 4 }) })
  .map(({ seed, draws }) => draws.reduce((g, d) => apply(g, d)[1], torchGenerator(seed)));

const apply = (g: TorchGenerator, d: Draw) => (d.op === 'randn' ? randn(g, d.shape) : rand(g, d.shape));
const values = (g: TorchGenerator, d: Draw): Float32Array => apply(g, d)[0].data;
const stateJson = (g: TorchGenerator): string => JSON.stringify(generatorState(g));

/** Element-wise identity (Object.is, so -0 and NaN count); a plain loop, as jest's deep equality is slow here. */
const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

const RUNS = { numRuns: 1000 };

// ---- invariants ------------------------------------------------------------------------------

describe('generators are values', () => {
  it('the same seed gives the same numbers, draw after draw', () => {
    fc.assert(
      fc.property(seedArb, fc.array(drawArb, { minLength: 1, maxLength: 4 }), (seed, draws) => {
        let a = torchGenerator(seed);
        let b = torchGenerator(seed);
        for (const d of draws) {
          const [x, nextA] = apply(a, d);
          const [y, nextB] = apply(b, d);
          if (!same(x.data, y.data)) return false;
          a = nextA;
          b = nextB;
        }
        return true;
      }),
      RUNS,
    );
  });

  it('a draw leaves its generator and its shape argument unchanged, so drawing again repeats it', () => {
    fc.assert(
      fc.property(generatorArb, drawArb, (g, d) => {
        const before = stateJson(g);
        const shape = [...d.shape];
        const first = values(g, { op: d.op, shape });
        return same(shape, d.shape) && stateJson(g) === before && same(values(g, d), first);
      }),
      RUNS,
    );
  });

  it('the state round-trips through JSON exactly, and the restored generator draws the same numbers', () => {
    fc.assert(
      fc.property(generatorArb, fc.array(drawArb, { minLength: 1, maxLength: 3 }), (g, draws) => {
        const json = stateJson(g);
        const restored = fromGeneratorState(JSON.parse(json));
        if (E.isLeft(restored)) throw new Error(restored.left.message);
        if (stateJson(restored.right) !== json) return false;
        let a = g;
        let b = restored.right;
        for (const d of draws) {
          if (!same(values(b, d), values(a, d))) return false;
          a = apply(a, d)[1];
          b = apply(b, d)[1];
        }
        return true;
      }),
      RUNS,
    );
  });

  it('rand is one stream: rand(a) then rand(b) equals rand(a + b)', () => {
    fc.assert(
      fc.property(generatorArb, fc.integer({ min: 0, max: 700 }), fc.integer({ min: 0, max: 700 }), (g, a, b) => {
        const [first, next] = rand(g, [a]);
        const [second] = rand(next, [b]);
        const whole = values(g, { op: 'rand', shape: [a + b] });
        return same(first.data, whole.subarray(0, a)) && same(second.data, whole.subarray(a));
      }),
      RUNS,
    );
  });
});

// ---- statistics over 10^6 draws (one run each: these are checks of the distribution, not of cases) --

const SAMPLES = 1_000_000;
const Z = 5; // standard errors allowed

/** Expects `observed` within Z standard errors of `expected`. */
const within = (observed: number, expected: number, standardError: number): void => {
  expect(Math.abs(observed - expected)).toBeLessThanOrEqual(Z * standardError);
};

const moments = (xs: Float32Array): { mean: number; variance: number } => {
  let sum = 0;
  for (const x of xs) sum += x;
  const mean = sum / xs.length;
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  return { mean, variance: squares / (xs.length - 1) };
};

/** Counts per bin for the edges given (the first and last bins are open). */
const histogram = (xs: Float32Array, edges: ReadonlyArray<number>): number[] => {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of xs) {
    let bin = 0;
    while (bin < edges.length && x >= (edges[bin] as number)) bin++;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return counts;
};

const checkHistogram = (counts: ReadonlyArray<number>, probabilities: ReadonlyArray<number>): void => {
  counts.forEach((count, i) => {
    const p = probabilities[i] as number;
    within(count, SAMPLES * p, Math.sqrt(SAMPLES * p * (1 - p)));
  });
};

// Phi(0.5), Phi(1), Phi(2) of the standard normal, to double precision.
const PHI_05 = 0.6914624612740131;
const PHI_1 = 0.8413447460685429;
const PHI_2 = 0.9772498680518208;
const NORMAL_EDGES = [-2, -1, -0.5, 0, 0.5, 1, 2];
const NORMAL_BINS = [1 - PHI_2, PHI_2 - PHI_1, PHI_1 - PHI_05, PHI_05 - 0.5, PHI_05 - 0.5, PHI_1 - PHI_05, PHI_2 - PHI_1, 1 - PHI_2];

const checkStandardNormal = (xs: Float32Array): void => {
  const { mean, variance } = moments(xs);
  within(mean, 0, 1 / Math.sqrt(SAMPLES));
  within(variance, 1, Math.sqrt(2 / SAMPLES));
  checkHistogram(histogram(xs, NORMAL_EDGES), NORMAL_BINS);
};

describe('distributions over 10^6 draws', () => {
  it('randn on the float32 block path has the mean, variance and histogram of N(0, 1)', () => {
    const out = new Float32Array(SAMPLES);
    randnInto(out, torchGenerator(20240611));
    checkStandardNormal(out);
  });

  it('randn on the double path (draws of fewer than 16, with the cached normal) is N(0, 1) too', () => {
    const out = new Float32Array(SAMPLES);
    const chunk = new Float32Array(15);
    let g = torchGenerator(77);
    for (let i = 0; i < SAMPLES; i += 15) {
      g = randnInto(chunk, g);
      out.set(chunk.subarray(0, Math.min(15, SAMPLES - i)), i);
    }
    checkStandardNormal(out);
  });

  it('rand lies in [0, 1) with the mean, variance and histogram of U[0, 1)', () => {
    const [u] = rand(torchGenerator(31337), [SAMPLES]);
    let outside = 0;
    for (const x of u.data) if (!(x >= 0 && x < 1)) outside++;
    expect(outside).toBe(0);
    const { mean, variance } = moments(u.data);
    within(mean, 0.5, Math.sqrt(1 / 12 / SAMPLES));
    // The sample variance of U[0, 1) has standard error sqrt((mu4 - sigma^4) / n) = sqrt(1 / (180 n)).
    within(variance, 1 / 12, Math.sqrt(1 / (180 * SAMPLES)));
    checkHistogram(histogram(u.data, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]), new Array(10).fill(0.1));
  });
});
