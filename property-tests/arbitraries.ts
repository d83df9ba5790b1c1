import fc from 'fast-check';
import ndarray from 'ndarray';
import type { DDPMConfig } from '../src/scheduler/index.js';
import type { Tensor } from '../src/tensor/index.js';

// Trained betas scaled (by at most 1) so that -log(alphasCumprod[T-1]) <= 20: alphasCumprod then stays
// above 2e-9 and, rescaled to zero terminal SNR, > 0 before the last timestep in float32. Unscaled,
// 400 betas averaging 0.25 drive it to 0 (validateConfig refuses that: the step after is 0 / 0).
const withBoundedDecay = (betas: ReadonlyArray<number>): ReadonlyArray<number> => {
  const decay = betas.reduce((sum, b) => sum - Math.log1p(-b), 0);
  const scale = Math.min(1, 20 / decay);
  return betas.map((b) => b * scale);
};

/**
 * A valid DDPMConfig, built by mapping over a record (never filtering): every option value, trained
 * betas now and then, and an offset that always leaves room for a leading timestep.
 */
export const validConfigArb: fc.Arbitrary<Partial<DDPMConfig>> = fc
  .record({
    numTrainTimesteps: fc.integer({ min: 2, max: 400 }),
    betaStart: fc.double({ min: 1e-5, max: 1e-3, noNaN: true }),
    betaSpan: fc.double({ min: 0, max: 0.05, noNaN: true }),
    betaSchedule: fc.constantFrom('linear', 'scaled_linear', 'squaredcos_cap_v2', 'sigmoid', 'laplace' as const),
    trained: fc.option(fc.array(fc.double({ min: 1e-4, max: 0.5, noNaN: true }), { minLength: 400, maxLength: 400 }), { freq: 5 }),
    varianceType: fc.constantFrom('fixed_small', 'fixed_small_log', 'fixed_large', 'fixed_large_log', 'learned', 'learned_range' as const),
    clipSample: fc.boolean(),
    predictionType: fc.constantFrom('epsilon', 'sample', 'v_prediction' as const),
    thresholding: fc.boolean(),
    dynamicThresholdingRatio: fc.double({ min: 0, max: 1, noNaN: true }),
    clipSampleRange: fc.double({ min: 0.1, max: 10, noNaN: true }),
    sampleMaxValue: fc.double({ min: 0.1, max: 10, noNaN: true }),
    timestepSpacing: fc.constantFrom('leading', 'trailing', 'linspace' as const),
    offsetFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    rescaleBetasZeroSnr: fc.boolean(),
    precision: fc.constantFrom('float32', 'float64' as const),
  })
  .map(({ betaSpan, trained, offsetFraction, ...c }) => ({
    ...c,
    betaEnd: c.betaStart + betaSpan,
    // rescaled, a tiny last beta after a large one makes the one before it round to 1 in float32
    // (alphasCumprod 0 at T - 2, refused); increasing betas, as real schedules have, never do
    trainedBetas:
      trained === null
        ? null
        : withBoundedDecay(c.rescaleBetasZeroSnr ? trained.slice(0, c.numTrainTimesteps).sort((a, b) => a - b) : trained.slice(0, c.numTrainTimesteps)),
    // an offset below numTrainTimesteps; whether it fits a given n is setTimesteps' business
    stepsOffset: Math.floor(offsetFraction * 0.5 * (c.numTrainTimesteps - 1)),
  }));

/** A small float32 tensor of the given shape with values in [-4, 4]. */
export const tensorArb = (shape: ReadonlyArray<number>): fc.Arbitrary<Tensor> => {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc
    .array(fc.float({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }), { minLength: size, maxLength: size })
    .map((values) => ndarray(Float32Array.from(values), [...shape]));
};

/**
 * The scalars of one posterior pass, each already rounded as the pass takes it (to float32 for a
 * float32 pass): every mode code, clip ranges and thresholds from tiny to float32 max and infinity.
 */
export const passScalarsArb = fc
  .record({
    float32: fc.boolean(),
    prediction: fc.constantFrom(0, 1, 2 as const),
    clipMode: fc.constantFrom(0, 1, 2 as const),
    noise: fc.constantFrom(0, 1, 2, 3 as const),
    expKind: fc.constantFrom(0, 1 as const),
    a: fc.double({ min: 1e-3, max: 1, noNaN: true }),
    b: fc.double({ min: 0, max: 1, noNaN: true }),
    c: fc.oneof(fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.constantFrom(1, 3.4028234663852886e38, Infinity)),
    c0: fc.double({ min: 0, max: 1, noNaN: true }),
    ct: fc.double({ min: 0, max: 1, noNaN: true }),
    sd: fc.double({ min: 0, max: 1, noNaN: true }),
    minLog: fc.double({ min: -46, max: 0, noNaN: true }),
    spread: fc.double({ min: 0, max: 5, noNaN: true }),
  })
  .map(({ spread, ...s }) => {
    const r = s.float32 ? Math.fround : (v: number) => v;
    return {
      ...s,
      prediction: s.prediction as 0 | 1 | 2,
      clipMode: s.clipMode as 0 | 1 | 2,
      noise: s.noise as 0 | 1 | 2 | 3,
      a: r(s.a), b: r(s.b), c: r(s.c), c0: r(s.c0), ct: r(s.ct), sd: r(s.sd), minLog: r(s.minLog), maxLog: r(s.minLog + spread),
    };
  });

/**
 * Float32 values for a kernel's operands: mostly moderate, with signed zeros, subnormals, huge values,
 * infinities and NaN mixed in.
 */
export const float32ValuesArb = (length: number): fc.Arbitrary<Float32Array> =>
  fc
    .array(
      fc.oneof(
        { weight: 12, arbitrary: fc.double({ min: -8, max: 8, noNaN: true }) },
        { weight: 1, arbitrary: fc.constantFrom(0, -0, 2 ** -149, -(2 ** -140), 1e30, -3e38, Infinity, -Infinity, NaN) },
      ),
      { minLength: length, maxLength: length },
    )
    .map((values) => Float32Array.from(values));

/**
 * A config at the edges of what validation accepts (issue 15): betas from 1e-12 to 1 (computed ones
 * reaching 1, trained ones mixing tiny and large values), clip ranges and threshold maxima from 1e-46
 * (0 in float32) to 1e39 (infinite in float32), short schedules. Many are rejected; a property keeps
 * the ones `createScheduler` accepts.
 */
export const edgeConfigArb: fc.Arbitrary<Partial<DDPMConfig>> = fc
  .record({
    numTrainTimesteps: fc.integer({ min: 1, max: 40 }),
    betaStart: fc.oneof(fc.double({ min: 1e-12, max: 1, noNaN: true }), fc.constantFrom(1e-4, 0.5, 0.999, 1)),
    betaSpanFraction: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)),
    betaSchedule: fc.constantFrom('linear', 'scaled_linear', 'squaredcos_cap_v2', 'sigmoid', 'laplace' as const),
    trained: fc.option(
      fc.array(
        fc.oneof(
          { weight: 2, arbitrary: fc.double({ min: 1e-12, max: 1, noNaN: true }) },
          // runs of betas too small to change alphasCumprod in float32
          { weight: 1, arbitrary: fc.double({ min: 1e-12, max: 1e-7, noNaN: true }) },
          { weight: 1, arbitrary: fc.constantFrom(1e-9, 1e-30, 0.02, 0.999, 1) },
        ),
        {
        minLength: 40,
        maxLength: 40,
      }),
      { freq: 3 },
    ),
    varianceType: fc.constantFrom('fixed_small', 'fixed_small_log', 'fixed_large', 'fixed_large_log', 'learned', 'learned_range' as const),
    clipSample: fc.boolean(),
    predictionType: fc.constantFrom('epsilon', 'sample', 'v_prediction' as const),
    thresholding: fc.boolean(),
    dynamicThresholdingRatio: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1)),
    clipSampleRange: fc.oneof(fc.double({ min: 1e-46, max: 1e39, noNaN: true }), fc.constantFrom(1e-46, 1e-40, 1, 3.5e38, 1e39)),
    sampleMaxValue: fc.oneof(fc.double({ min: 1e-46, max: 1e39, noNaN: true }), fc.constantFrom(1e-46, 1e-40, 1, 3.5e38, 1e39)),
    timestepSpacing: fc.constantFrom('leading', 'trailing', 'linspace' as const),
    stepsOffset: fc.constantFrom(0, 1),
    rescaleBetasZeroSnr: fc.boolean(),
    precision: fc.constantFrom('float32', 'float64' as const),
  })
  .map(({ betaSpanFraction, trained, ...c }) => ({
    ...c,
    // betaEnd in [betaStart, 1]
    betaEnd: c.betaStart + betaSpanFraction * (1 - c.betaStart),
    trainedBetas: trained === null ? null : trained.slice(0, c.numTrainTimesteps),
    stepsOffset: Math.min(c.stepsOffset, c.numTrainTimesteps - 1),
  }));

/** A small float32 tensor of the given shape with values in [-bound, bound]. */
export const boundedTensorArb = (shape: ReadonlyArray<number>, bound: number): fc.Arbitrary<Tensor> => {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc
    .array(fc.float({ min: Math.fround(-bound), max: Math.fround(bound), noNaN: true, noDefaultInfinity: true }), {
      minLength: size,
      maxLength: size,
    })
    .map((values) => ndarray(Float32Array.from(values), [...shape]));
};
