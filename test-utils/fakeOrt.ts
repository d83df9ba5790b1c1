// An ONNX Runtime stand-in for the tests of the command line's network wrapper (cli/src/network.ts):
// a Tensor class with ORT's three fields, and the module object network.ts takes.
import type { OrtLike, OrtTensorLike } from '../cli/src/network.js';

/** A tensor as onnxruntime makes them: a type name, the data and the dims. */
export class FakeTensor implements OrtTensorLike {
  constructor(
    readonly type: string,
    readonly data: Float32Array | BigInt64Array,
    readonly dims: ReadonlyArray<number>,
  ) {}
}

/** The module object: only the Tensor constructor. */
export const fakeOrt: OrtLike = { Tensor: FakeTensor };
