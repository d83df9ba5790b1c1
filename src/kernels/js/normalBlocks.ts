/**
 * The noise of the JavaScript kernels: `torch.randn(n)`'s float32 path for n >= 16, the definition the
 * WebAssembly kernels reproduce bit for bit. n float32 uniforms from MT19937, then Box-Muller over
 * blocks of 16 (`u1 = 1 - u[j]`, `u2 = u[j + 8]`, the cosine into slot j and the sine into slot j + 8
 * for j < 8); when n % 16 != 0 the last 16 values are recomputed from 16 fresh uniforms.
 *
 * @module
 */
import { MtCursor, TWO_POW_MINUS_24 } from '../../random/cursor.js';
import { MT_N } from '../../random/mt19937.js';
import type { CpuCapability } from '../../cpuCapability.js';
import type { DrawnState } from '../types.js';
import { avx2NormalBlock } from './avx2Normal.js';
import { scalarNormalBlock } from './scalarNormal.js';
import { sinCos, uniformLog } from './sincos.js';

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper
// (27 ns bound), which made the JS-backend test pass spend most of its time in boxMullerBlock.
const { fround, sqrt } = Math;

// 2.0f * c10::pi<double> is evaluated in double, so theta is rounded to float32 only once.
const TWO_PI = 2 * Math.PI;
const BLOCK = 16;
const HALF = 8;

// Scratch for sinCos's two results; the kernel is synchronous, so one module-level buffer is safe.
const SIN_COS = new Float64Array(2);

/**
 * Box-Muller over one block of 16 float32 uniforms in `out[base .. base + 16)`, in place, with
 * PyTorch's float32 operations: logf, sqrtf, cosf and sinf as their correctly rounded float32
 * results. The log and the sine and cosine (one shared reduction) come from sincos.ts, which the
 * WebAssembly kernel reproduces operation for operation; the other steps are single IEEE float32
 * operations (done exactly in double and rounded once), so both backends give the same bits.
 * Exported for the exhaustive backend comparison only.
 *
 * @example
 * ```ts
 * const block = new Float32Array(16).fill(0.25);
 * boxMullerBlock(block, 0); // block[0] = sqrt(-2 log 0.75) cos(pi / 2) ≈ -3.3e-8, block[8] ≈ 0.7585
 * ```
 * @internal
 */
export const boxMullerBlock = (out: Float32Array, base: number): void => {
  const end = base + HALF;
  for (let j = base; j < end; j++) {
    const u1 = 1 - (out[j] as number); // (0, 1] for the log; exact in float32
    // -2 * logf(u1) is exact; sqrt of a float32 in double, rounded once, is the float32 sqrt.
    const radius = fround(sqrt(-2 * uniformLog(u1)));
    sinCos(fround(TWO_PI * (out[j + HALF] as number)), SIN_COS);
    // radius * cos is a product of two float32 values: exact in double, rounded once on store.
    out[j] = radius * fround(SIN_COS[1] as number) + 0;
    out[j + HALF] = radius * fround(SIN_COS[0] as number) + 0;
  }
};

/** Draws 16 float32 uniforms into `out[base .. base + 16)` from the cursor. */
const drawBlock = (out: Float32Array, base: number, cursor: MtCursor): void => {
  if (cursor.index > MT_N - BLOCK) {
    // Rare (once per 39 blocks): the block straddles a regeneration; take the checked path.
    for (let k = base; k < base + BLOCK; k++) out[k] = (cursor.next32() & 0xffffff) * TWO_POW_MINUS_24;
    return;
  }
  const words = cursor.words;
  let index = cursor.index;
  for (let k = base; k < base + BLOCK; k++) {
    let y = words[index++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    out[k] = (y & 0xffffff) * TWO_POW_MINUS_24;
  }
  cursor.index = index;
};

/**
 * Fills `out` (length >= 16) with `torch.randn(out.length)`'s values on the CPU kernel family
 * `capability` from the MT19937 state (`words`, `index`), which it does not write: a regeneration goes
 * into fresh words, returned with the new index.
 *
 * @example
 * ```ts
 * const { words, index } = jsNormalBlocks(out, g.words, g.index, 'avx512'); // words: fresh ones, or null
 * ```
 * @internal
 */
export const jsNormalBlocks = (out: Float32Array, words: Uint32Array, index: number, capability: CpuCapability): DrawnState => {
  // torch's AVX2 build runs avx_mathfun's polynomials; its default and AVX512 builds the scalar loop with glibc
  const block = capability === 'avx2' ? avx2NormalBlock : scalarNormalBlock;
  const n = out.length;
  const cursor = new MtCursor(words, index);
  const fullBlocks = n - (n % BLOCK);
  // One pass: each block's uniforms are drawn and transformed while they are in cache.
  for (let base = 0; base < fullBlocks; base += BLOCK) {
    drawBlock(out, base, cursor);
    block(out, base);
  }
  if (fullBlocks !== n) {
    // PyTorch drew uniforms for the ragged tail too, then overwrote them: skip those draws.
    cursor.skip(n - fullBlocks);
    drawBlock(out, n - BLOCK, cursor);
    block(out, n - BLOCK);
  }
  return { words: cursor.words === words ? null : cursor.words, index: cursor.index };
};

