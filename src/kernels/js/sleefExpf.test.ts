// sleefExpf, torchExpInto and torchSigmoidInto against real torch 1.13.1 (Debian; fixtures/torch-exp.json
// from scripts/fixtures/torch_exp.py): a strided 2^24 subset of all float32 inputs by hash, explicit edge
// cases, torch's measured per-element dispatch, and sigmoid over linspace(-6, 6, T). The scalar lanes need
// glibc's expf: they are checked with src/kernels/js/glibcFloat.ts's expf when that file exists.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFixture } from '../../../test-utils/fixtures.js';
import { sleefExpf, torchExpInto, torchSigmoidInto } from './sleefExpf.js';

interface Capture {
  readonly strided: { readonly exp: string; readonly sigmoid: string };
  readonly dispatch: Record<'exp' | 'sigmoid', {
    readonly contiguous: Record<string, string>;
    readonly other: Record<string, string>;
    readonly threads: Record<string, string>;
  }>;
  readonly cases: {
    readonly inputHex: string;
    readonly expScalarCallHex: string;
    readonly expTensorHex: string;
    readonly sigmoidScalarCallHex: string;
    readonly sigmoidTensorHex: string;
    readonly nanPayloads: { readonly inputHex: string; readonly expHex: string };
  };
  readonly sigmoidLinspace: readonly { readonly steps: number; readonly inputHex: string; readonly sigmoidHex: string }[];
}

interface TorchExpFixture {
  readonly torch: string;
  readonly strided: { readonly multiplier: number; readonly offset: number; readonly count: number };
  readonly capabilities: { readonly avx2: Capture; readonly default: Capture };
}

const fixture = readFixture<TorchExpFixture>('torch-exp.json');
const { avx2, default: scalarBuild } = fixture.capabilities;

// glibc's expf comes from glibcFloat.ts, another kernel written separately: while that file does not
// exist, the tests of the scalar lanes are skipped (and say so).
const GLIBC_FLOAT = join(process.cwd(), 'src', 'kernels', 'js', 'glibcFloat.ts');
const withGlibc = existsSync(GLIBC_FLOAT) ? it : it.skip;
let glibcExpf: (x: number) => number = () => {
  throw new Error('glibcFloat.ts has no expf');
};
beforeAll(async () => {
  if (!existsSync(GLIBC_FLOAT)) return;
  const specifier = './glibcFloat.js'; // not a literal, so the type checker does not need the file
  const mod = (await import(specifier)) as { expf?: (x: number) => number };
  if (typeof mod.expf === 'function') glibcExpf = mod.expf;
});
// The strided subset takes a few seconds under jest; the limit leaves room for a loaded machine.
const SLOW = 60_000;

const fromHex = (hex: string): Float32Array => {
  const words = new Uint32Array(hex.length / 8);
  for (let i = 0; i < words.length; i++) words[i] = parseInt(hex.slice(8 * i, 8 * i + 8), 16);
  return new Float32Array(words.buffer);
};

/** One float32's bits as 8 hex digits. */
const hexAt = (values: Float32Array, i: number): string =>
  (new Uint32Array(values.buffer, values.byteOffset, values.length)[i] as number).toString(16).padStart(8, '0');

/** The index of the first element whose bits differ from the hex string (NaNs compare as NaNs), or -1. */
const firstDifference = (values: Float32Array, hex: string): number => {
  const expected = fromHex(hex);
  if (expected.length !== values.length) return Math.min(values.length, expected.length);
  for (let i = 0; i < values.length; i++) {
    const a = values[i] as number;
    const b = expected[i] as number;
    if (a !== a && b !== b) continue;
    if (hexAt(values, i) !== hexAt(expected, i)) return i;
  }
  return -1;
};

/** The fixture's hash: SHA-256 of little-endian float32 bits, NaNs written as 0x7fc00000. */
const hashOf = (values: Float32Array): string => {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) bits[i] = 0x7fc00000;
  return createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
};

/** The strided subset of all float32: bits i 256 + 0x5B for i < 2^24, 256 values in every chunk of 2^16. */
const stridedInputs = (): Float32Array => {
  const { multiplier, offset, count } = fixture.strided;
  const bits = new Uint32Array(count);
  for (let i = 0; i < count; i++) bits[i] = (i * multiplier + offset) >>> 0;
  return new Float32Array(bits.buffer);
};

/** Runs of 'S' (vector lane) and 'G' (scalar lane), the fixture's notation: 'S96 G4'. */
const runsOf = (isScalar: (i: number) => boolean, n: number): string => {
  const parts: string[] = [];
  let i = 0;
  while (i < n) {
    const scalar = isScalar(i);
    let j = i;
    while (j < n && isScalar(j) === scalar) j++;
    parts.push(`${scalar ? 'G' : 'S'}${j - i}`);
    i = j;
  }
  return parts.join(' ');
};

/** The lanes torchExpInto / torchSigmoidInto send to the scalar expf: a NaN-returning scalar marks them. */
const predictedRuns = (op: 'exp' | 'sigmoid', n: number, capability: 'default' | 'avx2' | 'avx512', threads = 1): string => {
  const input = new Float32Array(n).fill(0.5);
  const out = new Float32Array(n);
  const marker = (): number => NaN;
  if (op === 'exp') torchExpInto(input, out, capability, marker);
  else torchSigmoidInto(input, out, capability, marker, threads);
  return runsOf((i) => Number.isNaN(out[i]), n);
};

describe('sleefExpf is Sleef_expf8_u10avx2 as torch 1.13.1 runs it (AVX2), bit for bit', () => {
  it('matches torch.exp on the strided 2^24 subset of all float32 inputs (hash)', () => {
    const x = stridedInputs();
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = sleefExpf(x[i] as number);
    expect(hashOf(out)).toBe(avx2.strided.exp);
  }, SLOW);

  it('matches torch.exp on the explicit cases: overflow, underflow, subnormal results, zeros, infinities', () => {
    const x = fromHex(avx2.cases.inputHex);
    const out = torchExpInto(x, new Float32Array(x.length), 'avx2', () => NaN);
    expect(firstDifference(out, avx2.cases.expTensorHex)).toBe(-1);
    // A 0-d tensor takes the vector kernel as well (one padded vector).
    expect(firstDifference(out, avx2.cases.expScalarCallHex)).toBe(-1);
  });

  it('gives +Infinity above 100 and past the overflow threshold, +0 below -104, NaN for NaN', () => {
    expect(sleefExpf(Infinity)).toBe(Infinity);
    expect(sleefExpf(100.5)).toBe(Infinity);
    expect(sleefExpf(Math.fround(88.72284))).toBe(Infinity);
    expect(Object.is(sleefExpf(-Infinity), 0)).toBe(true);
    expect(Object.is(sleefExpf(-104.5), 0)).toBe(true);
    expect(sleefExpf(-103.9)).toBeGreaterThan(0); // a subnormal
    expect(sleefExpf(0)).toBe(1);
    expect(sleefExpf(-0)).toBe(1);
    const nan = fromHex(avx2.cases.nanPayloads.inputHex);
    for (let i = 0; i < nan.length; i++) expect(Number.isNaN(sleefExpf(nan[i] as number))).toBe(true);
    // torch keeps the payload and sets the quiet bit; recorded, though an engine need not keep it.
    const out = fromHex(avx2.cases.nanPayloads.expHex);
    const inBits = new Uint32Array(nan.buffer);
    const outBits = new Uint32Array(out.buffer);
    for (let i = 0; i < nan.length; i++) expect(outBits[i]).toBe(((inBits[i] as number) | 0x400000) >>> 0);
  });

  it('torchSigmoidInto\'s vector lanes match torch.sigmoid on the strided subset (one tensor: no scalar lanes)', () => {
    const x = stridedInputs();
    const out = torchSigmoidInto(x, new Float32Array(x.length), 'avx2', () => NaN);
    expect(hashOf(out)).toBe(avx2.strided.sigmoid);
  }, SLOW);

  it('torchExpInto may write in place', () => {
    const x = fromHex(avx2.cases.inputHex);
    const copy = x.slice();
    const out = torchExpInto(copy, new Float32Array(x.length), 'avx2', () => NaN);
    expect(torchExpInto(copy, copy, 'avx2', () => NaN)).toBe(copy);
    expect(firstDifference(copy, Array.from(new Uint32Array(out.buffer), (w) => w.toString(16).padStart(8, '0')).join(''))).toBe(-1);
  });
});

describe('torch 1.13.1\'s per-element dispatch for a contiguous float32 tensor, as measured', () => {
  for (const [name, capture, capability] of [['avx2', avx2, 'avx2'], ['default', scalarBuild, 'default']] as const) {
    for (const op of ['exp', 'sigmoid'] as const) {
      it(`${op} on '${name}': every measured size n, vector lanes and scalar lanes where torch has them`, () => {
        for (const [n, runs] of Object.entries(capture.dispatch[op].contiguous)) {
          expect([n, predictedRuns(op, Number(n), capability)]).toEqual([n, runs]);
        }
      });
    }
    it(`sigmoid on '${name}' with 2 and 4 threads: chunks of ceil(n / min(T, ceil(n / 32768)))`, () => {
      for (const [key, runs] of Object.entries(capture.dispatch.sigmoid.threads)) {
        const [, threads, n] = /^(\d+) threads, n = (\d+)$/.exec(key) ?? [];
        expect([key, predictedRuns('sigmoid', Number(n), capability, Number(threads))]).toEqual([key, runs]);
      }
    });
  }

  it('exp on \'avx2\' is all vector lanes for 0-d, strided and transposed tensors too; sigmoid is scalar there', () => {
    for (const runs of Object.values(avx2.dispatch.exp.other)) expect(runs).toMatch(/^S\d+$/);
    expect(avx2.dispatch.sigmoid.other['0-d tensor']).toBe('G1');
    expect(avx2.dispatch.sigmoid.other['x[::2], 1000 elements']).toBe('G1000');
    expect(avx2.dispatch.sigmoid.other['(7, 9) tensor transposed, memory order']).toBe(predictedRuns('sigmoid', 63, 'avx2'));
  });
});

describe('torch.sigmoid(torch.linspace(-6, 6, T)), the sigmoid beta schedule, on AVX2', () => {
  it.each(avx2.sigmoidLinspace.filter((c) => c.steps % 16 === 0).map((c) => [c.steps, c] as const))(
    'T = %i: all vector lanes, bit for bit',
    (_steps, c) => {
      const x = fromHex(c.inputHex);
      expect(firstDifference(torchSigmoidInto(x, new Float32Array(x.length), 'avx2', () => NaN), c.sigmoidHex)).toBe(-1);
    },
  );

  it.each(avx2.sigmoidLinspace.map((c) => [c.steps, c] as const))('T = %i: the vector lanes, bit for bit', (steps, c) => {
    const x = fromHex(c.inputHex);
    const out = torchSigmoidInto(x, new Float32Array(x.length), 'avx2', () => NaN);
    const vectorLanes = steps - (steps % 16);
    expect(firstDifference(out.subarray(0, vectorLanes), c.sigmoidHex.slice(0, 8 * vectorLanes))).toBe(-1);
  });
});

describe('the scalar lanes, with glibcFloat.ts\'s expf (skipped while that file does not exist)', () => {
  withGlibc('torch.exp on \'default\' matches on the strided subset (hash) and the explicit cases', () => {
    const expf = glibcExpf;
    const x = stridedInputs();
    expect(hashOf(torchExpInto(x, new Float32Array(x.length), 'default', expf))).toBe(scalarBuild.strided.exp);
    const cases = fromHex(scalarBuild.cases.inputHex);
    expect(firstDifference(torchExpInto(cases, new Float32Array(cases.length), 'default', expf), scalarBuild.cases.expTensorHex)).toBe(-1);
  }, SLOW);

  withGlibc('torch.sigmoid on \'default\' matches on the strided subset (hash)', () => {
    const expf = glibcExpf;
    const x = stridedInputs();
    expect(hashOf(torchSigmoidInto(x, new Float32Array(x.length), 'default', expf))).toBe(scalarBuild.strided.sigmoid);
  }, SLOW);

  withGlibc('torch.sigmoid of linspace(-6, 6, T) on \'avx2\' matches with its scalar tail, for every T', () => {
    const expf = glibcExpf;
    for (const c of avx2.sigmoidLinspace) {
      const x = fromHex(c.inputHex);
      expect([c.steps, firstDifference(torchSigmoidInto(x, new Float32Array(x.length), 'avx2', expf), c.sigmoidHex)]).toEqual([c.steps, -1]);
    }
  });

  withGlibc('0-d sigmoid calls on \'avx2\' are the scalar path: torchSigmoidInto with \'default\'', () => {
    const expf = glibcExpf;
    const x = fromHex(avx2.cases.inputHex);
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) torchSigmoidInto(x.subarray(i, i + 1), out.subarray(i, i + 1), 'default', expf);
    expect(firstDifference(out, avx2.cases.sigmoidScalarCallHex)).toBe(-1);
  });
});
