import * as E from 'fp-ts/lib/Either.js';
import { allocate } from './allocate.js';
import { float16ToFloat32 } from './float16.js';
import { float16Into, fromFloat16 } from './float16Into.js';
import { tensor } from './view.js';

describe('float16Into', () => {
  it('writes the exact values of all 65536 halves, in order, into the tensor it returns', () => {
    const bits = Uint16Array.from({ length: 65536 }, (_, h) => h);
    const out = allocate([2, 32768]);
    const r = float16Into(out, bits);
    expect(E.isRight(r) && r.right).toBe(out);
    const wrong = Array.from(bits).filter((h, i) => !Object.is(out.data[i], Math.fround(float16ToFloat32(h))));
    expect(wrong).toEqual([]);
  });

  it('writes from the view offset and nowhere else', () => {
    const data = new Float32Array(6).fill(7);
    const view = tensor(data, [1, 2], [2, 1], 2);
    expect(E.isRight(float16Into(view, new Uint16Array([0x3c00, 0x4000])))).toBe(true);
    expect(Array.from(data)).toEqual([7, 7, 1, 2, 7, 7]);
  });

  it('refuses bits that are not a Uint16Array or of the wrong length, and strided or invalid outputs, with typed errors', () => {
    const out = allocate([1, 2]);
    const left = (r: E.Either<{ _tag: string; parameter: string }, unknown>) => (E.isLeft(r) ? [r.left._tag, r.left.parameter] : 'right');
    expect(left(float16Into(out, new Int16Array(2) as unknown as Uint16Array))).toEqual(['InvalidTensor', 'bits']);
    expect(left(float16Into(out, new Uint16Array(3)))).toEqual(['InvalidTensor', 'bits.length']);
    expect(left(float16Into(allocate([2, 2]).transpose(1, 0), new Uint16Array(4)))).toEqual(['InvalidTensor', 'out']);
    expect(left(float16Into({ data: new Float64Array(2), shape: [2] } as never, new Uint16Array(2)))).toEqual(['InvalidTensor', 'out']);
  });
});

describe('fromFloat16', () => {
  it('makes a new tensor of the shape with the exact values', () => {
    const r = fromFloat16(new Uint16Array([0x3c00, 0xc000, 0x7c00, 0x0001]), [2, 2]);
    expect(E.isRight(r) && [r.right.shape, Array.from(r.right.data)]).toEqual([[2, 2], [1, -2, Infinity, 2 ** -24]]);
  });

  it('refuses a shape that does not fit the bits', () => {
    for (const shape of [[3], [-1, -2], [1.5], 'x']) {
      const r = fromFloat16(new Uint16Array(2), shape as never);
      expect(E.isLeft(r) && r.left._tag).toBe('InvalidTensor');
    }
  });
});
