import * as E from 'fp-ts/lib/Either.js';
import { checkShape, MAX_NUMEL } from './shape.js';

const left = (shape: unknown) => {
  const result = checkShape(shape);
  if (E.isRight(result)) throw new Error('expected an error');
  return result.left;
};

describe('checkShape', () => {
  it('accepts any rank, including rank 0 (one element) and zero sizes', () => {
    expect(checkShape([])).toEqual(E.right({ shape: [], numel: 1 }));
    expect(checkShape([2, 3])).toEqual(E.right({ shape: [2, 3], numel: 6 }));
    expect(checkShape([2, 0, 3])).toEqual(E.right({ shape: [2, 0, 3], numel: 0 }));
  });

  it('names the offending dimension of a negative, fractional or NaN size', () => {
    for (const [shape, parameter] of [[[2, -1], 'shape[1]'], [[1.5], 'shape[0]'], [[1, 2, NaN], 'shape[2]']] as const) {
      const error = left(shape);
      expect(error._tag).toBe('InvalidTensor');
      expect(error.parameter).toBe(parameter);
      expect(error.message).toContain('an integer >= 0');
    }
  });

  it('refuses a non-array and a shape with too many elements', () => {
    expect(left(3).parameter).toBe('shape');
    expect(left([MAX_NUMEL, 2]).message).toContain(`at most ${MAX_NUMEL}`);
    expect(left([1e308, 1e308]).parameter).toBe('shape');
  });

  it('copies the shape so that later changes by the caller do not leak in', () => {
    const shape = [2, 3];
    const result = checkShape(shape);
    shape[0] = 7;
    expect(E.isRight(result) && result.right.shape).toEqual([2, 3]);
  });
});
