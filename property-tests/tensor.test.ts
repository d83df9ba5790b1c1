import fc from 'fast-check';
import ndarray, { type NdArray } from 'ndarray';
import { copyStrided, tensor } from '../src/tensor/index.js';

// The library's tensors are made without code generation (CSP-safe); they must behave exactly as
// scijs ndarray's views do, through any chain of view operations.

type Op =
  | { readonly kind: 'lo' | 'hi' | 'pick'; readonly at: ReadonlyArray<number | null> }
  | { readonly kind: 'step'; readonly at: ReadonlyArray<number | null> }
  | { readonly kind: 'transpose'; readonly order: ReadonlyArray<number> };

const fraction = fc.oneof(fc.double({ min: 0, max: 0.999, noNaN: true }), fc.constant(null));
const rawOp = fc.record({
  kind: fc.constantFrom('lo', 'hi', 'pick', 'step', 'transpose' as const),
  fractions: fc.array(fraction, { minLength: 5, maxLength: 5 }),
  steps: fc.array(fc.constantFrom(-3, -2, -1, 1, 2, 3), { minLength: 5, maxLength: 5 }),
  keys: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 5, maxLength: 5 }),
});

/** Arguments valid for the current shape: an index within each dimension, or null to leave it. */
type RawOp = { readonly kind: Op['kind']; readonly fractions: ReadonlyArray<number | null>; readonly steps: ReadonlyArray<number>; readonly keys: ReadonlyArray<number> };

const opFor = (raw: RawOp, shape: ReadonlyArray<number>): Op => {
  const rank = shape.length;
  if (raw.kind === 'transpose') {
    const order = Array.from({ length: rank }, (_, d) => d).sort((a, b) => (raw.keys[a] as number) - (raw.keys[b] as number));
    return { kind: 'transpose', order };
  }
  if (raw.kind === 'step') return { kind: 'step', at: shape.map((_, d) => (raw.fractions[d] === null ? null : (raw.steps[d] as number))) };
  const at = shape.map((n, d) => {
    const f = raw.fractions[d];
    if (f === null || f === undefined) return null;
    // lo and hi take 0 .. n, pick 0 .. n - 1
    return Math.floor(f * (raw.kind === 'pick' ? n : n + 1));
  });
  return { kind: raw.kind, at };
};

const apply = <T extends NdArray<Float32Array>>(t: T, op: Op): T => {
  const args = (xs: ReadonlyArray<number | null>) => xs.map((x) => (x === null ? -1 : x));
  switch (op.kind) {
    case 'lo':
      return t.lo(...args(op.at)) as T;
    case 'hi':
      return t.hi(...args(op.at)) as T;
    case 'pick':
      return t.pick(...op.at) as T;
    case 'step':
      return t.step(...op.at.map((x) => (x === null ? (undefined as unknown as number) : x))) as T;
    case 'transpose':
      return t.transpose(...op.order) as T;
  }
};

/** Every index tuple of a shape, in C order. */
const indices = (shape: ReadonlyArray<number>): number[][] => {
  let out: number[][] = [[]];
  for (const n of shape) out = out.flatMap((prefix) => Array.from({ length: Math.max(0, n) }, (_, i) => [...prefix, i]));
  return out;
};

const describeView = (t: NdArray<Float32Array>) => ({
  shape: Array.from(t.shape),
  stride: Array.from(t.stride),
  offset: t.offset,
  dimension: t.dimension,
  size: t.size,
  dtype: t.dtype,
  order: t.dimension > 0 ? Array.from(t.order) : [],
});

describe('tensor (CSP-safe views) against scijs ndarray', () => {
  it('gives the same shape, strides, offset, order and values through any chain of lo, hi, step, transpose and pick', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 5 }),
        fc.array(rawOp, { maxLength: 4 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (shape, rawOps, seed) => {
          const size = shape.reduce((a, b) => a * b, 1);
          const data = Float32Array.from({ length: size }, (_, i) => Math.fround(Math.sin(seed + i)));
          let ours = tensor(data, shape);
          let theirs = ndarray(data, shape.slice());
          for (const raw of rawOps) {
            if (ours.dimension === 0) break; // ndarray's 0-d views end a chain (pick gives a null view)
            const op = opFor(raw, ours.shape);
            ours = apply(ours, op);
            theirs = apply(theirs, op);
            expect(describeView(ours)).toEqual(describeView(theirs));
          }
          for (const at of indices(theirs.shape)) {
            expect(ours.index(...at)).toBe(theirs.index(...at));
            expect(ours.get(...at)).toBe(theirs.get(...at));
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('sets the same element as ndarray, and returns the value', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }), fc.double({ min: 0, max: 0.999, noNaN: true }), (shape, f) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const a = tensor(new Float32Array(size), shape).transpose(...shape.map((_, d) => shape.length - 1 - d));
        const b = ndarray(new Float32Array(size), shape.slice()).transpose(...shape.map((_, d) => shape.length - 1 - d));
        const all = indices(b.shape);
        const at = all[Math.floor(f * all.length)] as number[];
        expect(a.set(...at, 2.5)).toBe(b.set(...at, 2.5));
        expect(Array.from(a.data)).toEqual(Array.from(b.data));
      }),
      { numRuns: 300 },
    );
  });

  it('takes explicit strides and offsets as ndarray does, negative strides included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), fc.boolean()), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (dims, withOffset) => {
          const shape = dims.map(([n]) => n);
          const size = shape.reduce((a, b) => a * b, 1);
          const data = Float32Array.from({ length: size }, (_, i) => i);
          let step = 1;
          const stride = new Array<number>(shape.length);
          for (let d = shape.length - 1; d >= 0; d--) {
            stride[d] = (dims[d] as [number, boolean])[1] ? -step : step;
            step *= shape[d] as number;
          }
          const offset = withOffset ? shape.reduce((o, n, d) => ((stride[d] as number) < 0 ? o + (n - 1) * -(stride[d] as number) : o), 0) : undefined;
          const ours = tensor(data, shape, stride, offset);
          const theirs = ndarray(data, shape.slice(), stride.slice(), offset);
          expect(describeView(ours)).toEqual(describeView(theirs));
          for (const at of indices(shape)) expect(ours.get(...at)).toBe(theirs.get(...at));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('copyStrided', () => {
  // dst[i] = src[i] at every index of the shape, and no other element of dst's buffer changes, for
  // any two views of one shape: contiguous ones (one set), long contiguous rows (a set per row) and
  // element-wise walks alike. The expected values are read with get before the copy.
  it('writes src into dst at every index and nothing else, whatever the two layouts', () => {
    const layout = fc.record({
      // 0: the view itself; 1: a sub-view of a larger buffer (hi); 2: reversed last dimension; 3: transposed
      form: fc.integer({ min: 0, max: 3 }),
      pad: fc.integer({ min: 0, max: 3 }),
      offset: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(1, 2, 3, 5, 33, 64), { minLength: 1, maxLength: 3 }),
        layout,
        layout,
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (shape, a, b, seed) => {
          const make = (l: { form: number; pad: number; offset: number }, fill: (i: number) => number) => {
            const rank = shape.length;
            const outer = l.form === 1 ? shape.map((n, d) => (d === rank - 1 ? n + l.pad : n)) : shape;
            const size = outer.reduce((x, y) => x * y, 1);
            const data = Float32Array.from({ length: size + l.offset }, (_, i) => fill(i));
            const base = tensor(data.subarray(0, data.length), outer, undefined, l.offset);
            if (l.form === 1) return base.hi(...shape);
            if (l.form === 2) return base.step(...shape.map((_, d) => (d === rank - 1 ? -1 : 1)));
            if (l.form === 3 && rank > 1) {
              const reversed = shape.map((_, d) => rank - 1 - d);
              return tensor(data, [...shape].reverse(), undefined, l.offset).transpose(...reversed);
            }
            return base;
          };
          const src = make(a, (i) => Math.fround(Math.sin(seed + i)));
          const dst = make(b, () => -7);
          const before = Float32Array.from(dst.data);
          const expected = indices(shape).map((at) => src.get(...at));
          const touched = new Set(indices(shape).map((at) => dst.index(...at)));
          copyStrided(dst, src);
          expect(indices(shape).map((at) => dst.get(...at))).toEqual(expected);
          dst.data.forEach((x, i) => {
            if (!touched.has(i)) expect(x).toBe(before[i]);
          });
        },
      ),
      { numRuns: 500 },
    );
  });
});
