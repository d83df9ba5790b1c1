// The proof that randn's two backends agree bit for bit: each rounded step of a Box-Muller value is
// a function of one 24-bit uniform, so comparing the steps on all 2^24 values of their input covers
// every generator state. The log and the sine and cosine are compared as functions (the WASM exports
// logArray and sinCosArray inline the same helpers as boxMullerBlocks), and the two block kernels on
// blocks whose uniforms run through all 2^24 values in both slots.
import { boxMullerBlock } from './js/normalBlocks.js';
import { sinCos, uniformLog } from './js/sincos.js';
import { CHUNK, kernels, memoryF32, memoryU32, type KernelExports, stagingAt } from '../wasm/instance.js';

// Bound once: under jest every global Math.* lookup costs ~800 ns, which 2^24 iterations would feel.
const { fround, PI } = Math;
const TWO_POW_24 = 16777216;
const TWO_POW_MINUS_24 = 1 / TWO_POW_24;

const wasm = (): KernelExports => {
  const k = kernels();
  if (k === null) throw new Error('WebAssembly SIMD is not available here');
  return k;
};

/** The bits of a float32 value, for comparisons that tell -0 from +0. */
const bits = (() => {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  return (x: number): number => ((f[0] = x), u[0] as number);
})();

describe('randn\'s Box-Muller functions, JavaScript against WebAssembly, on every input', () => {
  it('uniformLog and logArray agree bit for bit on all 2^24 values u1 = i 2^-24', () => {
    const k = wasm();
    const input = stagingAt(0);
    const output = stagingAt(1);
    let mismatches = 0;
    for (let start = 1; start <= TWO_POW_24; start += CHUNK) {
      const f32 = memoryF32(k);
      const u32 = memoryU32(k);
      for (let j = 0; j < CHUNK; j++) f32[(input >> 2) + j] = (start + j) * TWO_POW_MINUS_24;
      k.logArray(input, output, CHUNK);
      for (let j = 0; j < CHUNK; j++) {
        if (start + j > TWO_POW_24) break;
        if (bits(uniformLog((start + j) * TWO_POW_MINUS_24)) !== u32[(output >> 2) + j]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('sinCos and sinCosArray agree bit for bit on all 2^24 angles float32(2 pi k 2^-24)', () => {
    const k = wasm();
    const input = stagingAt(0);
    const sines = stagingAt(1);
    const cosines = stagingAt(2);
    const out = new Float64Array(2);
    let mismatches = 0;
    for (let start = 0; start < TWO_POW_24; start += CHUNK) {
      const f32 = memoryF32(k);
      const u32 = memoryU32(k);
      for (let j = 0; j < CHUNK; j++) f32[(input >> 2) + j] = fround(2 * PI * ((start + j) * TWO_POW_MINUS_24));
      k.sinCosArray(input, sines, cosines, CHUNK);
      for (let j = 0; j < CHUNK; j++) {
        sinCos(f32[(input >> 2) + j] as number, out);
        if (bits(out[0] as number) !== u32[(sines >> 2) + j]) mismatches++;
        if (bits(out[1] as number) !== u32[(cosines >> 2) + j]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('boxMullerBlock and boxMullerBlocks agree bit for bit with every uniform in every slot', () => {
    // Uniform i (of 2^24) goes into slot j = i % 16 of a block, its partner u[j +- 8] being another
    // uniform: all 2^24 values pass as u1 (slots 0-7) and as u2 (slots 8-15) within two sweeps, the
    // second with the halves of each block swapped.
    const k = wasm();
    const at = stagingAt(0);
    const js = new Float32Array(CHUNK);
    let mismatches = 0;
    for (const swapped of [false, true]) {
      for (let start = 0; start < TWO_POW_24; start += CHUNK) {
        const f32 = memoryF32(k);
        for (let j = 0; j < CHUNK; j++) {
          const slot = swapped ? j ^ 8 : j;
          js[j] = f32[(at >> 2) + j] = (start + slot) * TWO_POW_MINUS_24;
        }
        k.boxMullerBlocks(at, CHUNK / 16);
        for (let base = 0; base < CHUNK; base += 16) boxMullerBlock(js, base);
        const u32 = memoryU32(k);
        const jsBits = new Uint32Array(js.buffer);
        for (let j = 0; j < CHUNK; j++) if (jsBits[j] !== u32[(at >> 2) + j]) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
});
