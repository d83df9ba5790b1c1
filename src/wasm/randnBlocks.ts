/**
 * PyTorch's float32 `normal_fill` (n >= 16) on the WebAssembly kernel. Internal: `randnInto` calls it
 * and keeps its JavaScript path when it returns null.
 *
 * @module
 */
import { backend } from './backend.js';
import { CHUNK, kernels, memoryF32, memoryU32, STATE, stagingAt } from './instance.js';

const MT_N = 624;
const BLOCK = 16;

/** Where a draw leaves the generator: fresh words when they were regenerated (null: unchanged), and the index. */
export interface DrawnState {
  readonly words: Uint32Array | null;
  readonly index: number;
}

/**
 * Fills `out` (length >= 16) with `torch.randn(out.length)`'s values from the MT19937 state
 * (`words`, `index`), which it does not write: the draw runs on a copy in WASM memory. Full blocks
 * of 16 stream through a staging chunk (or are written in place when `out` lives in WASM memory);
 * a ragged tail skips its uniforms and recomputes the last 16 values from 16 fresh ones, as PyTorch
 * does. Returns null, doing nothing, when the active backend is not `'wasm'`.
 *
 * Accuracy: uniforms are exact; the log is a float32 polynomial within 1 ulp of the correctly rounded
 * result, and sin and cos (reduced and evaluated in double) are correctly rounded, over every value
 * they can receive here (see docs/backends.md), so the values are within 2 ulp of PyTorch's.
 *
 * @example
 * ```ts
 * const next = wasmRandnBlocks(out, g.words, g.index); // { words: fresh words or null, index }
 * ```
 * @internal
 */
export const wasmRandnBlocks = (out: Float32Array, words: Uint32Array, index: number): DrawnState | null => {
  if (backend() !== 'wasm' || out.length < BLOCK) return null;
  const k = kernels();
  if (k === null) return null;
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
    k.boxMullerBlocks(target, count / BLOCK);
    if (!direct) out.set(memoryF32(k).subarray(staging >> 2, (staging >> 2) + count), from);
  }
  if (fullBlocks !== n) {
    // PyTorch drew uniforms for the ragged tail, then recomputed the last 16 values from fresh ones.
    at = k.mtSkip(STATE, at, n - fullBlocks);
    at = k.mtUniforms(staging, BLOCK, STATE, at);
    k.boxMullerBlocks(staging, 1);
    out.set(memoryF32(k).subarray(staging >> 2, (staging >> 2) + BLOCK), n - BLOCK);
  }
  const regenerated = k.takeRegenerations() > 0;
  // Fresh words for the next generator value; the caller's words stay untouched.
  return { words: regenerated ? memoryU32(k).slice(STATE >> 2, (STATE >> 2) + MT_N) : null, index: at };
};
