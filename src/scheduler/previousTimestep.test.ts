import { unwrap } from '../../test-utils/diffusersTest.js';
import { previousTimestep } from './previousTimestep.js';
import { createScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';

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

  it('is NaN for a timestep that is not in the set schedule', () => {
    expect(previousTimestep(unwrap(setTimesteps(s, 10)), 901)).toBeNaN();
  });
});
