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
import { CHUNK, copyFromMemory, memoryF32, memoryF64, memoryU32, STEP_BLOCK, stagingAt, type KernelExports } from './instance.js';

const inMemory = (k: KernelExports, a: Operand | null): boolean => a === null || a.data.buffer === k.memory.buffer;

const pointer = (a: Operand | null, from: number): number => (a === null ? 0 : a.data.byteOffset + (a.offset + from) * 4);

// The six operands in the order of their staging slots, which is also the order of their addresses in
// the parameter block (u32 words 0-5 of STEP_BLOCK): the four inputs, then the two outputs.
const SLOT_MODEL = 0;
const SLOT_OUTPUTS = 4;
const ADDRESSES = STEP_BLOCK >> 2;
// The scalars a, b, c, -c, c0, ct, sd from byte 32 of the block, as the pass reads them.
const SCALARS = STEP_BLOCK + 32;

/** Writes the pass's scalars into the block: floats for step32 (exact: already rounded), doubles for step64. */
const writeScalars = (k: KernelExports, s: PassScalars): void => {
  const slots = s.float32 ? memoryF32(k) : memoryF64(k);
  const at = s.float32 ? SCALARS >> 2 : SCALARS >> 3;
  slots[at] = s.a;
  slots[at + 1] = s.b;
  slots[at + 2] = s.c;
  slots[at + 3] = -s.c;
  slots[at + 4] = s.c0;
  slots[at + 5] = s.ct;
  slots[at + 6] = s.sd;
};

/**
 * The pass over `len` elements on the module `k`. Operands already in WASM memory (see `allocTensor`)
 * are passed by pointer with no copy; the others stream through fixed staging chunks (inputs copied
 * in, outputs copied out), chunk by chunk, so that an output may be an input's very view. Each call of
 * the kernel finds the six addresses and the scalars in the parameter block at `STEP_BLOCK`.
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
  writeScalars(k, s);
  const operands = [o.model, o.sample, o.noise, o.variance, o.prev, o.x0] as const;
  const direct = operands.map((a) => inMemory(k, a));
  if (direct.every(Boolean)) {
    const words = memoryU32(k);
    for (let slot = SLOT_MODEL; slot < operands.length; slot++) words[ADDRESSES + slot] = pointer(operands[slot] as Operand | null, 0);
    pass(STEP_BLOCK, len, s.noise, s.prediction, s.clipMode);
    return;
  }
  const at: number[] = [0, 0, 0, 0, 0, 0];
  for (let from = 0; from < len; from += CHUNK) {
    const n = Math.min(CHUNK, len - from);
    const memory = memoryF32(k);
    const words = memoryU32(k);
    for (let slot = SLOT_MODEL; slot < operands.length; slot++) {
      const a = operands[slot] as Operand | null;
      if (a === null || direct[slot]) {
        at[slot] = pointer(a, from);
      } else {
        at[slot] = stagingAt(slot);
        if (slot < SLOT_OUTPUTS) memory.set(a.data.subarray(a.offset + from, a.offset + from + n), stagingAt(slot) >> 2);
      }
      words[ADDRESSES + slot] = at[slot] as number;
    }
    pass(STEP_BLOCK, n, s.noise, s.prediction, s.clipMode);
    for (let slot = SLOT_OUTPUTS; slot < operands.length; slot++) {
      if (direct[slot]) continue;
      const a = operands[slot] as Operand;
      const staged = (at[slot] as number) >> 2;
      copyFromMemory(k, staged, n, a.data, a.offset + from);
    }
  }
};
