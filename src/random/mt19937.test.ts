import { MT_N, mt19937Seed, mt19937Temper, mt19937Regenerate } from './mt19937.js';

const outputs = (seed: number, count: number): number[] => {
  const words = mt19937Seed(seed);
  const result: number[] = [];
  let index = MT_N;
  while (result.length < count) {
    if (index === MT_N) {
      mt19937Regenerate(words, words);
      index = 0;
    }
    result.push(mt19937Temper(words[index++] as number));
  }
  return result;
};

describe('mt19937Seed', () => {
  it('is init_genrand: word 0 is the seed, then 1812433253 * (w ^ (w >>> 30)) + j modulo 2^32', () => {
    const words = mt19937Seed(5489);
    expect(words.length).toBe(624);
    expect(Array.from(words.slice(0, 3))).toEqual([5489, 1301868182, 2938499221]);
  });

  it('takes the seed modulo 2^32 without losing the top bit', () => {
    expect(mt19937Seed(0xffffffff)[0]).toBe(0xffffffff);
    expect(mt19937Seed(0)[1]).toBe(1);
  });
});

describe('mt19937Regenerate and mt19937Temper', () => {
  it('give the reference outputs of MT19937 seeded with 5489 (C++ std::mt19937)', () => {
    const xs = outputs(5489, 10000);
    expect(xs.slice(0, 3)).toEqual([3499211612, 581869302, 3890346734]);
    // The C++ standard requires the 10000th output of a default-constructed std::mt19937 to be this.
    expect(xs[9999]).toBe(4123659995);
  });

  it('regenerate into a separate buffer gives what regenerating in place gives, leaving the source alone', () => {
    const source = mt19937Seed(42);
    const copy = source.slice();
    const target = new Uint32Array(MT_N);
    mt19937Regenerate(source, target);
    expect(Array.from(source)).toEqual(Array.from(copy));
    mt19937Regenerate(copy, copy);
    expect(Array.from(target)).toEqual(Array.from(copy));
  });

  it('give the first outputs of MT19937 seeded with 0', () => {
    expect(outputs(0, 2)).toEqual([2357136044, 2546248239]);
  });

  it('temper maps 0 to 0 and always returns an unsigned 32-bit integer', () => {
    expect(mt19937Temper(0)).toBe(0);
    const y = mt19937Temper(0xffffffff);
    expect(Number.isInteger(y) && y >= 0 && y <= 0xffffffff).toBe(true);
  });
});
