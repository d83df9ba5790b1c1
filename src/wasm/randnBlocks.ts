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
 * Accuracy: the same bits as the JavaScript kernel for every state and length. The uniforms are exact
 * (the same words, the same 24-bit extraction), and Box-Muller's log, sine and cosine run the double
 * operations of src/random/sincos.ts in f64x2 lanes, its float32 steps in f32x4, so each value equals
 * the JavaScript one; boxMullerExhaustive.test.ts checks the log and the sine and cosine on each of
 * their 2^24 possible inputs. Over those inputs they are the correctly rounded float32 values, which
 * glibc's logf, sinf and cosf (PyTorch's default build) are within 1 ulp of (see docs/backends.md).
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
