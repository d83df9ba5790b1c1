import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { mixByTimestep } from './noiseMix.js';

const table = Float32Array.from([0.9, 0.5, 0.1]);
const a = ndarray(Float32Array.from([1, 2, 3, 4]), [2, 2]);
const b = ndarray(Float32Array.from([10, 20, 30, 40]), [2, 2]);

describe('mixByTimestep', () => {
  it('mixes per batch item with float32-rounded square roots', () => {
    const r = mixByTimestep(table, a, 'a', b, 'b', 1, [0, 2]);
    if (E.isLeft(r)) throw new Error(r.left.message);
    const s0 = Math.fround(Math.sqrt(Math.fround(0.9)));
    const n0 = Math.fround(Math.sqrt(Math.fround(1 - Math.fround(0.9))));
    expect(r.right.data[1]).toBe(Math.fround(s0 * 2 + n0 * 20));
    const s2 = Math.fround(Math.sqrt(Math.fround(0.1)));
    const n2 = Math.fround(Math.sqrt(Math.fround(1 - Math.fround(0.1))));
    expect(r.right.data[3]).toBe(Math.fround(s2 * 4 + n2 * 40));
  });
  it('subtracts with sign -1 and reads non-contiguous views correctly', () => {
    const r = mixByTimestep(table, a.transpose(1, 0), 'a', b.transpose(1, 0), 'b', -1, 1);
    if (E.isLeft(r)) throw new Error(r.left.message);
    const s = Math.fround(Math.sqrt(Math.fround(0.5)));
    const n = Math.fround(Math.sqrt(Math.fround(1 - Math.fround(0.5))));
    expect(r.right.data[1]).toBe(Math.fround(s * 3 - n * 30));
  });
  it('rejects a second tensor of another shape, naming both', () => {
    const r = mixByTimestep(table, a, 'original', ndarray(new Float32Array(4), [4, 1]), 'noise', 1, 0);
    expect(E.isLeft(r) && r.left.message).toBe('noise.shape: received [4, 1]; allowed: [2, 2] (the shape of original)');
  });
});
