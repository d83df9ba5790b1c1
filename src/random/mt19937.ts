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
 * Regenerates all 624 words in place (the "twist"). Only ever called on a buffer its caller owns,
 * never on the words of a generator value.
 *
 * @example
 * ```ts
 * const words = mt19937Seed(5489);
 * mt19937Twist(words);
 * mt19937Temper(words[0]) // 3499211612, the first output of the reference implementation
 * ```
 */
export const mt19937Twist = (words: Uint32Array): void => {
  let i = 0;
  for (; i < MT_N - MT_M; i++) {
    const y = ((words[i] as number) & UPPER_MASK) | ((words[i + 1] as number) & LOWER_MASK);
    words[i] = (words[i + MT_M] as number) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  for (; i < MT_N - 1; i++) {
    const y = ((words[i] as number) & UPPER_MASK) | ((words[i + 1] as number) & LOWER_MASK);
    words[i] = (words[i + MT_M - MT_N] as number) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
  }
  // The last word wraps around to the already regenerated word 0.
  const y = ((words[MT_N - 1] as number) & UPPER_MASK) | ((words[0] as number) & LOWER_MASK);
  words[MT_N - 1] = (words[MT_M - 1] as number) ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
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
