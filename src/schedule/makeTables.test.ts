import * as E from 'fp-ts/lib/Either.js';
import { scheduleFixture, type ScheduleCase } from '../../test-utils/scheduleFixture.js';
import { maxRelativeError, maxUlpDistance32 } from '../../test-utils/float.js';
import { makeBetaSchedule } from './makeBetaSchedule.js';
import { makeTables } from './makeTables.js';
import { rescaleZeroSnr } from './rescaleZeroSnr.js';
import type { Table } from './types.js';

const fixture = scheduleFixture();

const betasOf = (c: ScheduleCase): Table => {
  const r = makeBetaSchedule(c);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return c.rescale ? rescaleZeroSnr(r.right) : r.right;
};
const label = (c: ScheduleCase) => [c.betaSchedule, c.numTrainTimesteps, c.rescale ? 'rescaled' : 'plain', c] as const;

describe('makeTables', () => {
  it.each(fixture.cases.filter((c) => c.precision === 'float32').map(label))(
    "alphasCumprod of '%s' with %i steps (%s) equals diffusers' float32 cumprod",
    (_s, _n, _r, c) => {
      const { alphasCumprod } = makeTables(betasOf(c));
      expect(alphasCumprod).toBeInstanceOf(Float32Array);
      expect(maxRelativeError(alphasCumprod, Float32Array.from(c.alphasCumprod))).toBeLessThanOrEqual(c.rescale ? 5e-5 : 2e-6);
      // the double accumulator is reproduced exactly; only the sigmoid's exp can move a beta by a few ulps
      if (c.betaSchedule !== 'sigmoid') expect(maxUlpDistance32(alphasCumprod, c.alphasCumprod)).toBe(0);
    },
  );

  it.each(fixture.cases.filter((c) => c.precision === 'float64').map(label))(
    "alphasCumprod of '%s' with %i steps (%s) in float64 equals the float64 transcription",
    (_s, _n, _r, c) => {
      const { alphasCumprod } = makeTables(betasOf(c));
      expect(alphasCumprod).toBeInstanceOf(Float64Array);
      expect(maxRelativeError(alphasCumprod, c.alphasCumprod)).toBeLessThanOrEqual(1e-12);
    },
  );

  it('accumulates the float32 product in double and rounds each partial product once, as torch does', () => {
    const alpha = Math.fround(1 - 0.01);
    const { alphasCumprod } = makeTables(new Float32Array(3).fill(0.01));
    // a float32 accumulator would give Math.fround(Math.fround(alpha * alpha) * alpha), one ulp away
    expect(alphasCumprod[2]).toBe(Math.fround(alpha * alpha * alpha));
    expect(alphasCumprod[2]).not.toBe(Math.fround(Math.fround(alpha * alpha) * alpha));
  });

  it('alphas are 1 - betas in the table precision', () => {
    const { alphas } = makeTables(Float64Array.from([0.1, 0.25]));
    expect(Array.from(alphas)).toEqual([0.9, 0.75]);
  });

  it('is frozen, copies the betas and leaves its input unchanged', () => {
    const betas = Float32Array.from([0.1, 0.2]);
    const tables = makeTables(betas);
    expect(Object.isFrozen(tables)).toBe(true);
    expect(tables.betas).not.toBe(betas);
    expect(tables.betas).toEqual(betas);
    expect(betas).toEqual(Float32Array.from([0.1, 0.2]));
  });
});
