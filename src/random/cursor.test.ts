import { MtCursor, TWO_POW_MINUS_53 } from './cursor.js';
import { MT_N, mt19937Seed } from './mt19937.js';

const fresh = (seed: number): MtCursor => new MtCursor(mt19937Seed(seed), MT_N);

describe('MtCursor', () => {
  it('next32 regenerates the words before the first draw and then reads them in order', () => {
    const cursor = fresh(5489);
    expect([cursor.next32(), cursor.next32()]).toEqual([3499211612, 581869302]);
    expect(cursor.index).toBe(2);
  });

  it('nextDouble53 takes the first 32-bit draw as the high word (PyTorch random64)', () => {
    const a = fresh(0);
    const high = a.next32();
    const low = a.next32();
    const expected = ((high & 0x1fffff) * 2 ** 32 + low) * TWO_POW_MINUS_53;
    expect(fresh(0).nextDouble53()).toBe(expected);
  });

  it('skip(n) lands where n draws land, across regenerations', () => {
    for (const n of [0, 1, 623, 624, 625, 1500]) {
      const drawn = fresh(3);
      for (let i = 0; i < n; i++) drawn.next32();
      const skipped = fresh(3);
      skipped.skip(n);
      expect(skipped.next32()).toBe(drawn.next32());
    }
  });
});
