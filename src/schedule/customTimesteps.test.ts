import * as E from 'fp-ts/lib/Either.js';
import { customTimesteps } from './customTimesteps.js';

const errorOf = (timesteps: ArrayLike<number>, T = 1000) => {
  const r = customTimesteps(timesteps, T);
  if (E.isRight(r)) throw new Error('expected an error');
  return r.left;
};

describe('customTimesteps', () => {
  it('returns strictly decreasing in-range integers as a new Int32Array', () => {
    const input = [999, 500, 10, 0];
    const r = customTimesteps(input, 1000);
    expect(E.isRight(r) && r.right).toEqual(Int32Array.from([999, 500, 10, 0]));
    expect(input).toEqual([999, 500, 10, 0]);
  });

  it('accepts typed arrays too', () => {
    expect(customTimesteps(Float64Array.from([3, 2]), 4)).toEqual(E.right(Int32Array.from([3, 2])));
  });

  it('an empty list is InvalidTimesteps', () => {
    const e = errorOf([]);
    expect([e._tag, e.message]).toEqual(['InvalidTimesteps', 'timesteps: received []; allowed: a non-empty list of integers in [0, 1000)']);
  });

  it('an ascending or repeated value is InvalidTimesteps naming the index', () => {
    expect(errorOf([10, 500]).message).toBe(
      'timesteps[1]: received 500; allowed: an integer < timesteps[0] = 10 (custom timesteps must be strictly decreasing)',
    );
    expect(errorOf([10, 10]).parameter).toBe('timesteps[1]');
  });

  it.each([
    [[1000, 5], 'timesteps[0]', 1000],
    [[5, -1], 'timesteps[1]', -1],
    [[5, 2.5], 'timesteps[1]', 2.5],
    [[NaN], 'timesteps[0]', NaN],
  ])('%p is InvalidTimesteps at %s', (timesteps, parameter, received) => {
    const e = errorOf(timesteps);
    expect([e._tag, e.parameter, e.received]).toEqual(['InvalidTimesteps', parameter, received]);
    expect(e.message).toContain('allowed: an integer in [0, numTrainTimesteps) = [0, 1000)');
  });

  it('an invalid numTrainTimesteps is InvalidNumber', () => {
    expect(errorOf([1], 0)._tag).toBe('InvalidNumber');
  });

  it.each([
    ['-1', -1],
    ['2.5', 2.5],
    ['2^32', 2 ** 32],
    ['longer than numTrainTimesteps', 11],
  ])('a list whose length is %s is InvalidTimesteps naming timesteps.length, not a RangeError', (_name, length) => {
    const e = errorOf({ length } as ArrayLike<number>, 10);
    expect([e._tag, e.parameter, e.received]).toEqual(['InvalidTimesteps', 'timesteps.length', length]);
    expect(e.message).toContain('allowed: an integer in [1, numTrainTimesteps] = [1, 10]');
  });
});
