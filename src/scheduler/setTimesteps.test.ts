import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { createScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';
import { torchTimesteps } from '../../test-utils/torchFixtures.js';

const sd15 = unwrap(createScheduler({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, stepsOffset: 1, clipSample: false }));

describe('setTimesteps', () => {
  it("gives Stable Diffusion 1.5's 50 steps: 981, 961, ..., 1", () => {
    const s = unwrap(setTimesteps(sd15, 50));
    expect(Array.from(s.timesteps)).toEqual(Array.from({ length: 50 }, (_, i) => 981 - 20 * i));
    expect(s.numInferenceSteps).toBe(50);
    expect(s.customTimesteps).toBe(false);
  });

  it('returns a new frozen value and leaves the old one as it was', () => {
    const s = unwrap(setTimesteps(sd15, 10));
    expect(s).not.toBe(sd15);
    expect(Object.isFrozen(s)).toBe(true);
    expect(sd15.numInferenceSteps).toBeNull();
    expect(sd15.timesteps.length).toBe(1000);
    expect(s.alphasCumprod).toBe(sd15.alphasCumprod);
  });

  it('spreads the steps by the config spacing', () => {
    const trailing = unwrap(createScheduler({ timestepSpacing: 'trailing' }));
    expect(Array.from(unwrap(setTimesteps(trailing, 4)).timesteps)).toEqual([999, 749, 499, 249]);
    const linspace = unwrap(createScheduler({ timestepSpacing: 'linspace' }));
    expect(Array.from(unwrap(setTimesteps(linspace, 4)).timesteps)).toEqual([999, 666, 333, 0]);
  });

  it('takes { numInferenceSteps } as well as a number', () => {
    expect(unwrap(setTimesteps(sd15, { numInferenceSteps: 20 }))).toEqual(unwrap(setTimesteps(sd15, 20)));
  });

  it('takes custom timesteps and marks them custom', () => {
    const s = unwrap(setTimesteps(sd15, { timesteps: [100, 87, 50, 1, 0] }));
    expect(Array.from(s.timesteps)).toEqual([100, 87, 50, 1, 0]);
    expect(s.customTimesteps).toBe(true);
    expect(s.numInferenceSteps).toBe(5);
  });

  it('can be called data-last in a pipe', () => {
    const s = pipe(createScheduler({ stepsOffset: 1 }), E.flatMap(setTimesteps(50)));
    expect(E.isRight(s) && s.right.timesteps[0]).toBe(981);
  });

  it.each([
    [0, 'InvalidNumber'],
    [1001, 'InvalidTimesteps'],
    [2.5, 'InvalidNumber'],
    [NaN, 'InvalidNumber'],
  ])('refuses %p inference steps', (n, tag) => {
    const r = setTimesteps(sd15, n);
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: tag, parameter: 'numInferenceSteps' });
  });

  it('refuses both a count and custom timesteps, as diffusers does', () => {
    const r = setTimesteps(sd15, { numInferenceSteps: 5, timesteps: [3, 2] } as never);
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidTimesteps', parameter: 'request' });
  });

  it.each([[{}], ['50'], [null], [[10, 5]]])('refuses the request %p', (request) => {
    const r = setTimesteps(sd15, request as never);
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidTimesteps', parameter: 'request' });
  });

  it.each([[[]], [[5, 5]], [[1, 2]], [[1000, 5]], [[5, -1]], [[5.5, 2]]])('refuses custom timesteps %p', (timesteps) => {
    const r = setTimesteps(sd15, { timesteps });
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidTimesteps');
  });

  it('refuses a leading offset that pushes a timestep to numTrainTimesteps (diffusers fails later)', () => {
    const s = unwrap(createScheduler({ numTrainTimesteps: 10, stepsOffset: 1 }));
    const r = setTimesteps(s, 10);
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidTimesteps', parameter: 'stepsOffset' });
  });
});

describe("setTimesteps with custom timesteps against diffusers' set_timesteps(timesteps=...) (fixtures/torch/default/timesteps.json)", () => {
  it.each(torchTimesteps('default').custom.map((c) => [c.timesteps.join(', '), c.numTrainTimesteps, c] as const))(
    '[%s] of %i: the same timesteps, or refused where diffusers raises',
    (_name, T, c) => {
      const r = setTimesteps(unwrap(createScheduler({ numTrainTimesteps: T })), { timesteps: c.timesteps });
      if (c.result === null) {
        expect(E.isLeft(r) && r.left._tag).toBe('InvalidTimesteps');
      } else {
        expect(E.isRight(r) && Array.from(r.right.timesteps)).toEqual(c.result);
        expect(E.isRight(r) && r.right.customTimesteps).toBe(true);
      }
    },
  );
});
