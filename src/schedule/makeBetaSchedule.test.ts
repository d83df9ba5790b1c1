import * as E from 'fp-ts/lib/Either.js';
import { scheduleFixture } from '../../test-utils/scheduleFixture.js';
import { maxRelativeError, maxUlpDistance32 } from '../../test-utils/float.js';
import { TORCH_FLAVORS, bitDifference, capabilityOf, float32Of, linspaceBased, torchSchedule } from '../../test-utils/torchFixtures.js';
import { linspaceFloat32 } from './internal.js';
import { makeBetaSchedule } from './makeBetaSchedule.js';
import type { BetaScheduleSpec, Precision, Table } from './types.js';

const fixture = scheduleFixture();

const linear: BetaScheduleSpec = { numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear' };

const unwrap = (spec: BetaScheduleSpec): Table => {
  const r = makeBetaSchedule(spec);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
const errorOf = (spec: BetaScheduleSpec) => {
  const r = makeBetaSchedule(spec);
  if (E.isRight(r)) throw new Error('expected an error');
  return r.left;
};

describe('makeBetaSchedule against torch 1.13 running diffusers (fixtures/torch/<flavor>/schedule.json)', () => {
  describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))('%s', (flavor) => {
    const torch = torchSchedule(flavor);
    const cpuCapability = capabilityOf(flavor);

    // the alpha-bar schedules are computed in double and rounded once: no linspace, no CPU kernel
    it.each(torch.cases.filter((c) => !c.rescale && !linspaceBased(c)).map((c) => [c.betaSchedule, c.numTrainTimesteps, c] as const))(
      "'%s' with %i steps equals torch's float32 betas bit for bit",
      (_name, _n, c) => {
        const betas = unwrap({ ...c, precision: 'float32', cpuCapability });
        expect(betas).toBeInstanceOf(Float32Array);
        expect(bitDifference(betas as Float32Array, c.betas)).toBeNull();
      },
    );

    it("trained betas are torch's betas: the given values rounded to float32", () => {
      const plain = torch.trained.find((c) => !c.rescale);
      const betas = unwrap({ ...linear, numTrainTimesteps: torch.trainedBetas.length, trainedBetas: torch.trainedBetas, cpuCapability });
      expect(plain && bitDifference(betas as Float32Array, plain.betas)).toBeNull();
    });

    // torch 1.13's linspace builds blocks of 16 from vector bases; the library follows torch 2.x's scalar
    // loop (fused on avx2/avx512, unfused on default), so the two may differ by one rounding, never more
    it.each([
      ['linear', torch.unfusedLinspace.linear, { ...linear }],
      ['scaled_linear (its roots)', torch.unfusedLinspace.scaledLinearRoot, null],
    ] as const)("the %s linspace stays within 1 float32 ulp of torch 1.13's", (_name, expected, spec) => {
      const ours = spec === null ? linspaceFloat32(Math.sqrt(0.00085), Math.sqrt(0.012), 1000, cpuCapability !== 'default') : unwrap({ ...spec, cpuCapability });
      expect(maxUlpDistance32(ours, float32Of(expected))).toBeLessThanOrEqual(1);
    });
  });
});

describe('makeBetaSchedule', () => {
  // torch 1.13's linspace is not the library's (torch 2.x's): the linspace-based float32 schedules are
  // checked against the numpy transcription of torch 2.x's per-element formula (scripts/fixtures/schedule.py)
  const plain = fixture.cases.filter((c) => !c.rescale);

  it.each(plain.filter((c) => c.precision === 'float32' && linspaceBased(c)).map((c) => [c.betaSchedule, c.numTrainTimesteps, c] as const))(
    "'%s' with %i steps equals the transcription of torch 2.x's float32 betas (bit for bit except sigmoid's exp)",
    (_name, _n, c) => {
      const betas = unwrap({ ...c, precision: 'float32' });
      expect(betas).toBeInstanceOf(Float32Array);
      expect(betas.length).toBe(c.numTrainTimesteps);
      expect(maxRelativeError(betas, Float32Array.from(c.betas))).toBeLessThanOrEqual(2e-6);
      // only the exp of the sigmoid is not reproduced bit for bit (numpy's float32 exp vs a rounded double exp)
      expect(maxUlpDistance32(betas, c.betas)).toBeLessThanOrEqual(c.betaSchedule === 'sigmoid' ? 4 : 0);
    },
  );

  it.each(plain.filter((c) => c.precision === 'float64').map((c) => [c.betaSchedule, c.numTrainTimesteps, c] as const))(
    "'%s' with %i steps in float64 equals the float64 transcription (1e-14; 2e-12 for the alpha-bar schedules)",
    (_name, _n, c) => {
      const betas = unwrap({ ...c, precision: 'float64' });
      expect(betas).toBeInstanceOf(Float64Array);
      // V8's cos, log and exp and the C library's may differ in the last bit; 1 - ratio turns that into ~1e-12 of a small beta
      const alphaBar = c.betaSchedule === 'squaredcos_cap_v2' || c.betaSchedule === 'laplace';
      expect(maxRelativeError(betas, c.betas)).toBeLessThanOrEqual(alphaBar ? 2e-12 : 1e-14);
    },
  );

  it('a single-step linear schedule is [betaStart], as torch.linspace with one point', () => {
    expect(Array.from(unwrap({ ...linear, numTrainTimesteps: 1 }))).toEqual([Math.fround(0.0001)]);
  });

  it('squaredcos_cap_v2 caps the last beta at 0.999', () => {
    const betas = unwrap({ ...linear, betaSchedule: 'squaredcos_cap_v2' });
    expect(betas[999]).toBe(Math.fround(0.999));
  });

  it.each(fixture.trained.filter((c) => !c.rescale && c.precision === 'float64').map((c) => [c.precision, c] as const))(
    'trained betas are used as given, kept in %s',
    (precision, c) => {
      const betas = unwrap({ ...linear, numTrainTimesteps: fixture.trainedBetas.length, trainedBetas: fixture.trainedBetas, precision });
      expect(Array.from(betas)).toEqual(c.betas);
    },
  );

  it('does not change the trained betas it is given', () => {
    const trained = [0.1, 0.2, 0.3];
    unwrap({ ...linear, numTrainTimesteps: 3, trainedBetas: trained });
    expect(trained).toEqual([0.1, 0.2, 0.3]);
  });

  it('null trained betas mean the schedule is used', () => {
    expect(unwrap({ ...linear, trainedBetas: null })).toEqual(unwrap(linear));
  });

  describe('errors', () => {
    it.each([
      [0, 'numTrainTimesteps: received 0; allowed: an integer in [1, 1000000]'],
      [10.5, 'numTrainTimesteps: received 10.5; allowed: an integer in [1, 1000000]'],
      [NaN, 'numTrainTimesteps: received NaN; allowed: an integer in [1, 1000000]'],
    ])('numTrainTimesteps %p is an InvalidNumber', (n, message) => {
      const e = errorOf({ ...linear, numTrainTimesteps: n });
      expect(e._tag).toBe('InvalidNumber');
      expect(e.message).toBe(message);
    });

    it('an unknown schedule is an InvalidOption that lists the schedules', () => {
      const e = errorOf({ ...linear, betaSchedule: 'cosine' });
      expect(e._tag).toBe('InvalidOption');
      expect(e.message).toBe(
        `betaSchedule: received "cosine"; allowed: one of 'linear', 'scaled_linear', 'squaredcos_cap_v2', 'sigmoid', 'laplace'`,
      );
    });

    it.each([
      ['betaEnd', 2],
      ['betaEnd', 0],
      ['betaStart', -0.1],
      ['betaStart', NaN],
      ['betaEnd', Infinity],
    ])('%s = %p is InvalidBetas (diffusers accepts betaEnd = 2)', (parameter, value) => {
      const e = errorOf({ ...linear, [parameter]: value });
      expect(e._tag).toBe('InvalidBetas');
      expect(e.parameter).toBe(parameter);
      expect(e.message).toContain('allowed: a number in (0, 1]');
    });

    it('a betaStart that rounds to 0 in float32 is reported as a computed beta', () => {
      const e = errorOf({ ...linear, betaStart: 1e-50 });
      expect(e._tag).toBe('InvalidBetas');
      expect(e.parameter).toBe('betas[0]');
    });

    it.each([
      [[], 'trainedBetas', 0],
      [[0.1, NaN, 0.2], 'trainedBetas[1]', 3],
      [[0.1, 0, 0.2], 'trainedBetas[1]', 3],
      [[0.1, 1.5], 'trainedBetas[1]', 2],
      [[1e-50], 'trainedBetas[0]', 1],
    ])('trained betas %p are InvalidBetas at %s', (trainedBetas, parameter, n) => {
      const e = errorOf({ ...linear, numTrainTimesteps: Math.max(n, 1), trainedBetas });
      expect(e._tag).toBe('InvalidBetas');
      expect(e.parameter).toBe(parameter);
    });

    it('trained betas of another length than numTrainTimesteps are InvalidBetas', () => {
      const e = errorOf({ ...linear, numTrainTimesteps: 4, trainedBetas: [0.1, 0.2] });
      expect(e.message).toBe('trainedBetas.length: received 2; allowed: numTrainTimesteps (4)');
    });

    it('an unknown precision is an InvalidOption', () => {
      const e = errorOf({ ...linear, precision: 'float16' as Precision });
      expect(e._tag).toBe('InvalidOption');
      expect(e.parameter).toBe('precision');
    });

    it('reports every problem at once in one InvalidConfig error', () => {
      const e = errorOf({ numTrainTimesteps: -1, betaStart: 0, betaEnd: 2, betaSchedule: 'nope' });
      expect(e._tag).toBe('InvalidConfig');
      if (e._tag !== 'InvalidConfig') return;
      expect(e.errors.map((x) => x.parameter)).toEqual(['numTrainTimesteps', 'betaStart', 'betaEnd', 'betaSchedule']);
      expect(e.message.split('\n')).toHaveLength(5);
    });
  });
});
