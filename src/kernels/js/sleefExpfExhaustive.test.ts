// The exhaustive proof that sleefExpf is torch 1.13.1's vector exp (AVX2) on every float32 input, and
// that torchSigmoidInto's vector lanes are its sigmoid: all 2^32 bit patterns in 256 chunks of 2^24,
// each hashed against fixtures/torch-exp.json (scripts/fixtures/torch_exp.py ran the same chunks
// through torch.exp and torch.sigmoid). About 15 CPU minutes under jest (it passed in 30 wall minutes
// on a loaded 2-core machine), so it runs only with DDPM_HEAVY=1; the fast
// test (sleefExpf.test.ts) covers a strided 2^24 subset of the same inputs.
import { sha256CanonicalNaN } from '../../../test-utils/float.js';
import { readFixture } from '../../../test-utils/fixtures.js';
import { sleefExpf, torchSigmoidInto } from './sleefExpf.js';

interface TorchExpFixture {
  readonly chunkSize: number;
  readonly capabilities: {
    readonly avx2: { readonly chunks: { readonly exp: readonly string[]; readonly sigmoid: readonly string[] } };
  };
}

const HEAVY = process.env.DDPM_HEAVY === '1';
const heavy = HEAVY ? describe : describe.skip;

heavy('DDPM_HEAVY: sleefExpf and the vector sigmoid on all 2^32 float32 inputs, against torch (AVX2)', () => {
  const fixture = readFixture<TorchExpFixture>('torch-exp.json');
  const { chunkSize } = fixture;
  const { exp, sigmoid } = fixture.capabilities.avx2.chunks;
  const bits = new Uint32Array(chunkSize);
  const input = new Float32Array(bits.buffer);
  const out = new Float32Array(chunkSize);

  const hashOut = (): string => sha256CanonicalNaN(out);

  it('has 256 chunks of 2^24 inputs for each function', () => {
    expect(chunkSize * exp.length).toBe(2 ** 32);
    expect(sigmoid.length).toBe(exp.length);
  });

  it('every chunk: torch.exp and torch.sigmoid of bit patterns c 2^24 .. (c + 1) 2^24 - 1', () => {
    const failures: string[] = [];
    for (let c = 0; c < exp.length; c++) {
      const first = c * chunkSize;
      for (let i = 0; i < chunkSize; i++) bits[i] = first + i;
      for (let i = 0; i < chunkSize; i++) out[i] = sleefExpf(input[i] as number);
      if (hashOut() !== exp[c]) failures.push(`exp chunk ${c}`);
      // One contiguous 2^24-element tensor: all vector lanes (16 divides 2^24, one thread).
      torchSigmoidInto(input, out, 'avx2', () => NaN);
      if (hashOut() !== sigmoid[c]) failures.push(`sigmoid chunk ${c}`);
    }
    expect(failures).toEqual([]);
  }, 3_600_000);
});
