/**
 * The kernels interface the domain owns: what the step, the noise and the sampling loops ask of a
 * kernel backend, the numbers the passes are parameterized by, and nothing about configs, generators
 * or validation. Kernels take validated numbers and arrays only: they never throw on data, never
 * re-check what the boundary checked, and allocate no data buffers (but the workspace, which is for
 * that).
 *
 * @module
 */
import type { Tensor } from '../tensor/tensor.js';
import type { CpuCapability } from '../cpuCapability.js';
import type { ExpKind } from './torchMath.js';

/** The two kernel backends: the WebAssembly SIMD build, or the JavaScript kernels. */
export type Backend = 'wasm' | 'js';

/** What the model predicts, as the kernels number it. */
export type PredictionCode = 0 | 1 | 2;

/** The noise (eq. 15): x0 = (x - sqrt(1 - abar) eps) / sqrt(abar). @internal */
export const PREDICT_EPSILON: PredictionCode = 0;
/** The clean sample itself. @internal */
export const PREDICT_SAMPLE: PredictionCode = 1;
/** The velocity v = sqrt(abar) eps - sqrt(1 - abar) x0, so x0 = sqrt(abar) x - sqrt(1 - abar) v. @internal */
export const PREDICT_VELOCITY: PredictionCode = 2;

/** What happens to x0 after it is predicted: nothing, a clamp to [-c, c], or a clamp then a division by c. */
export type ClipMode = 0 | 1 | 2;

/** x0 as predicted. @internal */
export const CLIP_NONE: ClipMode = 0;
/** `clipSample`: x0 clamped to [-c, c]. @internal */
export const CLIP_CLAMP: ClipMode = 1;
/** Dynamic thresholding: x0 clamped to [-c, c], then divided by c. @internal */
export const CLIP_THRESHOLD: ClipMode = 2;

/** The noise term of a pass. */
export type NoiseKind = 0 | 1 | 2 | 3;

/** No noise term (timestep 0). @internal */
export const NOISE_NONE: NoiseKind = 0;
/** `sd * noise`: the four fixed variance types. @internal */
export const NOISE_SCALED: NoiseKind = 1;
/** `sqrt(max(v, 0)) * noise`, v the model's variance channel: `learned`. @internal */
export const NOISE_LEARNED: NoiseKind = 2;
/** `exp(log-variance / 2) * noise`, the log-variance interpolated by the model's value: `learned_range`. @internal */
export const NOISE_RANGE: NoiseKind = 3;

/**
 * The scalars of one pass, each already rounded as the pass uses it (to float32 for a float32 table).
 * `float32`: every op rounded to float32 in torch's order (a float32 table); otherwise each element in
 * double, rounded once at the store (a float64 table).
 */
export interface PassScalars {
  readonly float32: boolean;
  readonly prediction: PredictionCode;
  readonly clipMode: ClipMode;
  readonly noise: NoiseKind;
  /** sqrt(alphaBar_t). */
  readonly a: number;
  /** sqrt(1 - alphaBar_t). */
  readonly b: number;
  /** The clip range or the threshold (ignored for CLIP_NONE). */
  readonly c: number;
  /** The weight of x0 in the posterior mean (eq. 7). */
  readonly c0: number;
  /** The weight of x_t in the posterior mean (eq. 7). */
  readonly ct: number;
  /** The noise's standard deviation (NOISE_SCALED). */
  readonly sd: number;
  /** log beta-tilde and log beta, the ends of the `learned_range` interpolation (NOISE_RANGE). */
  readonly minLog: number;
  readonly maxLog: number;
  /** The float32 exp of NOISE_RANGE: glibc's (EXP_GLIBC) or Sleef's (EXP_SLEEF), by torch's kernel family. */
  readonly expKind: ExpKind;
}

/** An array and the element offset where a pass starts reading or writing it. */
export interface Operand {
  readonly data: Float32Array;
  readonly offset: number;
}

/**
 * The operands of one pass, each `len` contiguous elements from its offset. `noise` is read unless the
 * kind is NOISE_NONE, `variance` only for NOISE_LEARNED and NOISE_RANGE (null otherwise). An output may
 * be the very same operand as an input (every input element is read before the same index is written),
 * but must not partly overlap one.
 */
export interface PassOperands {
  readonly prev: Operand;
  readonly x0: Operand;
  readonly model: Operand;
  readonly sample: Operand;
  readonly noise: Operand | null;
  readonly variance: Operand | null;
}

/** Where a draw leaves the MT19937 state: fresh words when they were regenerated (null: unchanged), and the index. */
export interface DrawnState {
  readonly words: Uint32Array | null;
  readonly index: number;
}

/**
 * A sampling loop's own memory: the sample it steps in place, x0 and the noise buffer, contiguous,
 * zero-filled, of one shape. `release` gives it back (idempotent); nothing of it is handed to callers.
 */
export interface Workspace {
  readonly sample: Tensor;
  readonly x0: Tensor;
  readonly noise: Tensor;
  readonly release: () => void;
}

/**
 * One kernel backend. Both implementations return identical bits for every input: choosing one changes
 * speed, never a result.
 */
export interface Kernels {
  readonly name: Backend;
  /** The fused posterior pass over `len` contiguous elements of each operand (see posteriorElement). */
  readonly posteriorPass: (operands: PassOperands, len: number, scalars: PassScalars) => void;
  /**
   * `torch.randn(out.length)`'s float32 path (out.length >= 16) on the CPU kernel family `capability`:
   * uniforms from the MT19937 state (`words`, `index`, never written), 16-wide Box-Muller blocks, the
   * ragged tail recomputed.
   */
  readonly normalBlocks: (out: Float32Array, words: Uint32Array, index: number, capability: CpuCapability) => DrawnState;
  /** A sampling loop's workspace for `shape` (memory the passes and draws run on without copies). */
  readonly workspace: (shape: ReadonlyArray<number>) => Workspace;
}
