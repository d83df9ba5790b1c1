// The exhaustive proof that avx2NormalBlock is torch 1.13.1's AVX2 Box-Muller (Debian build) on every
// input: the sweeps of fixtures/torch-avx2-normal.json (scripts/fixtures/torch_avx2_normal.py) ran
// all 2^24 values of u1 and of u2 through real torch and hashed the outputs; here they are recomputed.
//
// Why this covers all 2^48 pairs (u1, u2): each output is round32(radius(u1) * t(u2)) with t the
// cosine or the sine, since the final fmadd(n, 1, 0) is exact. The u2 = 0 sweep gives cos = 1 exactly,
// so its cosine slots are radius(u1) for every u1; the sweep with radius exactly 1 gives t(u2) itself
// for every u2 and both t. Equal radius and equal t make equal correctly rounded products.
import { createHash } from 'node:crypto';
import { kOf, readAvx2NormalFixture, type Sweep } from '../../../test-utils/avx2NormalFixture.js';
import { avx2NormalBlock } from './avx2Normal.js';

const fixture = readAvx2NormalFixture();
const TWO_POW_MINUS_24 = 1 / 16777216;
const CHUNK_BLOCKS = 1 << 14;

/** The hash of one sweep: block t, lane j < 8 has i = 8 t + j; each half of the block is k = i, the mix
 *  bijection of i, or a constant; the uniform is k 2^-24. SHA-256 of the float32 outputs, in order. */
const sweepHash = ({ first, second }: Sweep): string => {
  const hash = createHash('sha256');
  const chunk = new Float32Array(CHUNK_BLOCKS * 16);
  const bytes = new Uint8Array(chunk.buffer);
  for (let t0 = 0; t0 < fixture.sweepBlocks; t0 += CHUNK_BLOCKS) {
    for (let b = 0; b < CHUNK_BLOCKS; b++) {
      const base = b * 16;
      for (let j = 0; j < 8; j++) {
        const i = (t0 + b) * 8 + j;
        chunk[base + j] = kOf(fixture, first, i) * TWO_POW_MINUS_24;
        chunk[base + 8 + j] = kOf(fixture, second, i) * TWO_POW_MINUS_24;
      }
      avx2NormalBlock(chunk, base);
    }
    hash.update(bytes); // little-endian float32 on every platform Node runs on that we test
  }
  return hash.digest('hex');
};

describe('avx2NormalBlock on every u1 and every u2, against hashes of real torch 1.13.1 (AVX2)', () => {
  it('the fixture has the sweeps that make the proof: u1 with u2 = 0, and u2 with radius exactly 1', () => {
    expect(fixture.sweepBlocks * 8).toBe(2 ** 24);
    expect(fixture.powerOfTwoRadius.radius).toBe(1);
    expect(fixture.sweeps.some((s) => s.first === 'i' && s.second === 0)).toBe(true);
    expect(fixture.sweeps.some((s) => s.first === fixture.powerOfTwoRadius.k1 && s.second === 'i')).toBe(true);
  });

  // A few seconds each; the limit leaves room for a loaded machine.
  it.each(fixture.sweeps.map((s) => [s.name, s] as const))(
    '%s',
    (_name, sweep) => {
      expect(sweepHash(sweep)).toBe(sweep.sha256);
    },
    60_000,
  );
});
