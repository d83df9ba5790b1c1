import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { ulpDistance32 } from '../test-utils/float.js';
import {
  BETA_SCHEDULES,
  TIMESTEP_SPACINGS,
  customTimesteps,
  makeBetaSchedule,
  makeTables,
  previousTimestepIn,
  rescaleZeroSnr,
  timestepsFor,
  type BetaScheduleSpec,
  type Table,
} from '../src/schedule/index.js';

const RUNS = { numRuns: 1000 };

// ---- arbitraries -------------------------------------------------------------------------------

/**
 * Configs whose alphasCumprod is strictly decreasing in (0, 1] in float32. The restriction is real, not
 * convenience: a beta below about 2^-23 leaves 1 - beta = 1 (or a step smaller than a float32 ulp) so two
 * partial products round to the same float32, and betas near 1 for many steps underflow the product to 0.
 * Betas in [1e-5, 0.05] with T <= 1000 stay clear of both; cosine and laplace use no bounds.
 */
const decreasingSpec: fc.Arbitrary<BetaScheduleSpec> = fc
  .record({
    schedule: fc.constantFrom(...BETA_SCHEDULES),
    numTrainTimesteps: fc.integer({ min: 2, max: 1000 }),
    betaStart: fc.double({ min: 1e-5, max: 0.05, noNaN: true }),
    betaEnd: fc.double({ min: 1e-5, max: 0.05, noNaN: true }),
    precision: fc.constantFrom('float32' as const, 'float64' as const),
  })
  .map(({ schedule, ...rest }) => ({ ...rest, betaSchedule: schedule }));

/** Any valid config: bounds anywhere in [1e-30, 1], T from 1. */
const anySpec: fc.Arbitrary<BetaScheduleSpec> = fc
  .record({
    schedule: fc.constantFrom(...BETA_SCHEDULES),
    numTrainTimesteps: fc.integer({ min: 1, max: 1000 }),
    betaStart: fc.double({ min: 1e-30, max: 1, noNaN: true }),
    betaEnd: fc.double({ min: 1e-30, max: 1, noNaN: true }),
    precision: fc.constantFrom('float32' as const, 'float64' as const),
  })
  .map(({ schedule, ...rest }) => ({ ...rest, betaSchedule: schedule }));

/** A valid timestep request for a spacing: n in [1, T], and for leading an offset that keeps it in range. */
const timestepCase = fc
  .record({
    spacing: fc.constantFrom(...TIMESTEP_SPACINGS),
    numTrainTimesteps: fc.integer({ min: 1, max: 5000 }),
    stepsFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
    offsetFraction: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  })
  .map(({ spacing, numTrainTimesteps: T, stepsFraction, offsetFraction }) => {
    const n = 1 + Math.floor(stepsFraction * T);
    const room = T - 1 - (n - 1) * Math.floor(T / n);
    return { spacing, request: { numTrainTimesteps: T, numInferenceSteps: n, stepsOffset: Math.floor(offsetFraction * (room + 1)) } };
  });

const betasOf = (spec: BetaScheduleSpec): Table => {
  const r = makeBetaSchedule(spec);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const strictlyDecreasing = (xs: ArrayLike<number>): boolean => {
  for (let i = 1; i < xs.length; i++) if (!((xs[i] as number) < (xs[i - 1] as number))) return false;
  return true;
};

// ---- properties --------------------------------------------------------------------------------

describe('schedule properties', () => {
  it('alphasCumprod is strictly decreasing within (0, 1]', () => {
    fc.assert(
      fc.property(decreasingSpec, (spec) => {
        const { alphasCumprod } = makeTables(betasOf(spec));
        return strictlyDecreasing(alphasCumprod) && (alphasCumprod[0] as number) <= 1 && (alphasCumprod.at(-1) as number) > 0;
      }),
      RUNS,
    );
  });

  it('betas are in (0, 1] for every valid config', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const betas = betasOf(spec);
        return betas.length === spec.numTrainTimesteps && betas.every((b) => b > 0 && b <= 1);
      }),
      RUNS,
    );
  });

  it('after rescale alphasCumprod decreases strictly from the old alphasCumprod[0] to exactly 0, betas in (0, 1]', () => {
    fc.assert(
      fc.property(decreasingSpec, (spec) => {
        const betas = betasOf(spec);
        const before = makeTables(betas).alphasCumprod[0] as number;
        const rescaled = rescaleZeroSnr(betas);
        const { alphasCumprod } = makeTables(rescaled);
        const first = alphasCumprod[0] as number;
        // kept to float32 rounding: sqrt, shift, scale, square and 1 - (1 - x) each round once
        const kept = betas instanceof Float32Array ? ulpDistance32(first, before) <= 4 : Math.abs(first - before) <= 1e-14;
        return (
          alphasCumprod.at(-1) === 0 &&
          kept &&
          strictlyDecreasing(alphasCumprod) &&
          rescaled.every((b) => b > 0 && b <= 1)
        );
      }),
      RUNS,
    );
  });

  it('timesteps of every spacing have length n, strictly decrease and stay in [0, numTrainTimesteps)', () => {
    fc.assert(
      fc.property(timestepCase, ({ spacing, request }) => {
        const r = timestepsFor(spacing)(request);
        if (E.isLeft(r)) return false;
        const ts = r.right;
        return (
          ts.length === request.numInferenceSteps &&
          strictlyDecreasing(ts) &&
          (ts.at(-1) as number) >= 0 &&
          (ts[0] as number) < request.numTrainTimesteps
        );
      }),
      RUNS,
    );
  });

  it('a leading offset one past the room left is an InvalidTimesteps error', () => {
    fc.assert(
      fc.property(timestepCase, ({ request }) => {
        const { numTrainTimesteps: T, numInferenceSteps: n } = request;
        const room = T - 1 - (n - 1) * Math.floor(T / n);
        const r = timestepsFor('leading')({ ...request, stepsOffset: room + 1 });
        return E.isLeft(r) && r.left._tag === 'InvalidTimesteps' && r.left.parameter === 'stepsOffset';
      }),
      RUNS,
    );
  });

  it('previousTimestepIn walks the schedule in order and ends at -1', () => {
    fc.assert(
      fc.property(timestepCase, ({ spacing, request }) => {
        const r = timestepsFor(spacing)(request);
        if (E.isLeft(r)) return false;
        const ts = r.right;
        let t: number | undefined = ts[0];
        for (let i = 1; i < ts.length; i++) {
          t = previousTimestepIn(ts, t as number);
          if (t !== ts[i]) return false;
        }
        return previousTimestepIn(ts, t as number) === -1;
      }),
      RUNS,
    );
  });

  it('no function mutates its input', () => {
    fc.assert(
      fc.property(
        decreasingSpec,
        fc.array(fc.integer({ min: 0, max: 999 }), { minLength: 1, maxLength: 20 }),
        (spec, raw) => {
          const betas = betasOf(spec);
          const copy = betas.slice();
          makeTables(betas);
          rescaleZeroSnr(betas);
          const trained = Array.from(betas);
          const trainedCopy = trained.slice();
          makeBetaSchedule({ ...spec, trainedBetas: trained });
          const timesteps = [...new Set(raw)].sort((a, b) => b - a);
          const timestepsCopy = timesteps.slice();
          const custom = customTimesteps(timesteps, 1000);
          if (E.isLeft(custom)) return false;
          const customCopy = custom.right.slice();
          previousTimestepIn(custom.right, custom.right[0] as number);
          const same = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).join() === Array.from(b).join();
          return same(betas, copy) && same(trained, trainedCopy) && same(timesteps, timestepsCopy) && same(custom.right, customCopy);
        },
      ),
      RUNS,
    );
  });
});
