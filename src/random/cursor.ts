/**
 * A mutable reading position over a private copy of MT19937 state. Internal: every public draw copies
 * a generator's words into a cursor once, draws, and wraps the cursor's words into the next generator
 * value, so the words of a generator value are never written after construction.
 *
 * @module
 */
import { MT_N, mt19937Temper, mt19937Twist } from './mt19937.js';

/** 2^-24: a 24-bit integer times this is exactly a float32 in [0, 1). */
export const TWO_POW_MINUS_24 = 1 / 16777216;
/** 2^-53: a 53-bit integer times this is exactly a double in [0, 1). */
export const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/**
 * A mutable MT19937 position. `words` is owned by the cursor (a copy), `index` is in [0, 624].
 *
 * @example
 * ```ts
 * const cursor = new MtCursor(mt19937Seed(0), MT_N);
 * cursor.next32() // 2357136044, the first output of MT19937 seeded with 0
 * ```
 */
export class MtCursor {
  words: Uint32Array;
  index: number;

  constructor(ownedWords: Uint32Array, index: number) {
    this.words = ownedWords;
    this.index = index;
  }

  /** The next 32-bit output, unsigned. */
  next32(): number {
    if (this.index >= MT_N) {
      mt19937Twist(this.words);
      this.index = 0;
    }
    return mt19937Temper(this.words[this.index++] as number);
  }

  /**
   * The next 53-bit uniform double in [0, 1), as PyTorch's `random64()` and `uniform_real<double>`
   * make it: the first 32-bit draw is the high word, so its low 21 bits are the top of the 53.
   */
  nextDouble53(): number {
    const high = this.next32();
    const low = this.next32();
    // (high & 0x1fffff) * 2^32 + low is an exact integer < 2^53; scaling by 2^-53 is exact too.
    return ((high & 0x1fffff) * 4294967296 + low) * TWO_POW_MINUS_53;
  }

  /** Advances past `count` outputs without tempering them (their values are discarded). */
  skip(count: number): void {
    let left = count;
    while (left > 0) {
      if (this.index >= MT_N) {
        mt19937Twist(this.words);
        this.index = 0;
      }
      const step = Math.min(left, MT_N - this.index);
      this.index += step;
      left -= step;
    }
  }
}
