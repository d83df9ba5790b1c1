import * as E from 'fp-ts/lib/Either.js';
import { scheduleFixture, type ScheduleCase } from '../../test-utils/scheduleFixture.js';
import { maxRelativeError } from '../../test-utils/float.js';
import { TORCH_FLAVORS, bitDifference, capabilityOf, float32Of, linspaceBased, torchSchedule, type TorchScheduleCase } from '../../test-utils/torchFixtures.js';
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

describe('makeTables against torch 1.13 running diffusers (fixtures/torch/<flavor>/schedule.json)', () => {
  describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))('%s', (flavor) => {
    const torch = torchSchedule(flavor);
    const torchLabel = (c: TorchScheduleCase) => [c.betaSchedule, c.numTrainTimesteps, c.rescale ? 'rescaled' : 'plain', c] as const;

    // from torch's own betas (after any rescale), so that no linspace is involved: 1 - beta and the
    // cumprod (accumulated in double, each partial product rounded to float32) are the same on every CPU
    it.each(torch.cases.map(torchLabel))("alphas and alphasCumprod of '%s' with %i steps (%s) from torch's betas equal torch's bit for bit", (_s, _n, _r, c) => {
      const { alphas, alphasCumprod } = makeTables(float32Of(c.betas));
      expect(alphasCumprod).toBeInstanceOf(Float32Array);
      expect(bitDifference(alphas as Float32Array, c.alphas)).toBeNull();
      expect(bitDifference(alphasCumprod as Float32Array, c.alphasCumprod)).toBeNull();
    });

    // the alpha-bar schedules need no linspace: the whole chain, schedule -> rescale -> tables, is the library's
    it.each(torch.cases.filter((c) => !linspaceBased(c)).map(torchLabel))("'%s' with %i steps (%s) computed by the library has torch's tables bit for bit", (_s, _n, _r, c) => {
      const r = makeBetaSchedule({ ...c, precision: 'float32', cpuCapability: capabilityOf(flavor) });
      if (E.isLeft(r)) throw new Error(r.left.message);
      const betas = c.rescale ? rescaleZeroSnr(r.right) : r.right;
      const { alphasCumprod } = makeTables(betas);
      expect(bitDifference(betas as Float32Array, c.betas)).toBeNull();
      expect(bitDifference(alphasCumprod as Float32Array, c.alphasCumprod)).toBeNull();
    });

    it.each(torch.trained.map((c) => [c.rescale ? 'rescaled' : 'plain', c] as const))('the trained betas (%s) give torch\'s alphas and alphasCumprod', (_r, c) => {
      const { alphas, alphasCumprod } = makeTables(float32Of(c.betas));
      expect(bitDifference(alphas as Float32Array, c.alphas)).toBeNull();
      expect(bitDifference(alphasCumprod as Float32Array, c.alphasCumprod)).toBeNull();
    });
  });
});

describe('makeTables', () => {
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
