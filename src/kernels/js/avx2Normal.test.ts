// avx2NormalBlock against real torch 1.13.1 (Debian, ATEN_CPU_CAPABILITY=avx2): the explicit cases
// and the seeded draws of fixtures/torch-avx2-normal.json (scripts/fixtures/torch_avx2_normal.py).
import { readFixture } from '../../../test-utils/fixtures.js';
import { MT_N, mt19937Regenerate, mt19937Seed, mt19937Temper } from '../../random/mt19937.js';
import { avx2NormalBlock } from './avx2Normal.js';

interface Avx2NormalFixture {
  readonly torch: string;
  readonly cases: {
    readonly count: number;
    readonly differingFromRounded: number;
    readonly k1: readonly number[];
    readonly k2: readonly number[];
    readonly cosHex: string;
    readonly sinHex: string;
  };
  readonly radiusSamples: { readonly k1: readonly number[]; readonly hex: string };
  readonly seeded: readonly { readonly seed: number; readonly n: number; readonly hex: string }[];
}

const fixture = readFixture<Avx2NormalFixture>('torch-avx2-normal.json');
const TWO_POW_MINUS_24 = 1 / 16777216;

/** The float32 bits of `values` as one hex string, 8 digits per value (the fixture's format). */
const hexOf = (values: Float32Array): string => {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let s = '';
  for (let i = 0; i < words.length; i++) s += (words[i] as number).toString(16).padStart(8, '0');
  return s;
};

/** The index of the first value whose 8 hex digits differ, or -1. */
const firstHexDifference = (a: string, b: string): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i += 8) if (a.slice(i, i + 8) !== b.slice(i, i + 8)) return i / 8;
  return -1;
};

/** torch.randn(n) for float32, n >= 16, from a seeded MT19937: uniforms for all n, blocks of 16, and the
 *  last 16 redone from 16 fresh uniforms when n % 16 != 0 (torch's normal_fill_AVX2). */
const randnAvx2 = (seed: number, n: number): Float32Array => {
  const words = mt19937Seed(seed);
  let index = MT_N;
  const uniform = (): number => {
    if (index >= MT_N) {
      mt19937Regenerate(words, words);
      index = 0;
    }
    return (mt19937Temper(words[index++] as number) & 0xffffff) * TWO_POW_MINUS_24;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = uniform();
  const full = n - (n % 16);
  for (let base = 0; base < full; base += 16) avx2NormalBlock(out, base);
  if (full !== n) {
    for (let i = n - 16; i < n; i++) out[i] = uniform();
    avx2NormalBlock(out, n - 16);
  }
  return out;
};

describe('avx2NormalBlock reproduces torch 1.13.1\'s normal_fill_16_AVX2 (Debian build) bit for bit', () => {
  it(`gives torch's cosine and sine for all ${fixture.cases.count} explicit (u1, u2) cases`, () => {
    const { k1, k2, count } = fixture.cases;
    const cos = new Float32Array(count);
    const sin = new Float32Array(count);
    const block = new Float32Array(16);
    for (let p = 0; p < count; p += 8) {
      for (let j = 0; j < 8; j++) {
        block[j] = (k1[Math.min(p + j, count - 1)] as number) * TWO_POW_MINUS_24;
        block[j + 8] = (k2[Math.min(p + j, count - 1)] as number) * TWO_POW_MINUS_24;
      }
      avx2NormalBlock(block, 0);
      for (let j = 0; j < 8 && p + j < count; j++) {
        cos[p + j] = block[j] as number;
        sin[p + j] = block[j + 8] as number;
      }
    }
    expect(firstHexDifference(hexOf(cos), fixture.cases.cosHex)).toBe(-1);
    expect(firstHexDifference(hexOf(sin), fixture.cases.sinHex)).toBe(-1);
    // The cases were chosen where the kernel's polynomials differ from correctly rounded logf/cosf/sinf.
    expect(fixture.cases.differingFromRounded).toBeGreaterThan(2000);
  });

  it('gives torch\'s radius sqrt(-2 log256_ps(u1)) in the cosine slots when u2 = 0', () => {
    const { k1, hex } = fixture.radiusSamples;
    const radii = new Float32Array(k1.length);
    const block = new Float32Array(16);
    for (let i = 0; i < k1.length; i++) {
      block.fill(0);
      block[0] = (k1[i] as number) * TWO_POW_MINUS_24;
      avx2NormalBlock(block, 0);
      radii[i] = block[0] as number;
      expect(block[8]).toBe(0);
    }
    expect(firstHexDifference(hexOf(radii), hex)).toBe(-1);
  });

  it.each(fixture.seeded.map((c) => [c.seed, c.n, c.hex] as const))(
    'torch.manual_seed(%i); torch.randn(%i) through a local fill loop matches torch',
    (seed, n, hex) => {
      expect(firstHexDifference(hexOf(randnAvx2(seed, n)), hex)).toBe(-1);
    },
  );

  it('writes only out[base .. base + 16) and reads only its own uniforms', () => {
    const data = new Float32Array(48);
    for (let i = 0; i < 48; i++) data[i] = ((i * 2654435761) >>> 8) * TWO_POW_MINUS_24;
    const alone = data.slice(16, 32);
    const before = data.slice();
    avx2NormalBlock(data, 16);
    avx2NormalBlock(alone, 0);
    expect(hexOf(data.subarray(0, 16))).toBe(hexOf(before.subarray(0, 16)));
    expect(hexOf(data.subarray(32, 48))).toBe(hexOf(before.subarray(32, 48)));
    expect(hexOf(data.subarray(16, 32))).toBe(hexOf(alone));
  });

  it('turns u1 = 1 (uniform 0) into radius 0, and the largest uniform into the largest radius', () => {
    const block = new Float32Array(16);
    block[1] = (16777216 - 1) * TWO_POW_MINUS_24; // u1 = 2^-24
    avx2NormalBlock(block, 0);
    expect(Object.is(block[0], 0)).toBe(true);
    expect(Object.is(block[8], 0)).toBe(true);
    expect(block[1]).toBeCloseTo(Math.sqrt(-2 * Math.log(2 ** -24)), 5);
  });
});
