import * as E from 'fp-ts/lib/Either.js';
import { perItem } from './timesteps.js';

const msg = (r: E.Either<{ message: string }, unknown>) => (E.isLeft(r) ? r.left.message : 'right');

describe('perItem', () => {
  it('repeats one number for every batch item', () => {
    expect(perItem(5, 3, 'timestep', 0, 999)).toEqual(E.right([5, 5, 5]));
  });
  it('accepts one entry per item from arrays and typed arrays', () => {
    expect(perItem(Int32Array.from([1, 2]), 2, 'timestep', 0, 999)).toEqual(E.right([1, 2]));
  });
  it('broadcasts a single entry only when allowed', () => {
    expect(perItem([7], 3, 'timesteps', 0, 999, true)).toEqual(E.right([7, 7, 7]));
    expect(msg(perItem([7], 3, 'timestep', 0, 999))).toBe(
      'timestep.length: received 1; allowed: the batch size 3 (one timestep per batch item)',
    );
  });
  it('names the offending entry, and rejects non-numbers', () => {
    expect(msg(perItem([5, 1000], 2, 'timestep', 0, 999))).toBe('timestep[1]: received 1000; allowed: an integer in [0, 999]');
    expect(msg(perItem([5, 1.5], 2, 'timestep', 0, 999))).toMatch(/^timestep\[1\]: received 1.5/);
    expect(msg(perItem('5', 1, 'timestep', 0, 999))).toMatch(/^timestep: received "5"; allowed: a number, or one number per batch item/);
    expect(msg(perItem(NaN, 1, 'timestep', 0, 999))).toMatch(/^timestep: received NaN/);
  });
});
