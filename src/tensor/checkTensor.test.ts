import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { checkShape, checkTensor } from './checkTensor.js';

const message = (r: E.Either<{ message: string }, unknown>): string => (E.isLeft(r) ? r.left.message : 'right');

describe('checkTensor', () => {
  it('accepts a float32 ndarray of rank >= 2 and returns it unchanged', () => {
    const t = ndarray(new Float32Array(6), [2, 3]);
    expect(checkTensor(t, 'sample')).toEqual(E.right(t));
  });
  it('points half-float data (a Uint16Array, as ONNX Runtime gives for float16) to float16Into', () => {
    expect(message(checkTensor({ data: new Uint16Array(6), shape: [2, 3], stride: [3, 1], offset: 0 }, 'modelOutput'))).toBe(
      'modelOutput: received Uint16Array(6); allowed: an ndarray over a Float32Array (half floats? float16Into(out, bits) converts them exactly)',
    );
  });
  it('accepts views whose indices stay inside the data, including negative strides', () => {
    const t = ndarray(new Float32Array(24), [2, 3, 4]);
    expect(E.isRight(checkTensor(t.step(-1, 1, -1), 'sample'))).toBe(true);
    expect(E.isRight(checkTensor(t.hi(2, 2).lo(0, 1), 'sample'))).toBe(true);
  });
  it('rejects a Float64Array ndarray, naming the parameter and the type received', () => {
    expect(message(checkTensor(ndarray(new Float64Array(6), [2, 3]), 'noise'))).toBe(
      'noise: received Float64Array(6); allowed: an ndarray over a Float32Array (convert the data to float32)',
    );
  });
  it('rejects plain arrays, null and numbers', () => {
    expect(message(checkTensor([1, 2, 3], 'sample'))).toMatch(/^sample: received \[1, 2, 3\]; allowed: an ndarray over a Float32Array/);
    expect(message(checkTensor(null, 'sample'))).toBe('sample: received null; allowed: an ndarray over a Float32Array');
    expect(message(checkTensor(3, 'sample'))).toBe('sample: received 3; allowed: an ndarray over a Float32Array');
  });
  it('rejects rank below the minimum with the shape received', () => {
    expect(message(checkTensor(ndarray(new Float32Array(3), [3]), 'sample'))).toBe(
      'sample.shape: received [3]; allowed: rank >= 2 ([batch, channels, ...])',
    );
    expect(E.isRight(checkTensor(ndarray(new Float32Array(3), [3]), 'sample', 1))).toBe(true);
  });
  it('rejects a view that reaches outside its data', () => {
    const broken = ndarray(new Float32Array(4), [2, 3]);
    expect(message(checkTensor(broken, 'sample'))).toBe(
      'sample: received "a view reaching data[0..5]"; allowed: indices inside its Float32Array(4)',
    );
  });
});

describe('checkShape', () => {
  it('accepts the exact shape and rejects any other, showing both', () => {
    const t = ndarray(new Float32Array(6), [2, 3]);
    expect(checkShape(t, [2, 3], 'noise')).toEqual(E.right(t));
    expect(message(checkShape(t, [3, 2], 'noise'))).toBe('noise.shape: received [2, 3]; allowed: [3, 2] (the shape of sample)');
    expect(message(checkShape(t, [2, 3, 1], 'noise'))).toMatch(/^noise.shape: received \[2, 3\]; allowed: \[2, 3, 1\]/);
  });
});

describe('checkShape on a value that is not a tensor', () => {
  it('is an InvalidTensor error naming the parameter, not a TypeError', () => {
    for (const bad of [null, undefined, {}, { shape: 'x' }]) {
      const r = checkShape(bad as never, [2, 4], 'noise');
      expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidTensor', 'noise']);
    }
    const r = checkShape(ndarray(new Float32Array(8), [2, 4]) as never, null as never, 'noise');
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidTensor', 'shape']);
  });
});
