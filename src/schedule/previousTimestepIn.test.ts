import { SchedulerException } from '../errors.js';
import { previousTimestepIn } from './previousTimestepIn.js';

describe('previousTimestepIn', () => {
  const timesteps = Int32Array.from([999, 749, 499, 249]);

  it('gives the next entry of a set schedule', () => {
    expect(previousTimestepIn(timesteps, 999)).toBe(749);
    expect(previousTimestepIn(timesteps, 499)).toBe(249);
  });

  it('gives -1 after the last timestep', () => {
    expect(previousTimestepIn(timesteps, 249)).toBe(-1);
  });

  it('gives undefined for a timestep that is not in the schedule', () => {
    expect(previousTimestepIn(timesteps, 500)).toBeUndefined();
    expect(previousTimestepIn(timesteps, 499.5)).toBeUndefined();
  });

  it('gives t - 1 when no schedule is set, as diffusers does before set_timesteps', () => {
    expect(previousTimestepIn(undefined, 500)).toBe(499);
    expect(previousTimestepIn(undefined, 0)).toBe(-1);
  });

  it('gives undefined, never NaN, for a t that is not an integer, with or without a schedule', () => {
    expect(previousTimestepIn(undefined, NaN)).toBeUndefined();
    expect(previousTimestepIn(undefined, 2.5)).toBeUndefined();
    expect(previousTimestepIn(undefined, '5' as never)).toBeUndefined();
    expect(previousTimestepIn(timesteps, '999' as never)).toBeUndefined();
  });

  it('throws a SchedulerException naming timesteps for a list that is not an Int32Array', () => {
    for (const bad of [null, [999, 749], 'x']) {
      expect(() => previousTimestepIn(bad as never, 5)).toThrow(SchedulerException);
      try {
        previousTimestepIn(bad as never, 5);
      } catch (e) {
        expect((e as SchedulerException).error).toMatchObject({ _tag: 'InvalidTimesteps', parameter: 'timesteps' });
      }
    }
  });
});
