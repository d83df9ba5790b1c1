import ndarray from 'ndarray';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { scaleModelInput } from './scaleModelInput.js';
import { createScheduler } from './scheduler.js';

describe('scaleModelInput', () => {
  it('returns the sample itself, unchanged, whatever the timestep', () => {
    const x = ndarray(new Float32Array([1, -2, 3, 4]), [2, 2]);
    const s = unwrap(createScheduler());
    expect(scaleModelInput(s, x)).toBe(x);
    expect(scaleModelInput(s, x, 999)).toBe(x);
    expect(Array.from(x.data)).toEqual([1, -2, 3, 4]);
  });
});
