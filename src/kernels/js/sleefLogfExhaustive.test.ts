// The exhaustive proof that sleefLogf is torch 1.13.1's log (AVX2: Sleef_logf8_u10avx2) on every float32
// input: all 2^32 bit patterns in 512 chunks of 2^23 (one per sign and exponent field; chunks 0..254 are
// +0 and every positive finite float32), each hashed against fixtures/torch-log.json
// (scripts/fixtures/torch_log.py ran the same chunks through torch.log). Minutes under jest, so it runs
// only with DDPM_HEAVY=1; the fast test (sleefLogf.test.ts) covers a strided 2^24 subset.
import { sha256CanonicalNaN } from '../../../test-utils/float.js';
import { readFixture } from '../../../test-utils/fixtures.js';
import { sleefLogf } from './sleefLogf.js';

interface TorchLogFixture {
  readonly chunkSize: number;
  readonly chunks: readonly string[];
}

const HEAVY = process.env.DDPM_HEAVY === '1';
const heavy = HEAVY ? describe : describe.skip;

heavy('DDPM_HEAVY: sleefLogf on all 2^32 float32 inputs, against torch.log (AVX2)', () => {
  const { chunkSize, chunks } = readFixture<TorchLogFixture>('torch-log.json');
  const bits = new Uint32Array(chunkSize);
  const input = new Float32Array(bits.buffer);
  const out = new Float32Array(chunkSize);

  const hashOut = (): string => sha256CanonicalNaN(out);

  const run = (from: number, to: number): string[] => {
    const failures: string[] = [];
    for (let c = from; c < to; c++) {
      const first = c * chunkSize;
      for (let i = 0; i < chunkSize; i++) bits[i] = first + i;
      for (let i = 0; i < chunkSize; i++) out[i] = sleefLogf(input[i] as number);
      if (hashOut() !== chunks[c]) failures.push(`chunk ${c} (bits 0x${first.toString(16)})`);
    }
    return failures;
  };

  it('has 512 chunks of 2^23 inputs', () => {
    expect(chunkSize * chunks.length).toBe(2 ** 32);
  });

  it('every positive finite float32 and +0 (chunks 0..254: sign 0, exponent field c)', () => {
    expect(run(0, 255)).toEqual([]);
  }, 3_600_000);

  it('+Infinity and the NaNs (chunk 255), and the negative half (chunks 256..511)', () => {
    expect(run(255, 512)).toEqual([]);
  }, 3_600_000);
});
