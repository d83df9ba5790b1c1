// glibc's float functions against values measured from the C library itself (fixtures/glibc-float.json,
// made by scripts/fixtures/glibc_float.c): every listed input where glibc is not correctly rounded,
// special values and branch edges, pseudo-random inputs, and the inputs that take the exact slow path.
// glibcFloatExhaustive.test.ts covers the whole domains.
import { readFixture } from '../../../test-utils/fixtures.js';
import {
  cosf,
  cosfEmulated,
  expf,
  expfEmulated,
  fusedMultiplyAdd,
  glibcSlowPaths,
  logf,
  logfEmulated,
  sinf,
  sinfEmulated,
} from './glibcFloat.js';

type FunctionName = 'logf' | 'sinf' | 'cosf' | 'expf';

interface GlibcFloatFixture {
  readonly glibc: string;
  readonly variants: Readonly<Record<string, string>>;
  readonly results: ReadonlyArray<{
    readonly function: FunctionName;
    readonly domain: string;
    readonly crDifferences?: number;
    readonly crDifferencesListed?: ReadonlyArray<readonly [number, number, number]>;
  }>;
  readonly samples: Readonly<Record<FunctionName, ReadonlyArray<readonly [number, number]>>>;
  readonly slowPathInputs: Readonly<Record<FunctionName, ReadonlyArray<number>>>;
}

const fixture = readFixture<GlibcFloatFixture>('glibc-float.json');

const FUNCTIONS: ReadonlyArray<{
  readonly name: FunctionName;
  readonly slot: number;
  readonly fast: (x: number) => number;
  readonly emulated: (x: number) => number;
}> = [
  { name: 'logf', slot: 0, fast: logf, emulated: logfEmulated },
  { name: 'sinf', slot: 1, fast: sinf, emulated: sinfEmulated },
  { name: 'cosf', slot: 2, fast: cosf, emulated: cosfEmulated },
  { name: 'expf', slot: 3, fast: expf, emulated: expfEmulated },
];

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (b: number): number => ((u32[0] = b), f32[0] as number);
const toBits = (x: number): number => ((f32[0] = x), u32[0] as number);
const hex = (b: number): string => `0x${b.toString(16).padStart(8, '0')}`;

/** Mismatches of f against glibc's outputs (bits; any NaN matches any NaN), as readable lines. */
const mismatches = (f: (x: number) => number, pairs: ReadonlyArray<readonly [number, number]>): string[] =>
  pairs.flatMap(([x, want]) => {
    const got = f(fromBits(x));
    const wantValue = fromBits(want);
    const same = Number.isNaN(wantValue) ? Number.isNaN(got) : Object.is(got, wantValue) && Math.fround(got) === got;
    return same ? [] : [`${hex(x)} (${fromBits(x)}): got ${got} (${hex(toBits(got))}), glibc ${wantValue} (${hex(want)})`];
  });

describe('the fixture', () => {
  it('was measured on glibc 2.36 with the FMA variant of each function', () => {
    expect(fixture.glibc).toBe('2.36');
    for (const name of ['logf', 'sinf', 'cosf', 'expf', 'sincosf']) expect(fixture.variants[name]).toBe(`__${name}_fma`);
  });
});

describe('fusedMultiplyAdd rounds a * b + c once, to nearest even', () => {
  it('keeps the low bits of the product that a separate multiply would lose', () => {
    expect(fusedMultiplyAdd(1 + 2 ** -30, 1 - 2 ** -30, -1)).toBe(-(2 ** -60));
    expect((1 + 2 ** -30) * (1 - 2 ** -30) - 1).toBe(0);
  });

  it('decides a sum that the rounded product would put exactly on a tie', () => {
    // a b = 2^-53 (1 + 2^-53 - 2^-105) rounds to 2^-53, and 1 + 2^-53 is a tie (to 1); the exact sum is above it.
    const a = 1 + 2 ** -52;
    const b = (1 - 2 ** -53) * 2 ** -53;
    expect(a * b + 1).toBe(1);
    expect(fusedMultiplyAdd(a, b, 1)).toBe(1 + 2 ** -52);
    expect(fusedMultiplyAdd(-a, b, -1)).toBe(-1 - 2 ** -52);
  });

  it('breaks exact ties to even', () => {
    expect(fusedMultiplyAdd(1, 2 ** -53, 1)).toBe(1);
    expect(fusedMultiplyAdd(1, 2 ** -53, 1 + 2 ** -52)).toBe(1 + 2 ** -51);
    expect(fusedMultiplyAdd(3, 2 ** -54, 1)).toBe(1 + 2 ** -52);
  });

  it('gives +0 for an exact cancellation and follows IEEE rules for zeros', () => {
    expect(Object.is(fusedMultiplyAdd(-3, 5, 15), 0)).toBe(true);
    expect(fusedMultiplyAdd(0, 5, 0.25)).toBe(0.25);
    expect(fusedMultiplyAdd(0.5, 3, 0)).toBe(1.5);
  });

  it('equals the plain expression whenever the product is exact', () => {
    for (let i = 1; i < 200; i++) {
      const a = (i * 7919) % 1021;
      const b = 1 / 2 ** (i % 40);
      const c = Math.sin(i) * 2 ** ((i % 60) - 30);
      expect(fusedMultiplyAdd(a, b, c)).toBe(a * b + c);
    }
  });
});

describe.each(FUNCTIONS)('$name', ({ name, slot, fast, emulated }) => {
  const listed = fixture.results
    .filter((r) => r.function === name)
    .flatMap((r) => (r.crDifferencesListed ?? []).map(([x, glibc]) => [x, glibc] as const));

  it(`returns glibc's value on each listed input where glibc is not correctly rounded (${name})`, () => {
    expect(listed.length).toBeGreaterThan(500);
    expect(mismatches(fast, listed)).toEqual([]);
  });

  it(`emulated exactly, also returns glibc's value on those inputs (${name})`, () => {
    expect(mismatches(emulated, listed)).toEqual([]);
  });

  it(`returns glibc's value on the sampled inputs: special values, branch edges, pseudo-random (${name})`, () => {
    const samples = fixture.samples[name];
    expect(samples.length).toBeGreaterThan(300);
    expect(mismatches(fast, samples)).toEqual([]);
    expect(mismatches(emulated, samples)).toEqual([]);
  });

  it(`takes the exact slow path on inputs near a float32 rounding boundary, and agrees with glibc (${name})`, () => {
    const inputs = fixture.slowPathInputs[name];
    expect(inputs.length).toBeGreaterThan(0);
    const glibc = new Map(fixture.samples[name]);
    for (const x of inputs) {
      const before = glibcSlowPaths[slot] as number;
      const got = fast(fromBits(x));
      expect([hex(x), (glibcSlowPaths[slot] as number) - before]).toEqual([hex(x), 1]);
      expect(toBits(got)).toBe(glibc.get(x));
    }
  });

  it(`agrees with its exact emulation on pseudo-random float32 inputs (${name})`, () => {
    let seed = 12345 + slot;
    const pairs: Array<readonly [number, number]> = [];
    for (let i = 0; i < 3000; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      const x = fromBits(seed);
      pairs.push([seed, toBits(emulated(x))]);
    }
    expect(mismatches(fast, pairs)).toEqual([]);
  });
});

describe('special values follow glibc', () => {
  it('logf: log 1 = +0, log +-0 = -Infinity, log Infinity = Infinity, NaN below 0 and for NaN', () => {
    expect(Object.is(logf(1), 0)).toBe(true);
    expect(logf(0)).toBe(-Infinity);
    expect(logf(-0)).toBe(-Infinity);
    expect(logf(Infinity)).toBe(Infinity);
    for (const x of [-1, -Infinity, -(2 ** -149), NaN]) expect(logf(x)).toBeNaN();
  });

  it('expf: 0 at -Infinity and below -103.97, 2^-149 down to it, Infinity above 88.72, NaN for NaN', () => {
    expect(expf(-Infinity)).toBe(0);
    expect(expf(Infinity)).toBe(Infinity);
    expect(expf(NaN)).toBeNaN();
    expect(expf(-104)).toBe(0);
    expect(expf(-103.5)).toBe(2 ** -149);
    expect(expf(89)).toBe(Infinity);
    expect(expf(0)).toBe(1);
    expect(expf(-0)).toBe(1);
  });

  it('sinf and cosf: sin y = y and cos y = 1 below 2^-12, NaN for infinities and NaN', () => {
    expect(Object.is(sinf(-0), -0)).toBe(true);
    expect(sinf(2 ** -130)).toBe(2 ** -130);
    expect(sinf(-(2 ** -13))).toBe(-(2 ** -13));
    expect(cosf(0)).toBe(1);
    expect(cosf(-(2 ** -13))).toBe(1);
    for (const y of [Infinity, -Infinity, NaN]) {
      expect(sinf(y)).toBeNaN();
      expect(cosf(y)).toBeNaN();
    }
  });
});
