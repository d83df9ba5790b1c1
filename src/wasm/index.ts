/**
 * The WebAssembly SIMD backend's public face: tensors that live in the kernels' memory, so that the
 * step and the noise run on them with no copy, and the SIMD probe. Backend selection is in the
 * kernels layer (`backend`, `setBackend`, `loadWasm`).
 *
 * @module
 */
export { allocTensor, freeTensor, isWasmTensor, reserveTensorMemory } from './allocTensor.js';
export { simdSupported, wasmBuild, type WasmBuild } from './instance.js';
