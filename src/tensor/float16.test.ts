import { float16ToFloat32, float32ToFloat16 } from './float16.js';

// An independent decoding of a half: its fields moved into the float32 layout, bit by bit (the subnormals
// normalised by shifting), read back through a DataView. No arithmetic on values is shared with float16.ts.
const view = new DataView(new ArrayBuffer(4));
const referenceFloat32Bits = (h: number): number => {
  const sign = (h & 0x8000) << 16;
  let e = (h >>> 10) & 0x1f;
  let m = h & 0x3ff;
  if (e === 31) return (sign | 0x7f800000 | (m << 13)) >>> 0;
  if (e === 0) {
    if (m === 0) return sign >>> 0;
    // shift the mantissa up until its leading 1 is the implicit bit
    e = 1;
    while ((m & 0x400) === 0) {
      m <<= 1;
      e--;
    }
    m &= 0x3ff;
  }
  return (sign | ((e - 15 + 127) << 23) | (m << 13)) >>> 0;
};
const reference = (h: number): number => {
  view.setUint32(0, referenceFloat32Bits(h));
  return view.getFloat32(0);
};
const float32Bits = (x: number): number => {
  view.setFloat32(0, x);
  return view.getUint32(0);
};
const isNaNBits = (h: number) => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
const ALL = Array.from({ length: 65536 }, (_, h) => h);

describe('float16ToFloat32', () => {
  it('gives, for all 65536 halves, the float32 that the bit-level reference decoding gives (NaN for NaNs)', () => {
    const wrong = ALL.filter((h) => {
      const got = float16ToFloat32(h);
      return isNaNBits(h) ? !Number.isNaN(got) : float32Bits(got) !== referenceFloat32Bits(h) || Math.fround(got) !== got;
    });
    expect(wrong).toEqual([]);
  });

  it('reads the landmarks', () => {
    expect([0x0000, 0x8000, 0x3c00, 0xc000, 0x0001, 0x03ff, 0x0400, 0x7bff, 0x7c00, 0xfc00].map(float16ToFloat32)).toEqual([
      0, -0, 1, -2, 2 ** -24, 1023 * 2 ** -24, 2 ** -14, 65504, Infinity, -Infinity,
    ]);
    expect(Object.is(float16ToFloat32(0x8000), -0)).toBe(true);
  });
});

describe('float32ToFloat16', () => {
  it('round-trips all 65536 halves: every non-NaN half comes back as its own bits, NaNs as the quiet NaN', () => {
    const wrong = ALL.filter((h) => float32ToFloat16(float16ToFloat32(h)) !== (isNaNBits(h) ? 0x7e00 : h));
    expect(wrong).toEqual([]);
  });

  // Between two neighbouring halves a < b (of one sign), the midpoint is a float32 exactly (12 significant
  // bits); it must go to the one with the even mantissa, and the float32 just below or above it to the nearer.
  it('rounds to nearest, ties to even, at every midpoint between neighbouring finite halves', () => {
    const wrong: string[] = [];
    const next = (x: number, up: boolean) => {
      view.setFloat32(0, x);
      view.setUint32(0, view.getUint32(0) + (up === x >= 0 ? 1 : -1));
      return view.getFloat32(0);
    };
    for (const sign of [0, 0x8000]) {
      for (let h = 0; h < 0x7bff; h++) {
        const lo = sign | h;
        const hi = sign | (h + 1);
        const a = reference(lo);
        const b = reference(hi);
        const mid = (a + b) / 2;
        if (Math.fround(mid) !== mid) wrong.push(`midpoint of ${lo} not a float32`);
        const even = (lo & 1) === 0 ? lo : hi;
        const outward = sign === 0; // away from zero is up for positive halves
        const cases: Array<[number, number]> = [
          [mid, even],
          [next(mid, !outward), lo],
          [next(mid, outward), hi],
        ];
        for (const [x, expected] of cases) if (float32ToFloat16(x) !== expected) wrong.push(`${x} -> ${float32ToFloat16(x)}, expected ${expected}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('overflows to infinity from 65520 (the tie above 65504) and keeps the sign of zero and of tiny values', () => {
    expect([65504, 65519.99, 65520, 1e9, Infinity, -65520, -Infinity].map(float32ToFloat16)).toEqual([0x7bff, 0x7bff, 0x7c00, 0x7c00, 0x7c00, 0xfc00, 0xfc00]);
    expect([0, -0, 2 ** -25, 2 ** -25 + 2 ** -40, -(2 ** -26)].map(float32ToFloat16)).toEqual([0, 0x8000, 0, 1, 0x8000]);
    expect([NaN, -NaN].map(float32ToFloat16)).toEqual([0x7e00, 0x7e00]);
  });

  it('rounds a double directly, not through float32 (no double rounding)', () => {
    // 1 + 2^-11 is the tie between 1 and 1 + 2^-10; a hair above it must round up, though float32 would make it the tie
    expect(float32ToFloat16(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01);
    expect(float32ToFloat16(Math.fround(1 + 2 ** -11 + 2 ** -40))).toBe(0x3c00);
  });
});
