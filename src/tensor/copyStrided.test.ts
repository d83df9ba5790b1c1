import ndarray from 'ndarray';
import { contiguousCopy, copyStrided } from './copyStrided.js';
import { thrownBy } from '../../test-utils/thrown.js';
import { tensor as view } from './view.js';


describe('copyStrided', () => {
  it('copies a transposed view element by element in C order', () => {
    const a = ndarray(Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const out = ndarray(new Float32Array(6), [3, 2]);
    copyStrided(out, a.transpose(1, 0));
    expect(Array.from(out.data)).toEqual([1, 4, 2, 5, 3, 6]);
  });
  it('writes through a strided destination without touching the gaps', () => {
    const src = ndarray(Float32Array.from([1, 2, 3, 4]), [2, 2]);
    const dst = ndarray(new Float32Array(8).fill(-1), [2, 4]).step(1, 2);
    copyStrided(dst, src);
    expect(Array.from(dst.data)).toEqual([1, -1, 2, -1, 3, -1, 4, -1]);
  });
  it('handles reversed views and empty tensors', () => {
    const a = ndarray(Float32Array.from([1, 2, 3]), [1, 3]).step(1, -1);
    expect(Array.from(contiguousCopy(a).data)).toEqual([3, 2, 1]);
    expect(contiguousCopy(ndarray(new Float32Array(0), [0, 3])).data.length).toBe(0);
  });
});

describe('contiguousCopy', () => {
  it('returns a new C-order tensor with the same values and leaves the source alone', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i);
    const t = ndarray(data, [2, 3, 4]).transpose(0, 2, 1);
    const c = contiguousCopy(t);
    expect(c.shape).toEqual([2, 4, 3]);
    expect(c.stride).toEqual([12, 3, 1]);
    expect(c.get(1, 3, 2)).toBe(t.get(1, 3, 2));
    expect(c.data).not.toBe(data);
    expect(data[5]).toBe(5);
  });
});

describe('copyStrided and contiguousCopy on bad tensors', () => {
  const a = view(new Float32Array(8), [2, 4]);
  it('throw a SchedulerException naming the argument, never a TypeError or a partial copy', () => {
    expect(thrownBy(() => copyStrided(a, null as never))).toEqual(['InvalidTensor', 'src']);
    expect(thrownBy(() => copyStrided({} as never, a))).toEqual(['InvalidTensor', 'dst']);
    expect(thrownBy(() => copyStrided(view(new Float32Array(6), [2, 3]), a))).toEqual(['InvalidTensor', 'dst.shape']);
    expect(thrownBy(() => contiguousCopy(null as never))).toEqual(['InvalidTensor', 't']);
    expect(thrownBy(() => contiguousCopy(view(new Float32Array(4), [2, 4])))).toEqual(['InvalidTensor', 't']);
  });
});
