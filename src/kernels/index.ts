/**
 * The kernels layer's public face: which backend runs the posterior step and the noise. The
 * JavaScript kernels are the definition; the WebAssembly SIMD ones (src/wasm/) return the same bits,
 * faster. `DDPM_BACKEND=js|wasm` or {@link setBackend} override the choice made at load.
 *
 * @module
 */
export { backend, BACKENDS, chooseBackend, loadWasm, setBackend, type Backend } from './select.js';
