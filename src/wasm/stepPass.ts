/**
 * The fused posterior pass of one batch item on the WebAssembly kernel. Internal: the step layer's
 * kernel calls it for each item and falls back to its JavaScript loop when it returns false.
 *
 * @module
 */
import { backend } from './backend.js';
import { CHUNK, kernels, memoryF32, stagingAt, type KernelExports } from './instance.js';

/** The noise term of a pass: none (timestep 0), a scalar deviation, or the `learned` variance. */
export type NoiseKind = 0 | 1 | 2;

/** No noise term. @internal */
export const NOISE_NONE: NoiseKind = 0;
/** `sd * noise`: the four fixed variance types. @internal */
export const NOISE_SCALED: NoiseKind = 1;
/** `sqrt(max(variance, 0)) * noise`: `learned`. @internal */
export const NOISE_LEARNED: NoiseKind = 2;

/** What the model predicts, as the kernels number it. */
export type PredictionCode = 0 | 1 | 2;

/** The noise (eq. 15). @internal */
export const PREDICT_EPSILON: PredictionCode = 0;
/** The clean sample itself. @internal */
export const PREDICT_SAMPLE: PredictionCode = 1;
/** The velocity v = sqrt(abar) eps - sqrt(1 - abar) x0. @internal */
export const PREDICT_VELOCITY: PredictionCode = 2;

/** What happens to x0 after it is predicted: nothing, a clamp to [-c, c], or a clamp then a division by c. */
export type ClipMode = 0 | 1 | 2;

/** x0 as predicted. @internal */
export const CLIP_NONE: ClipMode = 0;
/** `clipSample`: x0 clamped to [-c, c]. @internal */
export const CLIP_CLAMP: ClipMode = 1;
/** Dynamic thresholding: x0 clamped to [-c, c], then divided by c. @internal */
export const CLIP_THRESHOLD: ClipMode = 2;

/** An array and the element offset where the item starts. */
interface Operand {
  readonly data: Float32Array;
  readonly offset: number;
}

/**
 * The scalars of one pass. `float32`: every op rounded to float32 in torch's order (a float32 table);
 * otherwise each element in double, rounded once at the store (a float64 table).
 */
export interface PassScalars {
  readonly float32: boolean;
  readonly prediction: PredictionCode;
  readonly clipMode: ClipMode;
  /** sqrt(alphaBar_t). */
  readonly a: number;
  /** sqrt(1 - alphaBar_t). */
  readonly b: number;
  /** The clip range or the threshold. */
  readonly c: number;
  /** The weights of x0 and x_t in the posterior mean. */
  readonly c0: number;
  readonly ct: number;
  /** The noise's standard deviation (NOISE_SCALED). */
  readonly sd: number;
}

const inMemory = (k: KernelExports, a: Operand | null): boolean => a === null || a.data.buffer === k.memory.buffer;

const pointer = (a: Operand | null, from: number): number =>
  a === null ? 0 : a.data.byteOffset + (a.offset + from) * 4;

/**
 * Runs `len` elements of the fused pass into `prev` and `x0`, with the very operations of the
 * JavaScript loop: f32x4 in torch's float32 op order for float32 tables, f64x2 for float64 tables
 * (bit-identical results either way). Operands already in WASM memory (see
 * `allocTensor`) are passed by pointer with no copy; others stream through fixed staging chunks.
 * Returns false, doing nothing, when the active backend is not `'wasm'`.
 *
 * @example
 * ```ts
 * const done = wasmStepPass(prev, x0, model, sample, noise, null, len, NOISE_SCALED, scalars);
 * if (!done) runJavaScriptLoop();
 * ```
 * @internal
 */
export const wasmStepPass = (
  prev: Operand,
  x0: Operand,
  model: Operand,
  sample: Operand,
  noise: Operand | null,
  variance: Operand | null,
  len: number,
  kind: NoiseKind,
  s: PassScalars,
): boolean => {
  if (backend() !== 'wasm') return false;
  const k = kernels();
  if (k === null) return false;
  const pass = s.float32 ? k.step32 : k.step64;
  const operands = [model, sample, noise, variance, prev, x0] as const;
  if (operands.every((a) => inMemory(k, a))) {
    // Zero copy: every operand already lives in WASM memory.
    pass(pointer(prev, 0), pointer(x0, 0), pointer(model, 0), pointer(sample, 0), pointer(noise, 0),
      pointer(variance, 0), len, kind, s.prediction, s.clipMode, s.a, s.b, s.c, s.c0, s.ct, s.sd);
    return true;
  }
  const direct = operands.map((a) => inMemory(k, a));
  for (let from = 0; from < len; from += CHUNK) {
    const n = Math.min(CHUNK, len - from);
    const memory = memoryF32(k);
    const at: number[] = [];
    for (let slot = 0; slot < operands.length; slot++) {
      const a = operands[slot] as Operand | null;
      if (a === null || direct[slot]) {
        at.push(pointer(a, from));
        continue;
      }
      const staged = stagingAt(slot);
      // Inputs are copied in; the two outputs (slots 4 and 5) are only copied out.
      if (slot < 4) memory.set(a.data.subarray(a.offset + from, a.offset + from + n), staged >> 2);
      at.push(staged);
    }
    pass(at[4] as number, at[5] as number, at[0] as number, at[1] as number, at[2] as number, at[3] as number,
      n, kind, s.prediction, s.clipMode, s.a, s.b, s.c, s.c0, s.ct, s.sd);
    for (const slot of [4, 5]) {
      if (direct[slot]) continue;
      const a = operands[slot] as Operand;
      const staged = (at[slot] as number) >> 2;
      a.data.set(memory.subarray(staged, staged + n), a.offset + from);
    }
  }
  return true;
};
