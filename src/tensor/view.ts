import type { Tensor } from './tensor.js';

/**
 * A strided view over a Float32Array with the interface and the semantics of a scijs ndarray (`get`,
 * `set`, `index`, `lo`, `hi`, `step`, `transpose`, `pick`, `size`, `order`, `dimension`, `dtype`),
 * written as one class for every rank. ndarray compiles a constructor per rank and dtype with
 * `new Function`, which a Content-Security-Policy without `'unsafe-eval'` refuses; this class
 * generates no code, so the tensors the library makes work under such a policy.
 */
class Float32View {
  readonly dtype = 'float32' as const;

  constructor(
    public data: Float32Array,
    public shape: number[],
    public stride: number[],
    public offset: number,
  ) {}

  get dimension(): number {
    return this.shape.length;
  }

  get size(): number {
    let n = 1;
    for (const d of this.shape) n *= d;
    return n;
  }

  /** The dimensions from the smallest |stride| to the largest, ties broken as ndarray breaks them. */
  get order(): number[] {
    if (this.stride.length === 3) {
      // ndarray's own comparisons for rank 3 (a stable sort would order some ties differently)
      const [s0, s1, s2] = this.stride.map(Math.abs) as [number, number, number];
      if (s0 > s1) return s1 > s2 ? [2, 1, 0] : s0 > s2 ? [1, 2, 0] : [1, 0, 2];
      return s0 > s2 ? [2, 0, 1] : s2 > s1 ? [0, 1, 2] : [0, 2, 1];
    }
    return this.stride
      .map((s, i) => [Math.abs(s), i] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, i]) => i);
  }

  /** The reversed transpose (numpy's `.T`). */
  get T(): Float32View {
    return this.transpose(...this.shape.map((_, i) => this.shape.length - 1 - i));
  }

  index(...at: number[]): number {
    let i = this.offset;
    for (let d = 0; d < this.shape.length; d++) i += (this.stride[d] as number) * (at[d] as number);
    return i;
  }

  get(...at: number[]): number {
    return this.data[this.index(...at)] as number;
  }

  set(...args: number[]): number {
    const value = args[this.shape.length] as number;
    this.data[this.index(...args)] = value;
    return value;
  }

  /** Sets the upper bound of each dimension given a number >= 0 (others keep their size). */
  hi(...at: number[]): Float32View {
    const shape = this.shape.map((n, d) => {
      const i = at[d];
      return typeof i !== 'number' || i < 0 ? n : i | 0;
    });
    return new Float32View(this.data, shape, this.stride.slice(), this.offset);
  }

  /** Moves the start of each dimension given a number >= 0 forward by it. */
  lo(...at: number[]): Float32View {
    let offset = this.offset;
    const shape = this.shape.slice();
    for (let d = 0; d < shape.length; d++) {
      const i = at[d];
      if (typeof i === 'number' && i >= 0) {
        const k = i | 0;
        offset += (this.stride[d] as number) * k;
        shape[d] = (shape[d] as number) - k;
      }
    }
    return new Float32View(this.data, shape, this.stride.slice(), offset);
  }

  /** Takes every k-th element of each dimension given a number k (a negative k walks it backwards). */
  step(...at: number[]): Float32View {
    let offset = this.offset;
    const shape = this.shape.slice();
    const stride = this.stride.slice();
    for (let d = 0; d < shape.length; d++) {
      const i = at[d];
      if (typeof i !== 'number') continue;
      const k = i | 0;
      const n = shape[d] as number;
      if (k < 0) {
        offset += (stride[d] as number) * (n - 1);
        shape[d] = Math.ceil(-n / k);
      } else {
        shape[d] = Math.ceil(n / k);
      }
      stride[d] = (stride[d] as number) * k;
    }
    return new Float32View(this.data, shape, stride, offset);
  }

  /** Permutes the dimensions: dimension d of the result is dimension `at[d]` (d itself when absent). */
  transpose(...at: number[]): Float32View {
    const axes = this.shape.map((_, d) => (at[d] === undefined ? d : (at[d] as number) | 0));
    return new Float32View(
      this.data,
      axes.map((a) => this.shape[a] as number),
      axes.map((a) => this.stride[a] as number),
      this.offset,
    );
  }

  /** Fixes each dimension given a number >= 0 at that index and drops it (null or a negative keeps it). */
  pick(...at: Array<number | null>): Float32View {
    let offset = this.offset;
    const shape: number[] = [];
    const stride: number[] = [];
    for (let d = 0; d < this.shape.length; d++) {
      const i = at[d];
      if (typeof i === 'number' && i >= 0) offset = (offset + (this.stride[d] as number) * i) | 0;
      else {
        shape.push(this.shape[d] as number);
        stride.push(this.stride[d] as number);
      }
    }
    return new Float32View(this.data, shape, stride, offset);
  }
}

/**
 * A {@link Tensor} over `data`: C-order strides and offset 0 unless given, as `ndarray(data, shape)`
 * makes it, with the same interface and semantics, but built without generating code, so that it
 * works under a Content-Security-Policy without `'unsafe-eval'` (ndarray's constructor compiles code
 * with `new Function`). Every tensor the library returns is made by it; tensors made by ndarray are
 * accepted everywhere as before. Like ndarray it does not validate its arguments: `checkTensor`, and
 * every function that reads a tensor, reports a bad one as an `InvalidTensor` error.
 *
 * @example
 * ```ts
 * const t = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * t.get(1, 2);                 // 6
 * t.transpose(1, 0).get(2, 1); // 6
 * t.hi(1, 2).size;             // 2
 * ```
 */
export const tensor = (
  data: Float32Array,
  shape: ReadonlyArray<number>,
  stride?: ReadonlyArray<number>,
  offset?: number,
): Tensor => {
  const strides = stride === undefined ? cOrderStrides(shape) : [...stride];
  let start = offset;
  if (start === undefined) {
    // as ndarray: a negative stride starts the view at the far end of its dimension
    start = 0;
    for (let d = 0; d < shape.length; d++) {
      const s = strides[d] as number;
      if (s < 0) start -= ((shape[d] as number) - 1) * s;
    }
  }
  const view: Tensor = new Float32View(data, [...shape], strides, start);
  return view;
};

const cOrderStrides = (shape: ReadonlyArray<number>): number[] => {
  const strides = new Array<number>(shape.length);
  for (let d = shape.length - 1, size = 1; d >= 0; d--) {
    strides[d] = size;
    size *= shape[d] as number;
  }
  return strides;
};
