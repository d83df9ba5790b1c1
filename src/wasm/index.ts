/**
 * The WebAssembly SIMD backend: backend selection, and tensors that live in the kernels' memory.
 * The posterior step and `randn` pick the active backend by themselves; the JavaScript kernels are
 * the fallback wherever WebAssembly SIMD is unavailable, and `DDPM_BACKEND=js|wasm` or
 * {@link setBackend} override the choice.
 *
 * @module
 */
export { backend, BACKENDS, chooseBackend, loadWasm, setBackend, type Backend } from './backend.js';
export { allocTensor, freeTensor, isWasmTensor, reserveTensorMemory } from './allocTensor.js';
export { simdSupported } from './instance.js';
