/**
 * The MT19937 Mersenne Twister (Matsumoto & Nishimura 1998) with the standard `init_genrand` seeding,
 * as PyTorch's CPU generator runs it. Internal: the public face is the immutable `TorchGenerator`.
 *
 * The state is 624 unsigned 32-bit words and an index in [0, 624]; index 624 means "regenerate the
 * words before the next draw" (the state right after seeding).
 *
 * @module
 */

/** The number of 32-bit words in the state. */
export const MT_N = 624;

const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/**
 * The 624 state words that `init_genrand(seed32)` produces: word 0 is the seed, each next word is
 * `1812433253 * (w ^ (w >>> 30)) + j` modulo 2^32.
 *
 * @example
 * ```ts
 * mt19937Seed(5489)[1] // 1301868182
 * ```
 */
export const mt19937Seed = (seed32: number): Uint32Array => {
  const words = new Uint32Array(MT_N);
  let previous = seed32 >>> 0;
  words[0] = previous;
  for (let j = 1; j < MT_N; j++) {
    // Math.imul keeps the product modulo 2^32, as the C code's uint32 arithmetic does.
    previous = (Math.imul(1812433253, previous ^ (previous >>> 30)) + j) >>> 0;
    words[j] = previous;
  }
  return words;
};

/**
 * Regenerates the 624 words (the "twist") from `source` into `target`, which may be `source` itself.
 * Reading from one buffer and writing another lets a generator value keep its words untouched while
 * the next value gets fresh ones; a call that owns its buffer regenerates in place.
 *
 * @example
 * ```ts
 * const words = mt19937Seed(5489);
 * const next = new Uint32Array(MT_N);
 * mt19937Regenerate(words, next);
 * mt19937Temper(next[0]) // 3499211612, the first output of the reference implementation
 * ```
 */
export const mt19937Regenerate = (source: Uint32Array, target: Uint32Array): void => {
  let i = 0;
  // Words i + 397 of the old state are still old for i < 227.
  for (; i < MT_N - MT_M; i++) {
    const y = ((source[i] as number) & UPPER_MASK) | ((source[i + 1] as number) & LOWER_MASK);
    target[i] = (source[i + MT_M] as number) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  // From i = 227 on, word i + 397 - 624 is already a new word.
  for (; i < MT_N - 1; i++) {
    const y = ((source[i] as number) & UPPER_MASK) | ((source[i + 1] as number) & LOWER_MASK);
    target[i] = (target[i + MT_M - MT_N] as number) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  // The last word wraps around to the new word 0.
  const y = ((source[MT_N - 1] as number) & UPPER_MASK) | ((target[0] as number) & LOWER_MASK);
  target[MT_N - 1] = (target[MT_M - 1] as number) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
};

/**
 * The tempering transform that turns a state word into an output (an unsigned 32-bit integer).
 *
 * @example
 * ```ts
 * mt19937Temper(0) // 0
 * ```
 */
export const mt19937Temper = (word: number): number => {
  let y = word ^ (word >>> 11);
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= y >>> 18;
  return y >>> 0;
};
