import { unwrap } from '../../test-utils/diffusersTest.js';
import { SchedulerException } from '../errors.js';
import { previousTimestep } from './previousTimestep.js';
import { createScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';
import { torchTimesteps } from '../../test-utils/torchFixtures.js';

describe("previousTimestep against diffusers' previous_timestep (fixtures/torch/default/timesteps.json)", () => {
  // timesteps are numpy's in diffusers: the capture of every CPU capability holds these numbers
  const cases = torchTimesteps('default').previousTimestep;
  const name = (c: (typeof cases)[number]) =>
    c.customTimesteps === null ? `${c.spacing} ${c.steps} of ${c.numTrainTimesteps}, stepsOffset ${c.stepsOffset}` : `custom [${c.customTimesteps.join(', ')}]`;

  it.each(cases.map((c) => [name(c), c] as const))('%s: the schedule and the previous timestep of each of its timesteps', (_name, c) => {
    const base = unwrap(
      createScheduler({ numTrainTimesteps: c.numTrainTimesteps, stepsOffset: c.stepsOffset, ...(c.spacing === null ? {} : { timestepSpacing: c.spacing }) }),
    );
    for (const [t, previous] of c.unset ?? []) expect([t, previousTimestep(base, t)]).toEqual([t, previous]);
    const s = unwrap(setTimesteps(base, c.customTimesteps === null ? (c.steps as number) : { timesteps: c.customTimesteps }));
    expect(Array.from(s.timesteps)).toEqual(c.timesteps);
    expect(c.timesteps.map((t) => previousTimestep(s, t))).toEqual(c.previous);
  });
});

describe('previousTimestep', () => {
  const s = unwrap(createScheduler());

  it('is t - 1 before setTimesteps, as in diffusers', () => {
    expect(previousTimestep(s, 999)).toBe(998);
    expect(previousTimestep(s, 0)).toBe(-1);
  });

  it('walks the set schedule and ends at -1', () => {
    const s10 = unwrap(setTimesteps(s, 10));
    expect(previousTimestep(s10, 900)).toBe(800);
    expect(previousTimestep(s10, 0)).toBe(-1);
  });

  it('walks custom timesteps', () => {
    const c = unwrap(setTimesteps(s, { timesteps: [100, 87, 50, 1, 0] }));
    expect([100, 87, 50, 1, 0].map((t) => previousTimestep(c, t))).toEqual([87, 50, 1, 0, -1]);
  });

  it.each([
    ['a timestep not in the set schedule', 901, true],
    ['a fractional timestep', 2.5, false],
    ['a string', '5', false],
    ['a timestep past the table', 1000, false],
    ['a negative timestep', -1, false],
    ['NaN', NaN, false],
  ])("throws a SchedulerException (InvalidTimestep 't') for %s, never a number", (_name, t, set) => {
    const target = set ? unwrap(setTimesteps(s, 10)) : s;
    expect(() => previousTimestep(target, t as number)).toThrow(SchedulerException);
    try {
      previousTimestep(target, t as number);
    } catch (e) {
      expect([(e as SchedulerException).error._tag, (e as SchedulerException).error.parameter]).toEqual(['InvalidTimestep', 't']);
    }
  });

  it('throws for a value that is not a scheduler', () => {
    expect(() => previousTimestep({ ...s }, 5)).toThrow(SchedulerException);
  });
});
