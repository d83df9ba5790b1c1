/**
 * Uniform noise on [0, 1), drawn as `torch.rand` draws it on the CPU for float32.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { MtCursor, TWO_POW_MINUS_24 } from './cursor.js';
import { advanced, type GeneratorValue, type TorchGenerator } from './generator.js';
import { MT_N } from './mt19937.js';
import { checkedFill, drawTensor, orThrow } from './draw.js';

/**
 * The kernel form of {@link rand}: fills `out` with exactly what `torch.rand(n)` (n = `out.length`)
 * draws, and returns the next generator; `g` is unchanged. Each value is the low 24 bits of one
 * 32-bit MT19937 output times 2^-24, exact in float32.
 *
 * Throws a `SchedulerException` when `out` is not a Float32Array (InvalidTensor 'out') or `g` not a
 * generator the library made (InvalidGeneratorState 'g'); allocates no tensor. The next generator shares `g`'s
 * 624 state words unless the draw crosses a regeneration of them (every 624 values); then it gets a
 * fresh 2.5 kB buffer, allocated once per call: the price of generators being immutable values.
 *
 * @example
 * ```ts
 * const out = new Float32Array(3);
 * const next = randInto(out, torchGenerator(0));
 * // out ≈ [0.4963, 0.7682, 0.0885], as torch.rand(3) after torch.manual_seed(0)
 * ```
 */
export const randInto = (out: Float32Array, g: TorchGenerator): TorchGenerator => checkedFill(uniformsInto, out, g);

/** {@link randInto} on arguments already checked. */
const uniformsInto = (out: Float32Array, source: GeneratorValue): TorchGenerator => {
  const n = out.length;
  if (n === 0) return source;
  const cursor = new MtCursor(source.words, source.index);
  let words = cursor.words;
  let index = cursor.index;
  let i = 0;
  while (i < n) {
    if (index >= MT_N) {
      cursor.regenerate();
      words = cursor.words;
      index = 0;
    }
    // Draw as many as are left in the current words without checking the index per element.
    const stop = Math.min(n, i + (MT_N - index));
    for (; i < stop; i++) {
      // Tempering, inlined; only the low 24 bits survive, but the last shift (y >>> 18) reaches
      // bits 0..13 and is still needed.
      let y = words[index++] as number;
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      out[i] = (y & 0xffffff) * TWO_POW_MINUS_24;
    }
  }
  return advanced(source, words, index, source.cachedNormal);
};

/**
 * Uniform noise on [0, 1) of the given shape, with the numbers `torch.rand(shape)` draws after the
 * same seed. Returns the tensor and the next generator; a bad generator or shape is a typed error.
 *
 * @example
 * ```ts
 * const result = tryRand(torchGenerator(0), [3]);
 * // right([tensor ≈ [0.4963, 0.7682, 0.0885], next generator])
 * tryRand(torchGenerator(0), [2, -1]) // left({ _tag: 'InvalidTensor', parameter: 'shape[1]', ... })
 * ```
 */
export const tryRand = (
  g: TorchGenerator,
  shape: ReadonlyArray<number>,
): E.Either<SchedulerError, readonly [Tensor, TorchGenerator]> => drawTensor(uniformsInto, g, shape);

/**
 * Uniform noise on [0, 1): `torch.rand(shape)` with the same seed gives the same numbers. `g` is
 * unchanged; the next generator comes back beside the tensor. Throws a `SchedulerException`
 * (`InvalidTensor`) on a negative, fractional or NaN dimension; {@link tryRand} returns it instead.
 *
 * @example
 * ```ts
 * const [u, next] = rand(torchGenerator(0), [3]);
 * // u.data ≈ [0.4963, 0.7682, 0.0885]
 * ```
 */
export const rand = (g: TorchGenerator, shape: ReadonlyArray<number>): readonly [Tensor, TorchGenerator] =>
  orThrow(tryRand(g, shape));
