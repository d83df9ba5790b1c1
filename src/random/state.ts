/**
 * Export and import of a generator's state as plain, JSON-safe data (for checkpoints, and for
 * handing a generator to a worker).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { generatorOrThrow, makeGenerator, type TorchGenerator } from './generator.js';
import { validateCpuCapability, type CpuCapability } from '../cpuCapability.js';
import { MT_N } from './mt19937.js';

/** The value of {@link TorchGeneratorState.kind}: names the format, so that foreign data is refused. */
export const TORCH_GENERATOR_STATE_KIND = 'torch-cpu-mt19937';

/**
 * A generator's complete state as plain data: `JSON.stringify` and `JSON.parse` round-trip it exactly,
 * and {@link fromGeneratorState} turns it back into the same generator.
 *
 * The fields mirror PyTorch's CPU generator state: the seed, the 624 MT19937 words, the position in
 * them, and the cached second normal of the double-precision Box-Muller path.
 *
 * @example
 * ```ts
 * const state = generatorState(torchGenerator(7));
 * state.seed  // '7'
 * state.index // 624
 * ```
 */
export interface TorchGeneratorState {
  /** Always {@link TORCH_GENERATOR_STATE_KIND}. */
  readonly kind: typeof TORCH_GENERATOR_STATE_KIND;
  /** The unsigned 64-bit seed in decimal (a string: JSON numbers cannot hold 64 bits). */
  readonly seed: string;
  /** The 624 state words, each an integer in [0, 2^32). */
  readonly words: ReadonlyArray<number>;
  /** The next word to temper, in [0, 624]; 624 means the words are regenerated first. */
  readonly index: number;
  /** PyTorch's cached normal for the next n < 16 `randn` value, or `null` when there is none. */
  readonly cachedNormal: number | null;
  /** The CPU kernel family whose `randn` the generator reproduces (not part of torch's own state). */
  readonly cpuCapability: CpuCapability;
}

/**
 * The generator's state as plain, JSON-safe data. Throws a `SchedulerException` (InvalidGeneratorState
 * 'g') when `g` is not a generator the library made.
 *
 * @example
 * ```ts
 * const [, g] = randn(torchGenerator(0), [3]);
 * const json = JSON.stringify(generatorState(g));
 * // later, or in a worker:
 * const restored = fromGeneratorState(JSON.parse(json)); // right(a generator equal to g)
 * ```
 */
export const generatorState = (g: TorchGenerator): TorchGeneratorState => {
  const source = generatorOrThrow(g, 'g');
  return Object.freeze({
    kind: TORCH_GENERATOR_STATE_KIND,
    seed: source.seed.toString(10),
    words: Object.freeze(Array.from(source.words)),
    index: source.index,
    cachedNormal: source.cachedNormal,
    cpuCapability: source.cpuCapability,
  });
};

const MAX_SEED = (1n << 64n) - 1n;

const invalid = (parameter: string, received: unknown, allowed: string, detail?: string): E.Either<SchedulerError, never> =>
  E.left(schedulerError('InvalidGeneratorState', parameter, received, allowed, detail));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Restores a generator from {@link generatorState} data, checking every field: the kind, a decimal
 * seed in [0, 2^64), exactly 624 integer words in [0, 2^32) not all zero, an integer index in
 * [0, 624], a finite cached normal or `null`, and a CPU capability (absent: `'avx512'`, as in states
 * written before the field existed). The input is copied, never kept.
 *
 * @example
 * ```ts
 * fromGeneratorState(generatorState(torchGenerator(1))) // right(a generator equal to torchGenerator(1))
 * fromGeneratorState({ kind: 'torch-cpu-mt19937' })     // left({ _tag: 'InvalidGeneratorState', parameter: 'state.seed', ... })
 * ```
 */
export const fromGeneratorState = (state: unknown): E.Either<SchedulerError, TorchGenerator> => {
  if (!isRecord(state)) return invalid('state', state, 'an object made by generatorState');
  if (state.kind !== TORCH_GENERATOR_STATE_KIND) {
    return invalid('state.kind', state.kind, `'${TORCH_GENERATOR_STATE_KIND}'`);
  }
  const { seed, words, index, cachedNormal } = state;
  const capability = validateCpuCapability(state.cpuCapability, 'state.cpuCapability');
  if (E.isLeft(capability)) return capability;
  // 2^64 - 1 has 20 digits: a longer string is refused before BigInt reads it (quadratic in its length)
  if (typeof seed !== 'string' || seed.length > 20 || !/^(0|[1-9][0-9]*)$/.test(seed) || BigInt(seed) > MAX_SEED) {
    return invalid('state.seed', seed, 'a decimal string of an integer in [0, 2^64 - 1]');
  }
  if (!Array.isArray(words) || words.length !== MT_N) {
    return invalid('state.words', words, `an array of ${MT_N} integers in [0, 2^32 - 1]`);
  }
  const copy = new Uint32Array(MT_N);
  let anyNonZero = false;
  for (let i = 0; i < MT_N; i++) {
    const word: unknown = words[i];
    if (typeof word !== 'number' || !Number.isInteger(word) || word < 0 || word > 0xffffffff) {
      return invalid(`state.words[${i}]`, word, 'an integer in [0, 2^32 - 1]');
    }
    copy[i] = word;
    anyNonZero ||= word !== 0;
  }
  // All-zero words make MT19937 output zeros forever; no seed or draw ever leads there.
  if (!anyNonZero) return invalid('state.words', words, 'words of a seeded generator', 'all 624 words are 0');
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > MT_N) {
    return invalid('state.index', index, `an integer in [0, ${MT_N}]`);
  }
  if (cachedNormal !== null && (typeof cachedNormal !== 'number' || !Number.isFinite(cachedNormal))) {
    return invalid('state.cachedNormal', cachedNormal, 'a finite number or null');
  }
  // -0 and +0 give the same draws (normal() adds 0); keep +0 so that export and import agree.
  const cache = cachedNormal === null ? null : cachedNormal + 0;
  return E.right(makeGenerator(BigInt(seed), copy, index, cache, capability.right));
};
