// Moved to src/kernels/select.ts; this re-export is removed once the noise kernels move too.
export { backend, setBackend } from '../kernels/select.js';
