// sleefLogf against real torch 1.13.1 (Debian, ATEN_CPU_CAPABILITY=avx2; fixtures/torch-log.json from
// scripts/fixtures/torch_log.py): a strided 2^24 subset of all float32 inputs by hash, the explicit and
// random cases, and the fixture's own record that a 0-d tensor's log (the library's torch.log(variance))
// and short tensors' lanes are the long tensor's lanes. The exhaustive test is sleefLogfExhaustive.test.ts.
import { createHash } from 'node:crypto';
import { readFixture } from '../../../test-utils/fixtures.js';
import { sleefLogf } from './sleefLogf.js';

interface TorchLogFixture {
  readonly torch: string;
  readonly capability: string;
  readonly strided: { readonly multiplier: number; readonly offset: number; readonly count: number };
  readonly stridedHash: string;
  readonly cases: { readonly count: number; readonly inputHex: string; readonly tensorHex: string; readonly zeroDimHex: string };
  readonly zeroDim: {
    readonly inputs: number;
    readonly zeroDimSameAsTensor: number;
    readonly shortTensorLanes: number;
    readonly shortTensorSameAsLongTensor: number;
    readonly sleefPurecfmaSameAsTensor: number;
  };
}

const fixture = readFixture<TorchLogFixture>('torch-log.json');

const fromHex = (hex: string): Float32Array => {
  const words = new Uint32Array(hex.length / 8);
  for (let i = 0; i < words.length; i++) words[i] = parseInt(hex.slice(8 * i, 8 * i + 8), 16);
  return new Float32Array(words.buffer);
};

const bitsOf = (value: number): string => {
  const f = new Float32Array([value]);
  return (new Uint32Array(f.buffer)[0] as number).toString(16).padStart(8, '0');
};

/** The fixture's hash: SHA-256 of little-endian float32 bits, NaNs written as 0x7fc00000. */
const hashOf = (values: Float32Array): string => {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) if (values[i] !== values[i]) bits[i] = 0x7fc00000;
  return createHash('sha256').update(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)).digest('hex');
};

/** Inputs whose sleefLogf bits differ from the hex outputs (NaNs compare as NaNs), as 'in -> got, want'. */
const differences = (inputs: Float32Array, hex: string): string[] => {
  const want = fromHex(hex);
  const out: string[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const got = sleefLogf(inputs[i] as number);
    const w = want[i] as number;
    if (got !== got && w !== w) continue;
    if (bitsOf(got) !== bitsOf(w)) out.push(`${bitsOf(inputs[i] as number)} -> ${bitsOf(got)}, want ${bitsOf(w)}`);
  }
  return out;
};

describe('sleefLogf is Sleef_logf8_u10avx2 as torch 1.13.1 runs it (AVX2), bit for bit', () => {
  it('the fixture is torch 1.13 on avx2', () => {
    expect(fixture.torch).toMatch(/^1\.13/);
    expect(fixture.capability).toBe('avx2');
  });

  it('matches torch.log on the strided 2^24 subset of all float32 inputs (hash)', () => {
    const { multiplier, offset, count } = fixture.strided;
    const bits = new Uint32Array(count);
    for (let i = 0; i < count; i++) bits[i] = (i * multiplier + offset) >>> 0;
    const x = new Float32Array(bits.buffer);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = sleefLogf(x[i] as number);
    expect(hashOf(out)).toBe(fixture.stridedHash);
  });

  it('matches torch.log on the explicit and random cases, as one tensor and as 0-d tensors', () => {
    const x = fromHex(fixture.cases.inputHex);
    expect(x.length).toBe(fixture.cases.count);
    expect(differences(x, fixture.cases.tensorHex)).toEqual([]);
    expect(differences(x, fixture.cases.zeroDimHex)).toEqual([]);
  });

  it('torch: a 0-d tensor and short tensors (partial vectors) take the same lanes as a long tensor', () => {
    const z = fixture.zeroDim;
    expect(z.zeroDimSameAsTensor).toBe(z.inputs);
    expect(z.shortTensorSameAsLongTensor).toBe(z.shortTensorLanes);
    expect(z.sleefPurecfmaSameAsTensor).toBe(z.inputs); // Sleef's scalar FMA build agrees with the lanes
  });

  it('specials: -Infinity at zeros, +Infinity at +Infinity, NaN below zero and at NaN, 0 at 1', () => {
    expect(sleefLogf(0)).toBe(-Infinity);
    expect(sleefLogf(-0)).toBe(-Infinity);
    expect(sleefLogf(Infinity)).toBe(Infinity);
    expect(sleefLogf(-Infinity)).toBeNaN();
    expect(sleefLogf(-1)).toBeNaN();
    expect(sleefLogf(-1e-45)).toBeNaN();
    expect(sleefLogf(NaN)).toBeNaN();
    expect(Object.is(sleefLogf(1), 0)).toBe(true);
    expect(sleefLogf(1.401298464324817e-45)).toBe(Math.fround(Math.log(1.401298464324817e-45)));
    expect(sleefLogf(3.4028234663852886e38)).toBe(Math.fround(Math.log(3.4028234663852886e38)));
  });
});
