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
});
