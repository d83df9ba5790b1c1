import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import ndarray from 'ndarray';
import {
  addNoiseWith,
  ddpmStep,
  defaultStepOptions,
  posteriorCoefficients,
  posteriorStep,
  posteriorStepInto,
  velocityWith,
  type PredictionType,
  type StepOptions,
  type VarianceType,
} from '../src/step/index.js';
import { allocate, type Tensor } from '../src/tensor/index.js';
import { stepFixture } from '../test-utils/stepFixture.js';

// ---- tables ----------------------------------------------------------------------------------

/** diffusers' default linear alphasCumprod (1000 steps), from the numpy transcription. */
const table = Float32Array.from(stepFixture().alphasCumprod);
/** The same with a zero terminal SNR, as rescaleBetasZeroSnr leaves the last entry. */
const zeroSnrTable = Float32Array.from(table, (v, i) => (i === table.length - 1 ? 0 : v));

// ---- arbitraries -----------------------------------------------------------------------------

const predictionTypes: PredictionType[] = ['epsilon', 'sample', 'v_prediction'];
const varianceTypes: VarianceType[] = ['fixed_small', 'fixed_small_log', 'fixed_large', 'fixed_large_log', 'learned', 'learned_range'];
const value = fc.float({ min: -8, max: 8, noNaN: true, noDefaultInfinity: true });
const timestepArb = fc.oneof(fc.constantFrom(0, 1, 998, 999), fc.integer({ min: 0, max: 999 }));

/** A shape `[batch, channels, ...]` of rank 2 to 4 with small sizes. */
const shapeArb = fc
  .record({ batch: fc.integer({ min: 1, max: 3 }), channels: fc.integer({ min: 1, max: 3 }), rest: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }) })
  .map(({ batch, channels, rest }) => [batch, channels, ...rest]);

const optionsArb = fc
  .record({
    predictionType: fc.constantFrom(...predictionTypes),
    varianceType: fc.constantFrom(...varianceTypes),
    clip: fc.constantFrom('clip', 'threshold', 'neither'),
    clipSampleRange: fc.constantFrom(0.5, 1, 2),
    dynamicThresholdingRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    sampleMaxValue: fc.constantFrom(0.5, 1, 3),
  })
  .map(({ clip, ...rest }): StepOptions => ({ ...rest, clipSample: clip === 'clip', thresholding: clip === 'threshold' }));

const tensorArb = (shape: number[]) =>
  fc.array(value, { minLength: size(shape), maxLength: size(shape) }).map((v) => ndarray(Float32Array.from(v), [...shape]) as Tensor);

const size = (shape: ReadonlyArray<number>) => shape.reduce((a, b) => a * b, 1);
const modelShape = (shape: number[], options: StepOptions) =>
  options.varianceType === 'learned' || options.varianceType === 'learned_range'
    ? [shape[0] as number, 2 * (shape[1] as number), ...shape.slice(2)]
    : shape;

/** A whole step problem: options, tensors of matching shapes, one timestep per batch item. */
const problemArb = fc
  .record({ shape: shapeArb, options: optionsArb })
  .chain(({ shape, options }) =>
    fc.record({
      options: fc.constant(options),
      shape: fc.constant(shape),
      sample: tensorArb(shape),
      noise: tensorArb(shape),
      modelOutput: tensorArb(modelShape(shape, options)),
      timesteps: fc.array(timestepArb, { minLength: shape[0] as number, maxLength: shape[0] as number }),
    }),
  );

const RUNS = { numRuns: 1000 };
const snapshot = (...ts: Tensor[]) => ts.map((t) => Array.from(t.data));
const prevOf = (ts: ReadonlyArray<number>) => ts.map((t) => t - 1);
const right = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

// ---- invariants ------------------------------------------------------------------------------

describe('step properties', () => {
  it('never changes its inputs', () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const before = snapshot(p.sample, p.noise, p.modelOutput);
        ddpmStep(table, p.options, { ...p, timestep: p.timesteps, prevTimestep: prevOf(p.timesteps) });
        addNoiseWith(table, p.sample, p.noise, p.timesteps);
        velocityWith(table, p.sample, p.noise, p.timesteps);
        expect(snapshot(p.sample, p.noise, p.modelOutput)).toEqual(before);
      }),
      RUNS,
    );
  });

  it('posteriorStepInto writes exactly what posteriorStep returns', () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const coefficients = p.timesteps.map((t) => right(posteriorCoefficients(table, t, t - 1, p.options.varianceType)));
        const inputs = { modelOutput: p.modelOutput, sample: p.sample, noise: p.noise };
        if (p.options.predictionType === 'epsilon') coefficients.forEach((k) => expect(k.alphaProdT).toBeGreaterThan(0));
        const pure = right(posteriorStep(inputs, coefficients, p.options));
        const out = { prevSample: allocate(p.shape), predOriginalSample: allocate(p.shape) };
        right(posteriorStepInto(out, inputs, coefficients, p.options));
        expect(snapshot(out.prevSample, out.predOriginalSample)).toEqual(snapshot(pure.prevSample, pure.predOriginalSample));
      }),
      RUNS,
    );
  });

  it('a batch with per-sample timesteps equals single-timestep steps row by row', () => {
    fc.assert(
      fc.property(problemArb, (p) => {
        const batched = right(ddpmStep(table, p.options, { ...p, timestep: p.timesteps, prevTimestep: prevOf(p.timesteps) }));
        const item = size(p.shape) / (p.shape[0] as number);
        p.timesteps.forEach((t, b) => {
          const single = right(ddpmStep(table, p.options, { ...p, timestep: t, prevTimestep: t - 1 }));
          const rows = (x: Tensor) => Array.from(x.data.subarray(b * item, (b + 1) * item));
          expect(rows(batched.prevSample)).toEqual(rows(single.prevSample));
          expect(rows(batched.predOriginalSample)).toEqual(rows(single.predOriginalSample));
        });
      }),
      RUNS,
    );
  });

  it('finite inputs give finite outputs in every configuration (only epsilon at zero SNR is an error)', () => {
    fc.assert(
      fc.property(problemArb, fc.boolean(), (p, zeroSnr) => {
        const r = ddpmStep(zeroSnr ? zeroSnrTable : table, p.options, {
          ...p,
          timestep: p.timesteps,
          prevTimestep: prevOf(p.timesteps),
        });
        if (E.isLeft(r)) {
          expect(r.left._tag).toBe('ZeroTerminalSnr');
          expect(zeroSnr && p.options.predictionType === 'epsilon' && p.timesteps.includes(999)).toBe(true);
          return;
        }
        expect(r.right.prevSample.data.every(Number.isFinite)).toBe(true);
        expect(r.right.predOriginalSample.data.every(Number.isFinite)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('exact recovery of the original (clipping off)', () => {
  const recoveryArb = fc
    .record({ shape: shapeArb, predictionType: fc.constantFrom(...predictionTypes) })
    .chain(({ shape, predictionType }) =>
      fc.record({
        shape: fc.constant(shape),
        predictionType: fc.constant(predictionType),
        original: tensorArb(shape),
        noise: tensorArb(shape),
        timesteps: fc.array(timestepArb, { minLength: shape[0] as number, maxLength: shape[0] as number }),
      }),
    );
  const u = 2 ** -24;

  it('sample with the original, epsilon with the true noise, v_prediction with getVelocity give x0 = original', () => {
    fc.assert(
      fc.property(recoveryArb, (p) => {
        const noisy = right(addNoiseWith(table, p.original, p.noise, p.timesteps));
        const modelOutput =
          p.predictionType === 'sample'
            ? p.original
            : p.predictionType === 'epsilon'
              ? p.noise
              : right(velocityWith(table, p.original, p.noise, p.timesteps));
        const options = { ...defaultStepOptions, predictionType: p.predictionType, clipSample: false };
        const out = right(
          ddpmStep(table, options, { modelOutput, sample: noisy, noise: p.noise, timestep: p.timesteps, prevTimestep: prevOf(p.timesteps) }),
        );
        const item = size(p.shape) / (p.shape[0] as number);
        for (let i = 0; i < size(p.shape); i++) {
          const a = table[p.timesteps[Math.floor(i / item)] as number] as number;
          const x = p.original.data[i] as number;
          const got = out.predOriginalSample.data[i] as number;
          if (p.predictionType === 'sample') {
            // numerically equal (a zero may come back with the other sign)
            expect(got === x).toBe(true);
            continue;
          }
          // float32 rounding of x_t (and of v) is amplified by 1 / sqrt(alphaBar) in eq. 15
          const scale =
            p.predictionType === 'epsilon'
              ? (Math.abs(noisy.data[i] as number) + Math.abs(p.noise.data[i] as number)) / Math.sqrt(a)
              : Math.abs(noisy.data[i] as number) + Math.abs(modelOutput.data[i] as number);
          // plus float32's smallest normal, below which the rounding is absolute (subnormals)
          expect(Math.abs(got - x)).toBeLessThanOrEqual(8 * u * (scale + Math.abs(x)) + 2 ** -126);
        }
      }),
      RUNS,
    );
  });
});
