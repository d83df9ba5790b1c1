/**
 * PyTorch's float32 `normal_fill` (n >= 16) on the WebAssembly kernel: the `normalBlocks` of the
 * WebAssembly kernels object, in both of torch's flavors.
 *
 * @module
 */
import type { CpuCapability } from '../cpuCapability.js';
import { scalarNormalBlock } from '../kernels/js/scalarNormal.js';
import type { DrawnState } from '../kernels/types.js';
import { MT_N } from '../random/mt19937.js';
import { CHUNK, copyFromMemory, memoryF32, memoryU32, STATE, stagingAt, type KernelExports } from './instance.js';

// The Box-Muller block of PyTorch's normal_fill.
const BLOCK = 16;
// Where glibcNormalBlocks lists the blocks it left undecided: staging chunk 1, unused during a draw
// (at most CHUNK / 16 entries of 4 bytes per call, far less than a chunk).
const FLAGGED = stagingAt(1);

/**
 * Box-Muller over `blocks` (at most CHUNK / 16) blocks of uniforms at byte `at` of WASM memory, in
 * place, in the flavor of `capability`; returns how many lanes (pairs u1, u2) the WASM pass left
 * undecided. The glibc flavor's undecided blocks still hold their uniforms after the WASM pass; the
 * JavaScript block function, whose slow paths are exact, transforms them. Exported for the
 * exhaustive test.
 *
 * @example
 * ```ts
 * const undecided = normalBlocksAt(k, stagingAt(0), 1024, 'default'); // 0 nearly always
 * ```
 * @internal
 */
export const normalBlocksAt = (k: KernelExports, at: number, blocks: number, capability: CpuCapability): number => {
  // torch's AVX2 build runs avx_mathfun's polynomials; its default and AVX512 builds the scalar loop with glibc
  if (capability === 'avx2') {
    k.avx2NormalBlocks(at, blocks);
    return 0;
  }
  const listed = k.glibcNormalBlocks(at, blocks, FLAGGED);
  if (listed === 0) return 0;
  const memory = memoryF32(k);
  const list = memoryU32(k);
  let lanes = 0;
  for (let i = 0; i < listed; i++) {
    const entry = list[(FLAGGED >> 2) + i] as number;
    for (let bits = entry & 0xff; bits !== 0; bits &= bits - 1) lanes++;
    scalarNormalBlock(memory, (at >> 2) + (entry >>> 8) * BLOCK);
  }
  return lanes;
};

/**
 * Fills `out` (length >= 16) with `torch.randn(out.length)`'s values on the CPU kernel family
 * `capability` from the MT19937 state (`words`, `index`), which it does not write: the draw runs on a
 * copy in WASM memory. Full blocks of 16 stream through a staging chunk (or are written in place when
 * `out` lives in WASM memory); a ragged tail skips its uniforms and recomputes the last 16 values from
 * 16 fresh ones, as PyTorch does.
 *
 * Accuracy: the same bits as the JavaScript kernel (`jsNormalBlocks`) for every state, length and
 * capability. The uniforms are exact (the same words, the same 24-bit extraction), and each flavor's
 * block runs the double operations of its JavaScript definition (scalarNormal.ts with glibcFloat.ts's
 * fast paths, avx2Normal.ts) in f64x2 lanes; where a glibc fast path cannot decide its float32 result,
 * the block is left to `scalarNormalBlock`. randnExhaustive.test.ts checks every u1 and every u2.
 *
 * @example
 * ```ts
 * const next = wasmNormalBlocks(kernels, out, g.words, g.index, 'avx2'); // { words: fresh words or null, index }
 * ```
 * @internal
 */
export const wasmNormalBlocks = (
  k: KernelExports,
  out: Float32Array,
  words: Uint32Array,
  index: number,
  capability: CpuCapability,
): DrawnState => {
  memoryU32(k).set(words, STATE >> 2);
  k.takeRegenerations();
  const n = out.length;
  const fullBlocks = n - (n % BLOCK);
  const direct = out.buffer === k.memory.buffer;
  const staging = stagingAt(0);
  let at = index;
  for (let from = 0; from < fullBlocks; from += CHUNK) {
    const count = Math.min(CHUNK, fullBlocks - from);
    // Chunk by chunk, so that the uniforms are still in cache when Box-Muller reads them.
    const target = direct ? out.byteOffset + from * 4 : staging;
    at = k.mtUniforms(target, count, STATE, at);
    normalBlocksAt(k, target, count / BLOCK, capability);
    if (!direct) copyFromMemory(k, staging >> 2, count, out, from);
  }
  if (fullBlocks !== n) {
    // PyTorch drew uniforms for the ragged tail, then recomputed the last 16 values from fresh ones.
    at = k.mtSkip(STATE, at, n - fullBlocks);
    at = k.mtUniforms(staging, BLOCK, STATE, at);
    normalBlocksAt(k, staging, 1, capability);
    copyFromMemory(k, staging >> 2, BLOCK, out, n - BLOCK);
  }
  const regenerated = k.takeRegenerations() > 0;
  // Fresh words for the next generator value; the caller's words stay untouched.
  return { words: regenerated ? memoryU32(k).slice(STATE >> 2, (STATE >> 2) + MT_N) : null, index: at };
};
