import * as E from 'fp-ts/lib/Either.js';
import { allocate } from './allocate.js';
import { float16ToFloat32, float32ToFloat16 } from './float16.js';
import { float16Into } from './float16Into.js';
import { toFloat16Into } from './toFloat16Into.js';
import { tensor } from './view.js';

describe('toFloat16Into', () => {
  it('gives back the bits of all 65536 halves from their float32 values (NaNs as the quiet NaN)', () => {
    const bits = Uint16Array.from({ length: 65536 }, (_, h) => h);
    const values = allocate([65536]);
    float16Into(values, bits);
    const out = new Uint16Array(65536);
    const r = toFloat16Into(out, values);
    expect(E.isRight(r) && r.right).toBe(out);
    const wrong = Array.from(bits).filter((h, i) => out[i] !== (Number.isNaN(float16ToFloat32(h)) ? 0x7e00 : h));
    expect(wrong).toEqual([]);
  });

  it('rounds each value as float32ToFloat16 does, reading from the view offset', () => {
    const t = tensor(new Float32Array([9, 1 / 3, 70000, -1e-8]), [1, 3], [3, 1], 1);
    const out = new Uint16Array(3);
    toFloat16Into(out, t);
    expect(Array.from(out)).toEqual([float32ToFloat16(Math.fround(1 / 3)), 0x7c00, 0x8000]);
  });

  it('refuses an output of the wrong type or length and a strided tensor, with typed errors', () => {
    const t = allocate([2, 2]);
    expect(E.isLeft(toFloat16Into(new Uint16Array(3), t))).toBe(true);
    expect(E.isLeft(toFloat16Into(new Float32Array(4) as unknown as Uint16Array, t))).toBe(true);
    const r = toFloat16Into(new Uint16Array(4), t.transpose(1, 0));
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidTensor', 't']);
  });
});
