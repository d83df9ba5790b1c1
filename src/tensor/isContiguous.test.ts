import ndarray from 'ndarray';
import { isContiguous } from './isContiguous.js';
import { thrownBy } from '../../test-utils/thrown.js';
import { tensor as view } from './view.js';


describe('isContiguous', () => {
  const t = ndarray(new Float32Array(24), [2, 3, 4]);
  it('is true for a fresh C-order tensor and for views that keep the layout (offsets allowed)', () => {
    expect(isContiguous(t)).toBe(true);
    expect(isContiguous(t.lo(1))).toBe(true);
    expect(isContiguous(ndarray(new Float32Array(4), [1, 4], [99, 1]))).toBe(true);
  });
  it('is false for a channel slice as a whole but true per batch item', () => {
    const half = t.hi(2, 2);
    expect(isContiguous(half)).toBe(false);
    expect(isContiguous(half, 1)).toBe(true);
    expect(isContiguous(t.lo(0, 1), 1)).toBe(true);
  });
  it('is false for transposed, stepped and reversed views', () => {
    expect(isContiguous(t.transpose(0, 2, 1), 1)).toBe(false);
    expect(isContiguous(t.step(1, 1, 2), 1)).toBe(false);
    expect(isContiguous(t.step(1, 1, -1), 1)).toBe(false);
  });
});

describe('isContiguous on bad arguments', () => {
  it('throws a SchedulerException naming t or fromDim, never a TypeError', () => {
    expect(thrownBy(() => isContiguous(null as never))).toEqual(['InvalidTensor', 't']);
    expect(thrownBy(() => isContiguous({ shape: [2] } as never))).toEqual(['InvalidTensor', 't']);
    expect(thrownBy(() => isContiguous(view(new Float32Array(4), [2, 2]), 3))).toEqual(['InvalidNumber', 'fromDim']);
    expect(thrownBy(() => isContiguous(view(new Float32Array(4), [2, 2]), NaN))).toEqual(['InvalidNumber', 'fromDim']);
  });
});
