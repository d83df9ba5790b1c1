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

describe('copyStrided by runs', () => {
  const ramp = (n: number, from = 0) => Float32Array.from({ length: n }, (_, i) => from + i);
  it('copies contiguous tensors with offsets whole, touching nothing outside dst', () => {
    const src = view(ramp(70), [1, 2, 32], [64, 32, 1], 6);
    const dst = view(new Float32Array(80).fill(-1), [1, 2, 32], [64, 32, 1], 10);
    copyStrided(dst, src);
    expect(Array.from(dst.data.subarray(10, 74))).toEqual(Array.from(ramp(64, 6)));
    expect([...dst.data.subarray(0, 10), ...dst.data.subarray(74)].every((x) => x === -1)).toBe(true);
  });
  it('copies the rows of a strided outer dimension one run at a time, and leaves the gaps', () => {
    // dst: 3 rows of 40 inside rows of 50; src: 3 rows of 40 read backwards by row
    const src = ndarray(ramp(120), [3, 40]).step(-1, 1);
    const dst = ndarray(new Float32Array(150).fill(-1), [3, 50]).hi(3, 40);
    copyStrided(dst, src);
    for (let r = 0; r < 3; r++) {
      expect(Array.from(dst.data.subarray(r * 50, r * 50 + 40))).toEqual(Array.from(ramp(40, (2 - r) * 40)));
      expect(Array.from(dst.data.subarray(r * 50 + 40, r * 50 + 50))).toEqual(new Array(10).fill(-1));
    }
  });
  it('copies short rows element by element with the same values', () => {
    const src = ndarray(ramp(24), [4, 6]).step(1, -1);
    const dst = ndarray(new Float32Array(24), [4, 6]);
    copyStrided(dst, src);
    expect(Array.from(dst.data)).toEqual([5, 4, 3, 2, 1, 0, 11, 10, 9, 8, 7, 6, 17, 16, 15, 14, 13, 12, 23, 22, 21, 20, 19, 18]);
  });
  it('copies overlapping views of one buffer taken whole as if from a copy of src', () => {
    const data = ramp(100);
    copyStrided(view(data, [1, 64], [64, 1], 10), view(data, [1, 64], [64, 1], 0));
    expect(Array.from(data.subarray(10, 74))).toEqual(Array.from(ramp(64)));
    expect(Array.from(data.subarray(0, 10))).toEqual(Array.from(ramp(10)));
  });
  it('treats dimensions of size 1 as contiguous whatever their stride', () => {
    const src = view(ramp(64), [1, 64, 1], [7, 1, 3], 0);
    const dst = view(new Float32Array(64), [1, 64, 1], [64, 1, 1], 0);
    copyStrided(dst, src);
    expect(Array.from(dst.data)).toEqual(Array.from(ramp(64)));
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
