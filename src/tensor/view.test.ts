import ndarray from 'ndarray';
import { tensor } from './view.js';

describe('tensor', () => {
  const t = tensor(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);

  it('is a C-order view at offset 0 with the ndarray interface', () => {
    expect([t.shape, t.stride, t.offset, t.dimension, t.size, t.dtype, t.order]).toEqual([[2, 3, 4], [12, 4, 1], 0, 3, 24, 'float32', [2, 1, 0]]);
    expect(t.get(1, 2, 3)).toBe(23);
    expect(t.index(1, 0, 2)).toBe(14);
  });

  it('makes views that share the data: hi, lo, step, transpose, pick, T', () => {
    expect(t.hi(1, 2).shape).toEqual([1, 2, 4]);
    expect(t.lo(1, 1).get(0, 0, 0)).toBe(16);
    expect(t.step(1, 1, -1).get(0, 0, 0)).toBe(3);
    expect(t.transpose(2, 0, 1).get(3, 1, 2)).toBe(23);
    expect(t.pick(1, null, 2).shape).toEqual([3]);
    expect(t.pick(1, null, 2).get(2)).toBe(22);
    expect(t.T.get(3, 2, 1)).toBe(23);
    const copy = tensor(t.data.slice(), [2, 3, 4]);
    copy.lo(1).set(0, 0, 0, -1);
    expect(copy.data[12]).toBe(-1);
  });

  it('starts a view with a negative stride at the far end, as ndarray does', () => {
    const data = Float32Array.from([0, 1, 2, 3]);
    expect(tensor(data, [2, 2], [-2, 1]).offset).toBe(ndarray(data, [2, 2], [-2, 1]).offset);
    expect(tensor(data, [2, 2], [-2, 1]).get(0, 0)).toBe(2);
  });

  it('generates no code: it works where Function is refused, which ndarray needs for a new rank', () => {
    const g = globalThis as unknown as { Function: unknown };
    const saved = g.Function;
    g.Function = function refused() {
      throw new EvalError('code generation refused (Content-Security-Policy)');
    };
    try {
      const v = tensor(new Float32Array(2 * 3 * 4 * 5 * 6 * 7 * 2), [2, 3, 4, 5, 6, 7, 2]);
      expect(v.hi(1, 2).lo(0, 1).step(1, -1).transpose(6, 5, 4, 3, 2, 1, 0).pick(0).shape).toEqual([7, 6, 5, 4, 1, 1]);
      expect(() => ndarray(new Float32Array(1), [1, 1, 1, 1, 1, 1, 1, 1, 1])).toThrow(EvalError);
    } finally {
      g.Function = saved;
    }
  });
});
