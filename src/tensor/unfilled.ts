/**
 * New Float32Arrays for the outputs that the library writes in full before handing them out (the
 * pure step's outputs, rand/randn's tensors, denoise's per-step snapshots), without the zero fill that
 * `new Float32Array(n)` pays for memory that is overwritten at once. Internal.
 *
 * Why: a fresh array is cold memory. Zeroing it and then writing it touches every cache line twice;
 * at 1 048 576 elements (4 MiB) the zero fill is about a third of a new array plus its copy on this
 * project's machine (bench/notes.md, change 9). Where the runtime offers memory that is not zeroed
 * (Node's and Bun's `Buffer.allocUnsafeSlow`: an ArrayBuffer of its own, never a slice of Node's
 * shared pool), large outputs take it; everywhere else (browsers, workers, Deno) they are ordinary
 * arrays. Either way the caller gets a Float32Array over an ArrayBuffer of exactly its size at offset
 * 0, which it may keep, transfer or view as it likes.
 *
 * The contract of {@link unfilledFloat32}: its caller writes every element before the array leaves the
 * library, so unzeroed memory is never seen (src/tensor/unfilled.test.ts and
 * property-tests/unfilled.test.ts check every output path against a source that fills with NaN).
 *
 * @internal
 * @module
 */

import type { Tensor } from './tensor.js';
import { tensor } from './view.js';

/** Memory of `bytes` bytes that need not be zeroed: a Uint8Array view (a Node Buffer), or anything else to refuse. */
export type UnfilledSource = (bytes: number) => unknown;

// Below this many elements a Buffer costs more than the zero fill it saves (V8 keeps small typed
// arrays on its own heap; measured: 470 against 91 ns for 16 elements, even at 768, 4.2 against 5.7 µs at 4096).
const MIN_ELEMENTS = 4096;

interface BufferLike {
  readonly allocUnsafeSlow?: unknown;
}

/** Node's (or Bun's) `Buffer.allocUnsafeSlow`, read without importing 'buffer', so that browser bundles need nothing; else null. */
const runtimeSource = (): UnfilledSource | null => {
  const B = (globalThis as { readonly Buffer?: BufferLike }).Buffer;
  if ((typeof B !== 'function' && typeof B !== 'object') || B === null) return null;
  const allocate = B.allocUnsafeSlow;
  return typeof allocate === 'function' ? (bytes) => (allocate as (n: number) => unknown).call(B, bytes) : null;
};

let source: UnfilledSource | null = runtimeSource();
let minElements = MIN_ELEMENTS;

/**
 * The ArrayBuffer under `memory` when `memory` is a view of exactly `bytes` bytes covering the whole of
 * an ordinary (not shared) ArrayBuffer; else null. Realm-independent checks: under jest, Node's Buffer
 * comes from another realm than the library's Uint8Array.
 */
const ownBuffer = (memory: unknown, bytes: number): ArrayBuffer | null => {
  if (!ArrayBuffer.isView(memory) || memory.byteOffset !== 0 || memory.byteLength !== bytes) return null;
  const buffer = memory.buffer;
  return Object.prototype.toString.call(buffer) === '[object ArrayBuffer]' && buffer.byteLength === bytes ? (buffer as ArrayBuffer) : null;
};

/**
 * A new Float32Array of `n` elements (an integer in [0, 2^28], as checked shapes give) whose values
 * are unspecified: the caller must write every element before the array leaves the library. Large
 * arrays come from the runtime's unzeroed memory where it has any, the rest are `new Float32Array(n)`.
 *
 * @example
 * ```ts
 * const out = unfilledFloat32(65536);
 * out.set(values); // every element written, then handed out
 * ```
 * @internal
 */
export const unfilledFloat32 = (n: number): Float32Array => {
  if (source !== null && n >= minElements) {
    const bytes = n * 4;
    let memory: unknown;
    try {
      memory = source(bytes);
    } catch {
      // a runtime that refuses (out of memory, a patched Buffer): the ordinary array, which says so itself
      memory = null;
    }
    const buffer = ownBuffer(memory, bytes);
    if (buffer !== null) return new Float32Array(buffer, 0, n);
  }
  return new Float32Array(n);
};

/**
 * A new contiguous tensor of `shape` (already checked) over {@link unfilledFloat32}: the caller writes
 * every element before the tensor leaves the library.
 *
 * @example
 * ```ts
 * const out = unfilledTensor([1, 4, 64, 64]); // then a pass writes all 16 384 values
 * ```
 * @internal
 */
export const unfilledTensor = (shape: ReadonlyArray<number>): Tensor => {
  let numel = 1;
  for (const d of shape) numel *= d;
  return tensor(unfilledFloat32(numel), shape);
};

/**
 * Runs `f` with `replacement` as the source of unfilled memory for every size (null: ordinary arrays
 * only), then restores the runtime's source and size threshold. For the tests, which fill with NaN to
 * see that every output path writes all of its array, small shapes included.
 *
 * @example
 * ```ts
 * withUnfilledSource((bytes) => new Uint8Array(bytes).fill(0xff), () => randn(torchGenerator(0), [1, 4, 64, 64]));
 * ```
 * @internal
 */
export const withUnfilledSource = <A>(replacement: UnfilledSource | null, f: () => A): A => {
  const saved = source;
  const savedMin = minElements;
  source = replacement;
  minElements = 0;
  try {
    return f();
  } finally {
    source = saved;
    minElements = savedMin;
  }
};

/**
 * Whether large outputs take unzeroed memory here (Node's or Bun's `Buffer.allocUnsafeSlow`).
 *
 * @example
 * ```ts
 * hasUnfilledSource() // true on Node, false in a browser
 * ```
 * @internal
 */
export const hasUnfilledSource = (): boolean => source !== null;
