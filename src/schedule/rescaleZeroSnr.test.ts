import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { scheduleFixture, type ScheduleCase } from '../../test-utils/scheduleFixture.js';
import { maxRelativeError } from '../../test-utils/float.js';
import { TORCH_FLAVORS, bitDifference, float32Of, torchSchedule, type TorchScheduleCase } from '../../test-utils/torchFixtures.js';
import { makeBetaSchedule } from './makeBetaSchedule.js';
import { makeTables } from './makeTables.js';
import { rescaleZeroSnr } from './rescaleZeroSnr.js';
import type { Table } from './types.js';

const fixture = scheduleFixture();

const betasOf = (c: ScheduleCase): Table => {
  const r = makeBetaSchedule(c);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

describe('rescaleZeroSnr against torch 1.13 running diffusers (fixtures/torch/<flavor>/schedule.json)', () => {
  describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))('%s', (flavor) => {
    const torch = torchSchedule(flavor);
    const plainOf = (c: TorchScheduleCase) =>
      torch.cases.find((p) => !p.rescale && p.betaSchedule === c.betaSchedule && p.numTrainTimesteps === c.numTrainTimesteps);

    // from torch's unrescaled betas, so that no linspace is involved: sqrt, cumprod, the shift and scale
    // of the roots and the ratio of squares, all in float32 as torch computes them
    it.each(torch.cases.filter((c) => c.rescale).map((c) => [c.betaSchedule, c.numTrainTimesteps, c] as const))(
      "'%s' with %i steps: torch's betas rescaled equal torch's rescaled betas bit for bit",
      (_name, _n, c) => {
        const plain = plainOf(c);
        if (plain === undefined) throw new Error('no unrescaled case');
        const betas = rescaleZeroSnr(float32Of(plain.betas));
        expect(betas).toBeInstanceOf(Float32Array);
        expect(bitDifference(betas as Float32Array, c.betas)).toBeNull();
      },
    );

    it("rescales the trained betas to torch's bit for bit", () => {
      const rescaled = torch.trained.find((c) => c.rescale);
      expect(rescaled && bitDifference(rescaleZeroSnr(Float32Array.from(torch.trainedBetas)) as Float32Array, rescaled.betas)).toBeNull();
    });
  });
});

describe('rescaleZeroSnr', () => {
  const rescaled = fixture.cases.filter((c) => c.rescale && c.numTrainTimesteps > 1);

  it.each(rescaled.filter((c) => c.precision === 'float64').map((c) => [c.betaSchedule, c.numTrainTimesteps, c] as const))(
    "'%s' with %i steps in float64 equals the float64 transcription",
    (_name, _n, c) => {
      const betas = rescaleZeroSnr(betasOf(c));
      expect(betas).toBeInstanceOf(Float64Array);
      expect(maxRelativeError(betas, c.betas)).toBeLessThanOrEqual(5e-12);
    },
  );

  it.each(fixture.trained.filter((c) => c.rescale && c.precision === 'float64').map((c) => [c.precision, c] as const))(
    'rescales trained betas in %s as the transcription does',
    (_precision, c) => {
      expect(maxRelativeError(rescaleZeroSnr(Float64Array.from(fixture.trainedBetas)), c.betas)).toBeLessThanOrEqual(1e-12);
    },
  );

  it('ends in beta 1, so alphasCumprod reaches exactly 0 at the last timestep', () => {
    const betas = rescaleZeroSnr(Float32Array.from([0.1, 0.2, 0.3]));
    expect(betas[2]).toBe(1);
    expect(makeTables(betas).alphasCumprod[2]).toBe(0);
  });

  it('keeps alphasCumprod[0] (to float32 rounding)', () => {
    const before = Float32Array.from([0.1, 0.2, 0.3]);
    const after = rescaleZeroSnr(before);
    expect(makeTables(after).alphasCumprod[0]).toBeCloseTo(0.9, 6);
  });

  it.each(['float32', 'float64'] as const)('a single %s beta becomes 1 (diffusers divides 0 by 0: NaN)', (precision) => {
    const one = precision === 'float32' ? Float32Array.from([0.0001]) : Float64Array.from([0.0001]);
    expect(Array.from(rescaleZeroSnr(one))).toEqual([1]);
  });

  it('the fixture records the same defined value for T = 1', () => {
    for (const c of fixture.cases.filter((x) => x.rescale && x.numTrainTimesteps === 1)) expect(c.betas).toEqual([1]);
  });

  it('a constant sqrt(alphasCumprod) (betas that vanish in float32) gives betas of 1, not NaN', () => {
    expect(Array.from(rescaleZeroSnr(Float32Array.from([1e-9, 1e-9, 1e-9])))).toEqual([1, 1, 1]);
  });

  it('a product that underflows to 0 before the end gives betas of 1 there, not NaN', () => {
    const betas = rescaleZeroSnr(new Float32Array(200).fill(0.5));
    expect(betas.every((b) => b > 0 && b <= 1)).toBe(true);
    expect(betas[199]).toBe(1);
  });

  it('returns the same array type and leaves its input unchanged', () => {
    const input = Float64Array.from([0.1, 0.2, 0.3]);
    const copy = input.slice();
    const out = rescaleZeroSnr(input);
    expect(out).toBeInstanceOf(Float64Array);
    expect(out).not.toBe(input);
    expect(input).toEqual(copy);
  });

  it.each([
    ['an empty table (no schedule has zero steps)', new Float32Array(0), 'betas.length'],
    ['a beta above 1 (a negative alpha: NaN roots)', Float32Array.of(1.5, 0.5), 'betas[0]'],
    ['a zero beta', Float64Array.of(0.1, 0), 'betas[1]'],
    ['NaN', Float32Array.of(NaN), 'betas[0]'],
    ['a plain array', [0.1, 0.2], 'betas'],
    ['null', null, 'betas'],
  ])('throws a SchedulerException (InvalidBetas) naming the entry for %s', (_name, betas, parameter) => {
    let error: unknown;
    try {
      rescaleZeroSnr(betas as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchedulerException);
    expect([(error as SchedulerException).error._tag, (error as SchedulerException).error.parameter]).toEqual(['InvalidBetas', parameter]);
  });
});

describe('makeTables', () => {
  it.each([
    ['a beta above 1 (a negative alpha)', Float32Array.of(2, 0.5), 'betas[0]'],
    ['an empty table', new Float64Array(0), 'betas.length'],
    ['a number', 5, 'betas'],
  ])('throws a SchedulerException (InvalidBetas) naming the entry for %s', (_name, betas, parameter) => {
    expect(() => makeTables(betas as never)).toThrow(SchedulerException);
    try {
      makeTables(betas as never);
    } catch (e) {
      expect((e as SchedulerException).error.parameter).toBe(parameter);
    }
  });
});
