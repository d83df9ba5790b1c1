import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { TORCH_FLAVORS, torchTimesteps } from '../../test-utils/torchFixtures.js';
import { timestepsFor } from './timestepsFor.js';

const digest = (ts: Int32Array): string =>
  createHash('sha256').update(Buffer.from(ts.buffer, ts.byteOffset, ts.byteLength)).digest('hex').slice(0, 24);

describe('timestepsFor against diffusers (fixtures/torch/default/timesteps.json)', () => {
  const fixture = torchTimesteps('default');

  // diffusers computes timesteps with numpy, so no CPU capability changes them: one sweep covers both
  // captures (a second full sweep would double the file's time)
  it.each(TORCH_FLAVORS.filter((f) => f !== 'default').map((f) => [f] as const))('the %s capture holds the same timesteps as the default one', (flavor) => {
    const other = torchTimesteps(flavor);
    expect(JSON.stringify(other.sweeps)).toBe(JSON.stringify(fixture.sweeps));
    expect(JSON.stringify([other.previousTimestep, other.custom])).toBe(JSON.stringify([fixture.previousTimestep, fixture.custom]));
  });

  it.each(fixture.sweeps.map((s) => [s.spacing, s.numTrainTimesteps, s.stepsOffset, s] as const))(
    "timestepsFor('%s') equals diffusers for numTrainTimesteps %i, stepsOffset %i and every n",
    (spacing, T, stepsOffset, sweep) => {
      const mismatches: number[] = [];
      for (let n = 1; n <= T; n++) {
        const expected = sweep.expected[n - 1];
        const result = timestepsFor(spacing)({ numTrainTimesteps: T, numInferenceSteps: n, stepsOffset });
        if (expected === null || expected === undefined) {
          if (!(E.isLeft(result) && result.left._tag === 'InvalidTimesteps')) mismatches.push(n);
          continue;
        }
        if (E.isLeft(result)) {
          mismatches.push(n);
          continue;
        }
        const same = typeof expected === 'string' ? digest(result.right) === expected : result.right.join() === expected.join();
        if (!same) mismatches.push(n);
      }
      expect(mismatches).toEqual([]);
    },
  );

  it("trailing returns exactly n timesteps where diffusers' arange returns n + 1 ending in -1", () => {
    const sweeps = fixture.sweeps.filter((s) => s.spacing === 'trailing' && s.trailingExtra.length > 0);
    expect(sweeps.length).toBeGreaterThan(0);
    for (const sweep of sweeps) {
      for (const [n, extra] of sweep.trailingExtra) {
        expect(extra).toBe(-1);
        const ts = timestepsFor('trailing')({ numTrainTimesteps: sweep.numTrainTimesteps, numInferenceSteps: n });
        expect(E.isRight(ts) && ts.right.length).toBe(n);
      }
    }
  });
});

describe('timestepsFor', () => {
  it('trailing with 29 of 100 steps is one of those n: we return the first 29 values', () => {
    const ts = timestepsFor('trailing')({ numTrainTimesteps: 100, numInferenceSteps: 29 });
    expect(E.isRight(ts) && Array.from(ts.right.subarray(-3))).toEqual([9, 6, 2]);
  });

  it('leading with 1000 steps of 1000 and stepsOffset 1 is InvalidTimesteps naming the offset', () => {
    const ts = timestepsFor('leading')({ numTrainTimesteps: 1000, numInferenceSteps: 1000, stepsOffset: 1 });
    expect(E.isLeft(ts) && ts.left.message).toBe(
      'stepsOffset: received 1; allowed: an integer in [0, 0] for 1000 leading steps of 1000 (the first timestep would be 1000, not below numTrainTimesteps)',
    );
  });

  it('linspace rounds halves to even as numpy does', () => {
    // linspace(0, 9, 3) = [0, 4.5, 9] -> 4.5 rounds to 4
    const ts = timestepsFor('linspace')({ numTrainTimesteps: 10, numInferenceSteps: 3 });
    expect(E.isRight(ts) && Array.from(ts.right)).toEqual([9, 4, 0]);
  });

  it('composes with pipe, data last', () => {
    const ts = pipe({ numTrainTimesteps: 1000, numInferenceSteps: 4 }, timestepsFor('trailing'));
    expect(E.isRight(ts) && Array.from(ts.right)).toEqual([999, 749, 499, 249]);
  });

  it('stepsOffset shifts leading only, as in diffusers', () => {
    const request = { numTrainTimesteps: 1000, numInferenceSteps: 4, stepsOffset: 1 };
    expect(pipe(request, timestepsFor('leading'), E.map(Array.from))).toEqual(E.right([751, 501, 251, 1]));
    expect(pipe(request, timestepsFor('trailing'), E.map(Array.from))).toEqual(E.right([999, 749, 499, 249]));
    expect(pipe(request, timestepsFor('linspace'), E.map(Array.from))).toEqual(E.right([999, 666, 333, 0]));
  });

  describe('errors', () => {
    const ok = { numTrainTimesteps: 1000, numInferenceSteps: 50 };
    it.each([
      [0, 'InvalidNumber', 'numInferenceSteps: received 0; allowed: an integer >= 1'],
      [2.5, 'InvalidNumber', 'numInferenceSteps: received 2.5; allowed: an integer >= 1'],
      [NaN, 'InvalidNumber', 'numInferenceSteps: received NaN; allowed: an integer >= 1'],
      [1001, 'InvalidTimesteps', 'numInferenceSteps: received 1001; allowed: an integer in [1, numTrainTimesteps] = [1, 1000]'],
    ])('numInferenceSteps %p is %s', (n, tag, message) => {
      const r = timestepsFor('leading')({ ...ok, numInferenceSteps: n });
      expect(E.isLeft(r) && [r.left._tag, r.left.message]).toEqual([tag, message]);
    });

    it.each([null, undefined, 10, 'leading'])('a request %p that is not an object is InvalidOption naming request, not a TypeError', (request) => {
      const r = timestepsFor('leading')(request as never);
      expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidOption', 'request']);
    });

    it('an unknown spacing is an InvalidOption that lists the spacings', () => {
      const r = timestepsFor('uniform')(ok);
      expect(E.isLeft(r) && r.left.message).toBe(
        `timestepSpacing: received "uniform"; allowed: one of 'leading', 'trailing', 'linspace'`,
      );
    });

    it.each([-1, 0.5, NaN])('stepsOffset %p is an InvalidNumber', (stepsOffset) => {
      const r = timestepsFor('leading')({ ...ok, stepsOffset });
      expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidNumber', 'stepsOffset']);
    });

    it.each([0, 12.5, -3])('numTrainTimesteps %p is an InvalidNumber', (T) => {
      const r = timestepsFor('trailing')({ ...ok, numTrainTimesteps: T });
      expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidNumber', 'numTrainTimesteps']);
    });

    it('reports every problem of a request at once', () => {
      const r = timestepsFor('sideways')({ numTrainTimesteps: 0, numInferenceSteps: -2, stepsOffset: -1 });
      expect(E.isLeft(r) && r.left._tag).toBe('InvalidConfig');
      if (E.isLeft(r) && r.left._tag === 'InvalidConfig') {
        expect(r.left.errors.map((e) => e.parameter)).toEqual(['timestepSpacing', 'numTrainTimesteps', 'numInferenceSteps', 'stepsOffset']);
      }
    });
  });
});
