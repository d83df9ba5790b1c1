/**
 * PyTorch's float32 `normal_fill` (n >= 16) on the WebAssembly kernel: the `normalBlocks` of the
 * WebAssembly kernels object.
 *
 * @module
 */
import type { DrawnState } from '../kernels/types.js';
import { MT_N } from '../random/mt19937.js';
import { CHUNK, memoryF32, memoryU32, STATE, stagingAt, type KernelExports } from './instance.js';

// The Box-Muller block of PyTorch's normal_fill.
const BLOCK = 16;

/**
 * Fills `out` (length >= 16) with `torch.randn(out.length)`'s values from the MT19937 state
 * (`words`, `index`), which it does not write: the draw runs on a copy in WASM memory. Full blocks
 * of 16 stream through a staging chunk (or are written in place when `out` lives in WASM memory);
 * a ragged tail skips its uniforms and recomputes the last 16 values from 16 fresh ones, as PyTorch
 * does.
 *
 * Accuracy: the same bits as the JavaScript kernel for every state and length. The uniforms are exact
 * (the same words, the same 24-bit extraction), and Box-Muller's log, sine and cosine run the double
 * operations of src/kernels/js/sincos.ts in f64x2 lanes, its float32 steps in f32x4, so each value equals
 * the JavaScript one; boxMullerExhaustive.test.ts checks the log and the sine and cosine on each of
 * their 2^24 possible inputs. Over those inputs they are the correctly rounded float32 values, which
 * glibc's logf, sinf and cosf (PyTorch's default build) are within 1 ulp of (see docs/backends.md).
 *
 * @example
 * ```ts
 * const next = wasmNormalBlocks(kernels, out, g.words, g.index); // { words: fresh words or null, index }
 * ```
 * @internal
 */
export const wasmNormalBlocks = (k: KernelExports, out: Float32Array, words: Uint32Array, index: number): DrawnState => {
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
