import { allocate } from './allocate.js';

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
});
