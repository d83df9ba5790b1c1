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

const BLOCK = 16;

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

