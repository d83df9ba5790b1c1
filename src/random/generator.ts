/**
 * The PyTorch-compatible CPU generator as an immutable value, and its construction from a seed with
 * `torch.manual_seed`'s semantics.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException, schedulerError, type SchedulerError } from '../errors.js';
import { DEFAULT_CPU_CAPABILITY, validateCpuCapability, type CpuCapability } from '../cpuCapability.js';
import { MT_N, mt19937Seed } from './mt19937.js';

/**
 * A seeded random number generator that draws exactly what PyTorch's CPU generator draws after
 * `torch.manual_seed(seed)`. It is a value: drawing returns the next generator and leaves this one
 * unchanged, so drawing from it again gives the same numbers.
 *
 * @example
 * ```ts
 * const g = torchGenerator(42);
 * g.seed // 42n
 * ```
 */
export interface TorchGenerator {
  /** The seed as `torch.initial_seed()` reports it: an unsigned 64-bit integer. */
  readonly seed: bigint;
  /**
   * The PyTorch CPU kernel family whose `torch.randn` this generator reproduces (n >= 16 float32 draws
   * differ between families; the uniforms and the n < 16 path do not). Set at construction, kept by
   * every draw.
   */
  readonly cpuCapability: CpuCapability;
}

/**
 * The concrete generator value. Internal: callers see {@link TorchGenerator}, and only values made
 * by {@link makeGenerator} count as generators (a value built with this constructor, reached through
 * a generator's `constructor`, does not). `words` is never written after construction;
 * `cachedNormal` is PyTorch's cached second Box-Muller value of the double-precision path (`null`
 * when there is none).
 *
 * @example
 * ```ts
 * const g = torchGenerator(0) as GeneratorValue;
 * g.index // 624: the words are regenerated before the first draw
 * ```
 */
export class GeneratorValue implements TorchGenerator {
  readonly seed: bigint;
  readonly words: Uint32Array;
  readonly index: number;
  readonly cachedNormal: number | null;
  readonly cpuCapability: CpuCapability;

  constructor(seed: bigint, words: Uint32Array, index: number, cachedNormal: number | null, cpuCapability: CpuCapability) {
    this.seed = seed;
    this.words = words;
    this.index = index;
    this.cachedNormal = cachedNormal;
    this.cpuCapability = cpuCapability;
    Object.freeze(this);
  }
}

// The generators this module made: a brand that neither a look-alike object, a copy, nor a value
// made with the class's constructor (reachable through any generator's `constructor`) can carry.
const made = new WeakSet<object>();

/**
 * A generator value, branded as made by the library. Internal: the state must be valid (624 words,
 * an index in [0, 624], a finite cached normal or null), as the library's own draws leave it.
 *
 * @example
 * ```ts
 * makeGenerator(0n, mt19937Seed(0), 624, null, 'avx512') // the generator torchGenerator(0) makes
 * ```
 * @internal
 */
export const makeGenerator = (
  seed: bigint,
  words: Uint32Array,
  index: number,
  cachedNormal: number | null,
  cpuCapability: CpuCapability,
): GeneratorValue => {
  const g = new GeneratorValue(seed, words, index, cachedNormal, cpuCapability);
  made.add(g);
  return g;
};

/**
 * The generator after a draw from `source`: the same seed and CPU capability, the new MT19937
 * position and normal cache.
 *
 * @example
 * ```ts
 * advanced(g, cursor.words, cursor.index, g.cachedNormal)
 * ```
 * @internal
 */
export const advanced = (source: GeneratorValue, words: Uint32Array, index: number, cachedNormal: number | null): GeneratorValue =>
  makeGenerator(source.seed, words, index, cachedNormal, source.cpuCapability);

const TWO_POW_64 = 1n << 64n;
const MIN_SEED = -(1n << 63n);
const MAX_SEED = TWO_POW_64 - 1n;
const ALLOWED_SEED =
  'an integer in [-2^63, 2^64 - 1] (torch.manual_seed\'s range); a number must be a safe integer, larger seeds are bigints';

/**
 * Options of {@link torchGenerator}: which PyTorch CPU kernel family's `randn` to reproduce.
 *
 * @example
 * ```ts
 * const options: TorchGeneratorOptions = { cpuCapability: 'avx2' };
 * ```
 */
export interface TorchGeneratorOptions {
  /** Default `'avx512'` ({@link DEFAULT_CPU_CAPABILITY}); see {@link CpuCapability}. */
  readonly cpuCapability?: CpuCapability;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The CPU capability of a generator's options: absent options or key mean the default. */
const capabilityOf = (options: unknown): E.Either<SchedulerError, CpuCapability> => {
  if (options === undefined) return E.right(DEFAULT_CPU_CAPABILITY);
  if (!isRecord(options)) {
    return E.left(schedulerError('InvalidOption', 'options', options, "an object { cpuCapability?: 'default' | 'avx2' | 'avx512' }"));
  }
  return validateCpuCapability(options.cpuCapability, 'options.cpuCapability');
};

/**
 * Reads a seed as `torch.manual_seed` does: the range [-2^63, 2^64 - 1], negative seeds taken as
 * their two's complement (so -1 is 2^64 - 1, the same generator PyTorch makes).
 *
 * @example
 * ```ts
 * tryTorchGenerator(-1) // right(a generator whose seed is 18446744073709551615n)
 * tryTorchGenerator(0, { cpuCapability: 'avx2' }) // right(a generator drawing AVX2 torch's randn)
 * tryTorchGenerator(0.5) // left({ _tag: 'InvalidSeed', ... })
 * ```
 */
export const tryTorchGenerator = (seed: unknown, options?: unknown): E.Either<SchedulerError, TorchGenerator> => {
  const capability = capabilityOf(options);
  if (E.isLeft(capability)) return capability;
  let value: bigint;
  if (typeof seed === 'bigint') {
    value = seed;
  } else if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) {
      const why = Number.isNaN(seed)
        ? 'NaN is not a seed'
        : !Number.isFinite(seed)
          ? 'an infinite seed'
          : !Number.isInteger(seed)
            ? 'a fractional seed (torch.manual_seed would truncate it silently)'
            : 'beyond 2^53 a number no longer holds every integer: pass a bigint';
      return E.left(schedulerError('InvalidSeed', 'seed', seed, ALLOWED_SEED, why));
    }
    value = BigInt(seed);
  } else {
    return E.left(schedulerError('InvalidSeed', 'seed', seed, ALLOWED_SEED, `a ${typeof seed} is not a seed`));
  }
  if (value < MIN_SEED || value > MAX_SEED) {
    return E.left(schedulerError('InvalidSeed', 'seed', seed, ALLOWED_SEED, 'out of range'));
  }
  // PyTorch reinterprets a negative int64 seed as uint64: two's complement.
  const unsigned = value < 0n ? value + TWO_POW_64 : value;
  // Only the low 32 bits seed the twister (init_genrand takes a uint32); the full seed is kept.
  const words = mt19937Seed(Number(unsigned & 0xffffffffn));
  return E.right(makeGenerator(unsigned, words, MT_N, null, capability.right));
};

/**
 * A generator seeded as by `torch.manual_seed(seed)`, drawing what torch draws on the CPU kernel
 * family `options.cpuCapability` (default `'avx512'`). The convenience form of
 * {@link tryTorchGenerator}: it throws a `SchedulerException` carrying an `InvalidSeed` error when
 * the seed is not an integer in [-2^63, 2^64 - 1] (numbers must be safe integers; use a bigint
 * beyond 2^53), or `InvalidOption` for a capability that is not one of `'default'`, `'avx2'`, `'avx512'`.
 *
 * @example
 * ```ts
 * const [noise, next] = randn(torchGenerator(0), [2, 3]);
 * // noise.data ≈ [1.5410, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986], as torch.randn(2, 3)
 * const laptop = torchGenerator(0, { cpuCapability: 'avx2' }); // torch.randn of an AVX2 build
 * ```
 */
export const torchGenerator = (seed: number | bigint, options?: TorchGeneratorOptions): TorchGenerator => {
  const result = tryTorchGenerator(seed, options);
  if (E.isLeft(result)) throw new SchedulerException(result.left);
  return result.right;
};

/**
 * Whether a value is a generator made by this library: by `torchGenerator`, `fromGeneratorState` or a
 * draw. A look-alike `{ seed: 0n }`, a copy or a value made with the class's constructor is not.
 *
 * @example
 * ```ts
 * isGeneratorValue(torchGenerator(0)) // true
 * isGeneratorValue({ ...torchGenerator(0) }) // false
 * ```
 */
export const isGeneratorValue = (value: unknown): value is GeneratorValue => typeof value === 'object' && value !== null && made.has(value);

/**
 * The error for a value given where a generator belongs, naming the parameter and how to make one.
 *
 * @example
 * ```ts
 * notAGenerator('generator', {}) // { _tag: 'InvalidGeneratorState', parameter: 'generator', ... }
 * ```
 * @internal
 */
export const notAGenerator = (parameter: string, received: unknown): SchedulerError =>
  schedulerError(
    'InvalidGeneratorState',
    parameter,
    received,
    'a generator made by torchGenerator(seed) or fromGeneratorState(state)',
    'generators are values the library makes; a copy or a look-alike object is not one',
  );

/**
 * The generator itself when it is one the library made; otherwise throws a `SchedulerException`
 * carrying {@link notAGenerator}'s error. For the throwing conveniences (`randInto`, `randnInto`,
 * `nextUint32`, `generatorState`, ...), whose signatures have no error channel.
 *
 * @example
 * ```ts
 * generatorOrThrow(torchGenerator(0), 'g') // the generator
 * generatorOrThrow({ seed: 0n }, 'g')      // throws SchedulerException (InvalidGeneratorState, parameter 'g')
 * ```
 * @internal
 */
export const generatorOrThrow = (value: unknown, parameter: string): GeneratorValue => {
  if (!isGeneratorValue(value)) throw new SchedulerException(notAGenerator(parameter, value));
  return value;
};
