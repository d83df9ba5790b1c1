import { SchedulerException } from '../errors.js';
import { allocate } from './allocate.js';
import { MAX_NUMEL } from './shape.js';

describe('allocate', () => {
  it('returns a zero-filled contiguous float32 tensor of the shape', () => {
    const t = allocate([2, 3, 4]);
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.stride).toEqual([12, 4, 1]);
    expect(t.offset).toBe(0);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.data.length).toBe(24);
    expect(t.data.every((v) => v === 0)).toBe(true);
  });
  it('does not keep a reference to the shape it was given', () => {
    const shape = [2, 2];
    const t = allocate(shape);
    shape[0] = 5;
    expect(t.shape).toEqual([2, 2]);
  });
  it.each([
    ['a NaN size', [NaN], 'shape[0]'],
    ['a negative size', [2, -1], 'shape[1]'],
    ['a fractional size', [1.5], 'shape[0]'],
    ['not an array', 5, 'shape'],
    ['null', null, 'shape'],
    ['more than 2^28 elements', [MAX_NUMEL, 2], 'shape'],
  ])('throws a SchedulerException naming the parameter for %s, and allocates nothing', (_name, shape, parameter) => {
    let error: unknown;
    try {
      allocate(shape as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchedulerException);
    expect([(error as SchedulerException).error._tag, (error as SchedulerException).error.parameter]).toEqual(['InvalidTensor', parameter]);
  });
});
