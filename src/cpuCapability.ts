/**
 * PyTorch's CPU kernel families. torch compiles its CPU kernels several times (a portable `default`
 * build, an AVX2 one and an AVX512 one) and picks one at start-up by what the CPU supports; the
 * `ATEN_CPU_CAPABILITY` environment variable overrides the choice. A few of the kernels diffusers'
 * scheduler reaches round differently from one family to the next:
 * - `torch.randn` for float32 and n >= 16: the AVX2 build runs avx_mathfun's float32 polynomials
 *   (with fused multiply-adds); the default and AVX512 builds run the scalar loop with the C library's
 *   `logf`, `cosf` and `sinf`;
 * - elementwise `exp` on a tensor (the `learned_range` variance, the `sigmoid` schedule): Sleef's
 *   vectorized exp on AVX2 and AVX512 builds, the C library's `expf` on the default one;
 * - `torch.linspace` (the `linear` and `scaled_linear` schedules): one fused multiply-add per value on
 *   torch 2.x's AVX2 and AVX512 builds, a product and a sum (two roundings) on the default build and on
 *   every build of torch 1.13.
 *
 * A user finds their family with one line of Python: `torch.backends.cpu.get_cpu_capability()`
 * (torch 2.x; lowercase it), or the "CPU capability usage" line of `torch.__config__.show()`.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from './errors.js';

/**
 * A PyTorch CPU kernel family, as `torch.backends.cpu.get_cpu_capability()` names it, lowercased:
 * `'default'` (no vector extensions), `'avx2'` or `'avx512'`. Which numbers each one changes is
 * described in docs/parity.md.
 *
 * @example
 * ```ts
 * const laptop: CpuCapability = 'avx2';
 * torchGenerator(0, { cpuCapability: laptop });
 * ```
 */
export type CpuCapability = 'default' | 'avx2' | 'avx512';

/** The CPU capabilities, in a fixed order. @example `CPU_CAPABILITIES.includes('avx2') // true` */
export const CPU_CAPABILITIES: ReadonlyArray<CpuCapability> = Object.freeze(['default', 'avx2', 'avx512'] as const);

/**
 * The family assumed when none is given: `'avx512'`, what Google Colab and most x86-64 servers run.
 *
 * @example
 * ```ts
 * torchGenerator(0).cpuCapability === DEFAULT_CPU_CAPABILITY // true
 * ```
 */
export const DEFAULT_CPU_CAPABILITY: CpuCapability = 'avx512';

/**
 * A CPU capability: one of {@link CPU_CAPABILITIES}; `undefined` means {@link DEFAULT_CPU_CAPABILITY}.
 *
 * @example
 * ```ts
 * validateCpuCapability('avx2')      // right('avx2')
 * validateCpuCapability(undefined)   // right('avx512')
 * validateCpuCapability('AVX2')      // left: "cpuCapability: received \"AVX2\"; allowed: one of 'default', 'avx2', 'avx512' ..."
 * ```
 */
export const validateCpuCapability = (value: unknown, parameter = 'cpuCapability'): E.Either<SchedulerError, CpuCapability> => {
  if (value === undefined) return E.right(DEFAULT_CPU_CAPABILITY);
  if (typeof value === 'string' && (CPU_CAPABILITIES as ReadonlyArray<string>).includes(value)) {
    return E.right(value as CpuCapability);
  }
  return E.left(
    schedulerError(
      'InvalidOption',
      parameter,
      value,
      "one of 'default', 'avx2', 'avx512'",
      'torch.backends.cpu.get_cpu_capability() in lowercase',
    ),
  );
};
