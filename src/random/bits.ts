/**
 * Raw draws from the generator: 32-bit outputs and 64-bit values made as PyTorch's CPU generator
 * makes them.
 *
 * @module
 */
import { MtCursor } from './cursor.js';
import { generatorOrThrow, advanced, type TorchGenerator } from './generator.js';

/**
 * The next unsigned 32-bit MT19937 output (PyTorch's `random()`), and the next generator. Throws a
 * `SchedulerException` (InvalidGeneratorState 'g') when `g` is not a generator the library made.
 *
 * @example
 * ```ts
 * const [x] = nextUint32(torchGenerator(5489));
 * x // 3499211612, the first output of the reference MT19937
 * ```
 */
export const nextUint32 = (g: TorchGenerator): readonly [number, TorchGenerator] => {
  const source = generatorOrThrow(g, 'g');
  const cursor = new MtCursor(source.words, source.index);
  const value = cursor.next32();
  return Object.freeze([value, advanced(source, cursor.words, cursor.index, source.cachedNormal)] as const);
};

/**
 * The next unsigned 64-bit value as PyTorch's `random64()` makes it: two 32-bit outputs, the first
 * one the high word. Returns it as a bigint, with the next generator. Throws a `SchedulerException`
 * (InvalidGeneratorState 'g') when `g` is not a generator the library made.
 *
 * @example
 * ```ts
 * const [x] = nextUint64(torchGenerator(5489));
 * x // (3499211612n << 32n) | 581869302n
 * ```
 */
export const nextUint64 = (g: TorchGenerator): readonly [bigint, TorchGenerator] => {
  const source = generatorOrThrow(g, 'g');
  const cursor = new MtCursor(source.words, source.index);
  const high = cursor.next32();
  const low = cursor.next32();
  const value = (BigInt(high) << 32n) | BigInt(low);
  return Object.freeze([value, advanced(source, cursor.words, cursor.index, source.cachedNormal)] as const);
};
