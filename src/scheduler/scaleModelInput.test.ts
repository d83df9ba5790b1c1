import ndarray from 'ndarray';
import { SchedulerException } from '../errors.js';
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

  it.each([
    ['a copy of a scheduler', () => scaleModelInput({ ...unwrap(createScheduler()) } as never, ndarray(new Float32Array(4), [2, 2])), 'InvalidConfig', 'scheduler'],
    ['a null sample', () => scaleModelInput(unwrap(createScheduler()), null as never), 'InvalidTensor', 'sample'],
    ['a Float64Array sample', () => scaleModelInput(unwrap(createScheduler()), ndarray(new Float64Array(4), [2, 2]) as never), 'InvalidTensor', 'sample'],
  ])('%s throws a SchedulerException naming the parameter instead of passing through', (_name, call, tag, parameter) => {
    expect(call).toThrow(SchedulerException);
    try {
      call();
    } catch (e) {
      expect((e as SchedulerException).error).toMatchObject({ _tag: tag, parameter });
    }
  });
});
