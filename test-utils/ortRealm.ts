// jest runs each test file in a vm context of its own, and onnxruntime-node's native binding makes its output
// arrays in Node's main context, so `data instanceof Float32Array` (onnxruntime-common's check of every
// output, the library's and the command line's checks) is false for them in a test though they are
// Float32Arrays. Outside jest there is one context and nothing of this arises.

const isFloat32Array = (v: unknown): boolean => ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Float32Array]';

/**
 * For the calling test file: `instanceof Float32Array` asks what the array is rather than which context
 * made it, from beforeAll to afterAll (then the original behaviour is put back).
 */
export const useCrossContextFloat32Array = (): void => {
  const own = Object.getOwnPropertyDescriptor(Float32Array, Symbol.hasInstance);
  beforeAll(() => {
    Object.defineProperty(Float32Array, Symbol.hasInstance, { value: isFloat32Array, configurable: true });
  });
  afterAll(() => {
    if (own === undefined) delete (Float32Array as unknown as Record<symbol, unknown>)[Symbol.hasInstance];
    else Object.defineProperty(Float32Array, Symbol.hasInstance, own);
  });
};
