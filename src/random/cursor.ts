/**
 * A mutable reading position over MT19937 state. Internal. Drawing only reads the words and moves the
 * index; only a regeneration changes words. So a cursor starts on the generator's own words, and the
 * first regeneration writes into a fresh buffer that the cursor then owns (later ones in the same call
 * run in place on it). A draw that does not regenerate shares its words with the next generator; the
 * words of a generator value are never written after construction.
 *
 * @module
 */
import { MT_N, mt19937Regenerate, mt19937Temper } from './mt19937.js';

/** 2^-24: a 24-bit integer times this is exactly a float32 in [0, 1). */
export const TWO_POW_MINUS_24 = 1 / 16777216;
/** 2^-53: a 53-bit integer times this is exactly a double in [0, 1). */
export const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/**
 * A mutable MT19937 position: `words` (read-only until the cursor owns a buffer) and `index` in
 * [0, 624].
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
  /** Whether `words` is a buffer this cursor made (and may write), rather than a generator's. */
  owned = false;

  constructor(words: Uint32Array, index: number) {
    this.words = words;
    this.index = index;
  }

  /** Regenerates the words (into a fresh buffer the first time) and sets the index to 0. */
  regenerate(): void {
    if (this.owned) {
      mt19937Regenerate(this.words, this.words);
    } else {
      // One allocation per call at most: allocating a 2.5 kB typed array costs about a microsecond.
      const fresh = new Uint32Array(MT_N);
      mt19937Regenerate(this.words, fresh);
      this.words = fresh;
      this.owned = true;
    }
    this.index = 0;
  }

  /** The next 32-bit output, unsigned. */
  next32(): number {
    if (this.index >= MT_N) this.regenerate();
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
      if (this.index >= MT_N) this.regenerate();
      const step = Math.min(left, MT_N - this.index);
      this.index += step;
      left -= step;
    }
  }
}
