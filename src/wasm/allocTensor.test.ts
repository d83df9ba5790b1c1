import * as E from 'fp-ts/lib/Either.js';
import { allocate, type Tensor } from '../tensor/index.js';
import { allocTensor, freeTensor, isWasmTensor, reserveTensorMemory } from './allocTensor.js';
import { kernels } from './instance.js';

const right = <A>(e: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(e)) throw new Error(e.left.message);
  return e.right;
};

describe('allocTensor', () => {
  beforeAll(() => {
    expect(reserveTensorMemory(1 << 20)).toEqual(E.right(1 << 20));
  });

  it('makes a zero-filled contiguous tensor of the shape whose data lives in WASM memory', () => {
    const t = right(allocTensor([2, 3, 4]));
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.stride).toEqual([12, 4, 1]);
    expect(t.data.length).toBe(24);
    expect(t.data.buffer).toBe(kernels()?.memory.buffer);
    expect(t.data.byteOffset % 16).toBe(0);
    expect(Array.from(t.data).every((x) => x === 0)).toBe(true);
    expect(isWasmTensor(t)).toBe(true);
    expect(isWasmTensor(allocate([2, 3, 4]))).toBe(false);
    right(freeTensor(t));
  });

  it('hands out disjoint memory to live tensors and reuses freed memory, zeroed again', () => {
    const a = right(allocTensor([100]));
    const b = right(allocTensor([100]));
    expect(Math.abs(a.data.byteOffset - b.data.byteOffset)).toBeGreaterThanOrEqual(400);
    a.data.fill(7);
    right(freeTensor(a));
    const c = right(allocTensor([100]));
    expect(c.data.byteOffset).toBe(a.data.byteOffset);
    expect(Array.from(c.data).every((x) => x === 0)).toBe(true);
    right(freeTensor(b));
    right(freeTensor(c));
  });

  it('starts tensors of whole 4 KiB pages half a page past a page boundary, where copies out of them do not alias', () => {
    const made = [right(allocTensor([1, 4, 32, 32])), right(allocTensor([1, 4, 32, 32])), right(allocTensor([1024]))];
    expect(made.map((t) => t.data.byteOffset % 4096)).toEqual([2048, 2048, 2048]);
    made.forEach((t) => right(freeTensor(t)));
  });

  it('coalesces freed neighbours, so that the whole arena can be allocated again', () => {
    const parts = [0, 1, 2, 3].map(() => right(allocTensor([65536])));
    expect(E.isLeft(allocTensor([1]))).toBe(true);
    for (const i of [1, 3, 0, 2]) right(freeTensor(parts[i] as Tensor));
    const whole = right(allocTensor([262144]));
    right(freeTensor(whole));
  });

  it('is a typed InvalidTensor error when the arena is full, naming the largest free block', () => {
    const result = allocTensor([262145]);
    expect(E.isLeft(result) && result.left._tag).toBe('InvalidTensor');
    expect(E.isLeft(result) && result.left.allowed).toBe('at most 1048576 bytes (the largest free block of the arena)');
  });

  it('is a typed error on a negative, fractional or NaN dimension', () => {
    for (const [shape, parameter] of [[[-1], 'shape[0]'], [[2, 0.5], 'shape[1]'], [[NaN], 'shape[0]']] as const) {
      const result = allocTensor(shape);
      expect(E.isLeft(result) && result.left.parameter).toBe(parameter);
    }
  });

  it('never grows the memory after the arena is reserved', () => {
    const bytes = kernels()?.memory.buffer.byteLength;
    const made = [1, 2, 3].map((n) => right(allocTensor([n, 1000])));
    made.forEach((t) => right(freeTensor(t)));
    expect(kernels()?.memory.buffer.byteLength).toBe(bytes);
  });
});

describe('freeTensor', () => {
  it('refuses a tensor freed twice and one that allocTensor did not make', () => {
    const t = right(allocTensor([4]));
    expect(E.isRight(freeTensor(t))).toBe(true);
    const twice = freeTensor(t);
    expect(E.isLeft(twice) && twice.left._tag).toBe('InvalidTensor');
    expect(E.isLeft(freeTensor(allocate([4])))).toBe(true);
  });
});

describe('reserveTensorMemory', () => {
  it('refuses a new size while a tensor is live (growing would detach its data), and a size below a page', () => {
    const t = right(allocTensor([4]));
    const result = reserveTensorMemory(1 << 21);
    expect(E.isLeft(result) && result.left._tag).toBe('InvalidNumber');
    right(freeTensor(t));
    expect(E.isLeft(reserveTensorMemory(100))).toBe(true);
  });
});

describe('the arena is bounded and reused', () => {
  it('reserveTensorMemory reuses the arena in place: sixty reservations of 64 MiB grow the memory once, not sixty times', () => {
    const k = kernels();
    if (k === null) throw new Error('no WebAssembly here');
    right(reserveTensorMemory(64 * 1024 * 1024));
    right(freeTensor(right(allocTensor([4]))));
    const bytes = k.memory.buffer.byteLength;
    for (let i = 0; i < 60; i++) {
      right(reserveTensorMemory(64 * 1024 * 1024));
      right(freeTensor(right(allocTensor([1024]))));
    }
    expect(k.memory.buffer.byteLength).toBe(bytes);
    // a smaller size keeps the memory and serves less of it
    right(reserveTensorMemory(1 << 20));
    expect(k.memory.buffer.byteLength).toBe(bytes);
    expect(E.isLeft(allocTensor([1 << 19]))).toBe(true);
  });

  it('refuses a size the module cannot address, and a non-number, with typed errors', () => {
    for (const bytes of [2 ** 40, 2 ** 32, Infinity, NaN, '1024', null]) {
      const r = reserveTensorMemory(bytes as never);
      expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidNumber', 'bytes']);
    }
  });

  it('allocTensor refuses a shape that is not an array of integers without taking a block', () => {
    for (const shape of [5, null, 'x', [2, NaN], [2 ** 28, 2]]) {
      const r = allocTensor(shape as never);
      expect(E.isLeft(r) && r.left._tag).toBe('InvalidTensor');
    }
    // nothing was taken: the whole arena can still be allocated in one piece
    right(reserveTensorMemory(1 << 20));
    right(freeTensor(right(allocTensor([1 << 18]))));
  });

  it('freeTensor refuses a view over part of a tensor, and leaves the tensor live', () => {
    const t = right(allocTensor([4, 4]));
    for (const part of [t.lo(1), t.hi(2), t.pick(0)]) {
      const r = freeTensor(part as Tensor);
      expect(E.isLeft(r) && r.left._tag).toBe('InvalidTensor');
    }
    right(freeTensor(t));
  });
});
