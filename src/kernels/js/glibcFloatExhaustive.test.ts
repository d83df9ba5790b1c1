// The proof that glibcFloat.ts is glibc's logf, sinf, cosf and expf (x86-64, FMA build) bit for bit:
// each function runs over a whole domain and the SHA-256 of its outputs (little-endian float32 bits in
// input order, every NaN as 0x7fc00000) must equal the one scripts/fixtures/glibc_float.c measured
// from the C library. The normal run covers randn's domains: all 2^24 inputs 1 - u of logf and all
// 2^24 angles of sinf and cosf, and every 256th bit pattern of expf. DDPM_HEAVY=1 adds every float32:
// the positive ones for logf, all 2^32 bit patterns for sinf, cosf and expf (a few minutes).
import { createHash, type Hash } from 'node:crypto';
import { endianness } from 'node:os';
import { readFixture } from '../../../test-utils/fixtures.js';
import { cosf, expf, glibcSlowPaths, logf, sinf } from './glibcFloat.js';

// Bound once: under jest every global Math.* lookup costs ~800 ns, which 2^24 iterations would feel.
const { fround, PI } = Math;

type FunctionName = 'logf' | 'sinf' | 'cosf' | 'expf';

interface GlibcFloatFixture {
  readonly results: ReadonlyArray<{
    readonly function: FunctionName;
    readonly domain: string;
    readonly heavy: boolean;
    readonly count: number;
    readonly sha256: string;
  }>;
}

const fixture = readFixture<GlibcFloatFixture>('glibc-float.json');
const heavy = process.env.DDPM_HEAVY === '1';

const FUNCTIONS: Readonly<Record<FunctionName, { readonly f: (x: number) => number; readonly slot: number }>> = {
  logf: { f: logf, slot: 0 },
  sinf: { f: sinf, slot: 1 },
  cosf: { f: cosf, slot: 2 },
  expf: { f: expf, slot: 3 },
};

const TWO_POW_MINUS_24 = 2 ** -24;
const inputBits = new Uint32Array(1);
const inputFloat = new Float32Array(inputBits.buffer);

/** Input number i of each domain, as glibc_float.c enumerates them. */
const DOMAINS: Readonly<Record<string, { readonly count: number; readonly input: (i: number) => number }>> = {
  uniform24: { count: 2 ** 24, input: (i) => (i + 1) * TWO_POW_MINUS_24 },
  // randn's angle: 2 pi (double) times the float32 u2 = k 2^-24, rounded to float32.
  angles24: { count: 2 ** 24, input: (k) => fround(2 * PI * (k * TWO_POW_MINUS_24)) },
  strided24: { count: 2 ** 24, input: (i) => ((inputBits[0] = (i << 8) | (i & 0xff)), inputFloat[0] as number) },
  positive: { count: 0x7f7fffff, input: (i) => ((inputBits[0] = i + 1), inputFloat[0] as number) },
  zeroTo2pi: { count: 0x40c90fdb, input: (i) => ((inputBits[0] = i), inputFloat[0] as number) },
  all: { count: 2 ** 32, input: (i) => ((inputBits[0] = i), inputFloat[0] as number) },
};

const CHUNK = 1 << 20;
const outFloat = new Float32Array(CHUNK);
const outBits = new Uint32Array(outFloat.buffer);

/**
 * Hashes f over inputs 0 .. count - 1 of a domain into each hash whose range [0, upTo) covers them
 * (so that one pass over all 2^32 inputs also gives the hash of its prefix [0, 2 pi]), and returns
 * how many calls took the slow path within each range.
 */
const hashOutputs = (
  f: (x: number) => number,
  slot: number,
  input: (i: number) => number,
  count: number,
  hashes: ReadonlyArray<{ readonly hash: Hash; readonly upTo: number }>,
): number[] => {
  const slowBefore = glibcSlowPaths[slot] as number;
  const slow = hashes.map(() => 0);
  for (let start = 0; start < count; ) {
    // Chunks end at each range's end, so that its slow-path count is exact.
    const n = Math.min(CHUNK, count - start, ...hashes.map(({ upTo }) => (upTo > start ? upTo - start : CHUNK)));
    for (let j = 0; j < n; j++) {
      const y = f(input(start + j));
      if (y !== y) outBits[j] = 0x7fc00000;
      else outFloat[j] = y;
    }
    hashes.forEach(({ hash, upTo }, h) => {
      if (start >= upTo) return;
      hash.update(new Uint8Array(outFloat.buffer, 0, n * 4));
      slow[h] = (glibcSlowPaths[slot] as number) - slowBefore;
    });
    start += n;
  }
  return slow;
};

const resultFor = (fn: FunctionName, domain: string) => {
  const r = fixture.results.find((x) => x.function === fn && x.domain === domain);
  if (r === undefined) throw new Error(`fixtures/glibc-float.json has no ${fn} on ${domain}: run scripts/fixtures/glibc_float.py${heavy ? ' --heavy' : ''}`);
  return r;
};

const check = (fn: FunctionName, domains: ReadonlyArray<string>): void => {
  const { f, slot } = FUNCTIONS[fn];
  // The domains of one run are prefixes of the first (its count is the largest).
  const results = domains.map((d) => resultFor(fn, d));
  const first = DOMAINS[domains[0] as string];
  if (first === undefined) throw new Error(`unknown domain ${domains[0]}`);
  results.forEach((r, j) => expect([r.domain, r.count]).toEqual([domains[j], DOMAINS[r.domain]?.count]));
  const hashes = results.map((r) => ({ hash: createHash('sha256'), upTo: r.count }));
  const slow = hashOutputs(f, slot, first.input, first.count, hashes);
  expect(results.map((r, j) => [r.domain, (hashes[j] as { hash: Hash }).hash.digest('hex')])).toEqual(
    results.map((r) => [r.domain, r.sha256]),
  );
  results.forEach((r, j) => {
    // The exact slow path must stay rare: at most one input in 10^5 (measured: about one in 10^7).
    expect(slow[j]).toBeLessThanOrEqual(r.count * 1e-5);
    if (heavy) console.info(`${fn} on ${r.domain}: ${slow[j]} of ${r.count} inputs took the exact slow path`);
  });
};

describe('glibc float functions over whole domains, against the C library\'s hashes', () => {
  beforeAll(() => expect(endianness()).toBe('LE'));

  it('logf on all 2^24 values 1 - u = i 2^-24 of randn', () => check('logf', ['uniform24']));
  it('sinf on all 2^24 angles fround(2 pi k 2^-24) of randn', () => check('sinf', ['angles24']));
  it('cosf on all 2^24 angles fround(2 pi k 2^-24) of randn', () => check('cosf', ['angles24']));
  it('expf on every 256th float32 bit pattern', () => check('expf', ['strided24']));

  const heavyIt = heavy ? it : it.skip;
  heavyIt('DDPM_HEAVY: logf on every positive finite float32', () => check('logf', ['positive']), 3_600_000);
  heavyIt('DDPM_HEAVY: sinf on every float32 bit pattern, and on [0, 2 pi]', () => check('sinf', ['all', 'zeroTo2pi']), 3_600_000);
  heavyIt('DDPM_HEAVY: cosf on every float32 bit pattern, and on [0, 2 pi]', () => check('cosf', ['all', 'zeroTo2pi']), 3_600_000);
  heavyIt('DDPM_HEAVY: expf on every float32 bit pattern', () => check('expf', ['all']), 3_600_000);
});
