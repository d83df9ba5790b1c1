/**
 * torch's float32 `exp` and `log` on the CPU, by kernel family: what the scheduler's scalar
 * coefficients (0-d tensors), the `learned_range` noise scale and the `sigmoid` schedule round with.
 * On the default build they are glibc's `expf`/`logf` (the scalar loop); on AVX2 builds every element,
 * a 0-d tensor's too, goes through Sleef's vectorized `expf_u10`/`logf_u10` (vml's `vec::map` runs the
 * partial last vector as well; measured on torch 1.13.1). AVX512 builds run Sleef's 16-lane functions, taken here to give the 8-lane
 * ones' values (not verifiable on the machines these were measured on).
 *
 * @module
 * @internal
 */
import type { CpuCapability } from '../cpuCapability.js';
import { expf, logf } from './js/glibcFloat.js';
import { sleefExpf, torchSigmoidInto } from './js/sleefExpf.js';
import { sleefLogf } from './js/sleefLogf.js';

/** Which exp a float32 elementwise `torch.exp` runs: glibc's (0) or Sleef's (1). @internal */
export type ExpKind = 0 | 1;
/** glibc's `expf`: torch's default build. @internal */
export const EXP_GLIBC: ExpKind = 0;
/** Sleef's `expf_u10`: torch's AVX2 and AVX512 builds. @internal */
export const EXP_SLEEF: ExpKind = 1;

/**
 * The exp kind of a kernel family.
 *
 * @example
 * ```ts
 * expKindOf('avx2') // EXP_SLEEF
 * ```
 * @internal
 */
export const expKindOf = (capability: CpuCapability): ExpKind => (capability === 'default' ? EXP_GLIBC : EXP_SLEEF);

/**
 * The float32 exp of an exp kind: a function of a float32 value giving torch's float32 result.
 *
 * @example
 * ```ts
 * expOfKind(EXP_SLEEF)(Math.fround(-2.5)) // Sleef's expf(-2.5)
 * ```
 * @internal
 */
export const expOfKind = (kind: ExpKind): ((x: number) => number) => (kind === EXP_SLEEF ? sleefExpf : expf);

/**
 * `torch.log` of a float32 value (a 0-d tensor, or one element of a tensor) on a kernel family, as a
 * function: glibc's `logf` on the default build, Sleef's `logf_u10` on AVX2 and AVX512 builds.
 *
 * @example
 * ```ts
 * const log = logOf('avx2'); log(Math.fround(0.5))
 * ```
 * @internal
 */
export const logOf = (capability: CpuCapability): ((x: number) => number) => (capability === 'default' ? logf : sleefLogf);

/**
 * `torch.sigmoid` of a contiguous float32 tensor on a kernel family, into `out` (torch's per-element
 * dispatch between Sleef's vector lanes and the scalar glibc tail, one intra-op thread).
 *
 * @example
 * ```ts
 * torchSigmoid('avx2', linspace, betas)
 * ```
 * @internal
 */
export const torchSigmoid = (capability: CpuCapability, input: Float32Array, out: Float32Array): Float32Array =>
  torchSigmoidInto(input, out, capability, expf);
