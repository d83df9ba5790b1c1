import { fma32, roundSumToFloat32 } from './float32.js';

// An independent reference: the exact sum with BigInt scaled integers, rounded to float32 by
// comparing with the two neighbouring float32 values (ties to even).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const next = (x: number, up: boolean): number => {
  f32[0] = x;
  if (x === 0) return up ? 2 ** -149 : -(2 ** -149);
  u32[0] = (u32[0] as number) + ((x > 0) === up ? 1 : -1);
  return f32[0] as number;
};
const SCALE = 2n ** 400n;
const exact = (x: number): bigint => {
  // every value here is a multiple of 2^-300 below 2^100: scale by 2^400 into an integer
  let m = x;
  let e = 0;
  while (!Number.isInteger(m)) {
    m *= 2;
    e++;
  }
  return (BigInt(m) * SCALE) / 2n ** BigInt(e);
};
const referenceFma = (a: number, b: number, c: number): number => {
  const s = (exact(a) * exact(b)) / SCALE + exact(c);
  const lo0 = Math.fround(Number(s) / 2 ** 400);
  for (const r of [lo0, next(lo0, true), next(lo0, false)]) {
    const d = exact(r) - s;
    const up = exact(next(r, true)) - s;
    const down = exact(next(r, false)) - s;
    const ad = d < 0n ? -d : d;
    if (ad <= (up < 0n ? -up : up) && ad <= (down < 0n ? -down : down)) {
      if ((ad === (up < 0n ? -up : up) || ad === (down < 0n ? -down : down)) && (f32[0] = r, (u32[0] as number) & 1)) continue;
      return r;
    }
  }
  throw new Error('no nearest float32');
};

describe('float32 fused multiply-add', () => {
  it('rounds once where rounding the double sum would round twice', () => {
    expect(roundSumToFloat32(1, 2 ** -24 * (1 + 2 ** -30))).toBe(1 + 2 ** -23);
    expect(Math.fround(1 + 2 ** -24 * (1 + 2 ** -30))).toBe(1);
    expect(roundSumToFloat32(1, -(2 ** -25) * (1 + 2 ** -30))).toBe(1 - 2 ** -24);
  });

  it('equals the exactly rounded a * b + c on random and boundary-seeking float32 inputs', () => {
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let mismatches = 0;
    for (let i = 0; i < 3000; i++) {
      const a = Math.fround((rnd() - 0.5) * 4);
      const b = Math.fround((rnd() - 0.5) * 4);
      // half the time c cancels most of the product, so the sum sits near a float32 midpoint often
      const c = i % 2 === 0 ? Math.fround(-a * b + (rnd() - 0.5) * 2 ** -20) : Math.fround((rnd() - 0.5) * 4);
      if (fma32(a, b, c) !== referenceFma(a, b, c)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});
