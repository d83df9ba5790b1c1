/**
 * Standard normal noise, drawn as `torch.randn` draws it on the CPU for float32.
 *
 * PyTorch takes one of two paths by element count n:
 * - n >= 16: n float32 uniforms, then Box-Muller over blocks of 16 (`u1 = 1 - u[j]`, `u2 = u[j + 8]`,
 *   the cosine into slot j and the sine into slot j + 8 for j < 8); when n % 16 != 0 the last 16
 *   values are recomputed from 16 fresh uniforms. The block's arithmetic depends on torch's CPU kernel
 *   family, the generator's `cpuCapability`: glibc's `logf`/`cosf`/`sinf` in a scalar loop on the
 *   default and AVX512 builds, avx_mathfun's float32 polynomials with fused multiply-adds on AVX2.
 * - n < 16: one double-precision Box-Muller pair per two values, from 53-bit uniforms, with
 *   `r = sqrt(-2 log1p(-u2))` and `theta = 2 pi u1`; the cosine value is returned and the sine value
 *   cached in the generator for the next draw. The cache survives other draws (rand, n >= 16 randn)
 *   and is cleared by seeding.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { activeKernels } from '../kernels/select.js';
import { MtCursor } from './cursor.js';
import { advanced, type GeneratorValue, type TorchGenerator } from './generator.js';
import { checkedFill, drawTensor, orThrow } from './draw.js';

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper
// (27 ns bound).
const { cos, log1p, sin, sqrt } = Math;

// 2.0f * c10::pi<double> is evaluated in double, so theta is rounded to float32 only once.
const TWO_PI = 2 * Math.PI;
const BLOCK = 16;

/** The n < 16 path: double-precision Box-Muller with PyTorch's cached second value. */
const fillSmall = (out: Float32Array, source: GeneratorValue): GeneratorValue => {
  let cursor: MtCursor | null = null;
  let cached = source.cachedNormal;
  for (let i = 0; i < out.length; i++) {
    if (cached !== null) {
      // normal(x, mean 0, std 1) = x * 1 + 0, which also turns -0 into +0.
      out[i] = cached + 0;
      cached = null;
      continue;
    }
    if (cursor === null) cursor = new MtCursor(source.words, source.index);
    const u1 = cursor.nextDouble53();
    const u2 = cursor.nextDouble53();
    const radius = sqrt(-2 * log1p(-u2));
    const theta = TWO_PI * u1;
    // Stored as normal(x) would return it: -0 becomes +0, so that an exported state says the same.
    cached = radius * sin(theta) + 0;
    out[i] = radius * cos(theta) + 0;
  }
  return cursor === null
    ? advanced(source, source.words, source.index, cached)
    : advanced(source, cursor.words, cursor.index, cached);
};

/** The n >= 16 path, on the chosen kernels: float32 uniforms and 16-wide Box-Muller blocks. */
const fillBlocks = (out: Float32Array, source: GeneratorValue): GeneratorValue => {
  const drawn = activeKernels().normalBlocks(out, source.words, source.index, source.cpuCapability);
  return advanced(source, drawn.words ?? source.words, drawn.index, source.cachedNormal);
};

/**
 * The kernel form of {@link randn}: fills `out` with exactly what `torch.randn(n)` (n = `out.length`)
 * draws on the CPU, and returns the next generator; `g` is unchanged.
 *
 * Throws a `SchedulerException` when `out` is not a Float32Array (InvalidTensor 'out') or `g` not a
 * generator the library made (InvalidGeneratorState 'g'); allocates no tensor. The next generator shares `g`'s
 * 624 state words unless the draw crosses a regeneration of them (every 624 uniforms); then it gets
 * a fresh 2.5 kB buffer, allocated once per call: the price of generators being immutable values.
 *
 * Accuracy against PyTorch: bit for bit, in the generator's CPU kernel family. For n >= 16 the blocks
 * reproduce torch's kernel exactly (glibc's float functions on 'default'/'avx512', the AVX2 kernel's
 * fused polynomials on 'avx2'; each proved on all 2^24 inputs of its log and of its sine and cosine
 * against glibc and torch on the machine the fixtures were made on). For n < 16 the double path runs
 * V8's double log1p, sin and cos where torch runs glibc's: the two differ in the last bit now and
 * then, which shows in the cached second value (a double, within 1 ulp of torch's) and could show in
 * a float32 value only where that bit decides its rounding (none in the fixtures' draws).
 * Measured against real torch 1.13.1 (fixtures/torch): 0 ulp on every value, both backends.
 *
 * Backends: the draw of n >= 16 values runs on the chosen kernels (src/kernels). The WebAssembly one
 * computes the same operations in SIMD lanes and hands the rare blocks whose fast result sits at a
 * float32 rounding boundary to the JavaScript kernel's exact path, so both return identical bits.
 *
 * Speed (65 536 samples into an ordinary array, Node 20 on a shared 2-core x86 machine, the best of 9
 * rounds, in runs at different times of one day, whose spread is this machine's load): 36-57 ns per
 * sample on the JavaScript backend for either flavor; on the WebAssembly one 8-10 ns ('avx2') and
 * 6.7-8 ns ('default'/'avx512') with the SIMD build, 3.1-3.6 and 4.1-5.2 ns with the relaxed-SIMD build
 * (see `wasmBuild`). torch.randn takes 4-7.5 ns per sample here with its AVX2 kernel and 12-17.5 ns with
 * its scalar one (docs/benchmarks.md).
 *
 * @example
 * ```ts
 * const out = new Float32Array(6);
 * const next = randnInto(out, torchGenerator(0));
 * // out ≈ [1.5410, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986], as torch.randn(2, 3)
 * ```
 */
export const randnInto = (out: Float32Array, g: TorchGenerator): TorchGenerator => checkedFill(normalsInto, out, g);

/**
 * {@link randnInto} on arguments already checked (a Float32Array, a generator the library made): the
 * form the library's own loops call once their plan is checked.
 *
 * @internal
 */
export const normalsInto = (out: Float32Array, source: GeneratorValue): TorchGenerator => {
  if (out.length === 0) return source;
  return out.length < BLOCK ? fillSmall(out, source) : fillBlocks(out, source);
};

/**
 * Standard normal noise of the given shape, with the numbers `torch.randn(shape)` draws after the
 * same seed. Returns the tensor and the next generator; a bad generator or shape is a typed error.
 *
 * @example
 * ```ts
 * tryRandn(torchGenerator(0), [2, 3]) // right([tensor ≈ [[1.5410, -0.2934, -2.1788], ...], next])
 * tryRandn(torchGenerator(0), [NaN])  // left({ _tag: 'InvalidTensor', parameter: 'shape[0]', ... })
 * ```
 */
export const tryRandn = (
  g: TorchGenerator,
  shape: ReadonlyArray<number>,
): E.Either<SchedulerError, readonly [Tensor, TorchGenerator]> => drawTensor(normalsInto, g, shape);

/**
 * Standard normal noise: `torch.randn(shape)` with the same seed gives the same numbers (see
 * {@link randnInto} for the accuracy). `g` is unchanged; the next generator comes back beside the
 * tensor. Throws a `SchedulerException` (`InvalidTensor`) on a negative, fractional or NaN
 * dimension; {@link tryRandn} returns it instead.
 *
 * @example
 * ```ts
 * const [noise, next] = randn(torchGenerator(0), [2, 3]);
 * // noise.data ≈ [1.5410, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986]
 * const [again] = randn(torchGenerator(0), [2, 3]); // the same numbers
 * ```
 */
export const randn = (g: TorchGenerator, shape: ReadonlyArray<number>): readonly [Tensor, TorchGenerator] =>
  orThrow(tryRandn(g, shape));
