/**
 * The posterior pass of the WebAssembly kernels: the very operations of the specification
 * (`posteriorElement`), f32x4 in torch's float32 op order for float32 tables and f64x2 for float64
 * tables, so that both backends give identical bits. `learned_range` (an exp per element, which the
 * module does not have) runs the JavaScript pass.
 *
 * @module
 */
import { jsPosteriorPass } from '../kernels/js/posteriorPass.js';
import { NOISE_RANGE, type Operand, type PassOperands, type PassScalars } from '../kernels/types.js';
import { CHUNK, memoryF32, stagingAt, type KernelExports } from './instance.js';

const inMemory = (k: KernelExports, a: Operand | null): boolean => a === null || a.data.buffer === k.memory.buffer;

const pointer = (a: Operand | null, from: number): number => (a === null ? 0 : a.data.byteOffset + (a.offset + from) * 4);

// The staging slots of the six operands, in the module's argument order.
const SLOT_MODEL = 0;
const SLOT_OUTPUTS = 4;

/**
 * The pass over `len` elements on the module `k`. Operands already in WASM memory (see `allocTensor`)
 * are passed by pointer with no copy; the others stream through fixed staging chunks (inputs copied
 * in, outputs copied out), chunk by chunk, so that an output may be an input's very view.
 *
 * @example
 * ```ts
 * wasmPosteriorPass(kernels, { prev, x0, model, sample, noise, variance: null }, 4096, scalars);
 * ```
 * @internal
 */
export const wasmPosteriorPass = (k: KernelExports, o: PassOperands, len: number, s: PassScalars): void => {
  if (s.noise === NOISE_RANGE) {
    jsPosteriorPass(o, len, s);
    return;
  }
  const pass = s.float32 ? k.step32 : k.step64;
  const run = (prev: number, x0: number, m: number, x: number, z: number, v: number, n: number) =>
    pass(prev, x0, m, x, z, v, n, s.noise, s.prediction, s.clipMode, s.a, s.b, s.c, s.c0, s.ct, s.sd);
  const operands = [o.model, o.sample, o.noise, o.variance, o.prev, o.x0] as const;
  const direct = operands.map((a) => inMemory(k, a));
  if (direct.every(Boolean)) {
    run(pointer(o.prev, 0), pointer(o.x0, 0), pointer(o.model, 0), pointer(o.sample, 0), pointer(o.noise, 0), pointer(o.variance, 0), len);
    return;
  }
  const at: number[] = [0, 0, 0, 0, 0, 0];
  for (let from = 0; from < len; from += CHUNK) {
    const n = Math.min(CHUNK, len - from);
    const memory = memoryF32(k);
    for (let slot = SLOT_MODEL; slot < operands.length; slot++) {
      const a = operands[slot] as Operand | null;
      if (a === null || direct[slot]) {
        at[slot] = pointer(a, from);
        continue;
      }
      at[slot] = stagingAt(slot);
      if (slot < SLOT_OUTPUTS) memory.set(a.data.subarray(a.offset + from, a.offset + from + n), stagingAt(slot) >> 2);
    }
    run(at[4] as number, at[5] as number, at[0] as number, at[1] as number, at[2] as number, at[3] as number, n);
    for (let slot = SLOT_OUTPUTS; slot < operands.length; slot++) {
      if (direct[slot]) continue;
      const a = operands[slot] as Operand;
      const staged = (at[slot] as number) >> 2;
      a.data.set(memory.subarray(staged, staged + n), a.offset + from);
    }
  }
};
