/**
 * Tensors whose data lives in the kernels' WebAssembly memory, so that a step or a draw on them runs
 * with no copy at all.
 *
 * Memory model: the arena is reserved once, on the first allocation (64 MiB unless
 * {@link reserveTensorMemory} says otherwise), by growing the WebAssembly memory a single time.
 * After that the memory never grows, so the `Float32Array` of every tensor stays valid (growing a
 * WebAssembly memory detaches the views over it). A tensor is valid until {@link freeTensor}.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { tensor, type Tensor } from '../tensor/index.js';
import { checkShape } from '../tensor/shape.js';
import { ARENA_START, kernels } from './instance.js';

const PAGE = 65536;
const ALIGN = 16;
// The arena begins half a 4 KiB page past a page boundary, so that tensors whose sizes are whole 4 KiB
// pages (the usual latents) begin there too. A memcpy between two buffers whose data lie a few bytes
// apart modulo 4096 runs some 6-15x slower on this machine's CPU (its loads and stores alias), and a
// large ordinary typed array's data begins just past a page boundary (a calloc'd mmap chunk): a
// page-aligned tensor would meet it in every copy out, a slice of it, say (measured: 4.35 against
// 0.69 ns per float32 at 65 536). The memory holds these bytes beyond the arena's size.
const ARENA_SKEW = 2048;
const DEFAULT_ARENA = 64 * 1024 * 1024;

interface Block {
  offset: number;
  size: number;
}

let requestedBytes = DEFAULT_ARENA;
let arenaEnd = 0;
let arenaSize = 0;
// Free blocks sorted by offset, and the size of every live allocation by its byte offset.
const freeBlocks: Block[] = [];
const live = new Map<number, number>();

const unavailable = (parameter: string, received: unknown): SchedulerError =>
  schedulerError('InvalidTensor', parameter, received, 'a runtime with WebAssembly SIMD', 'the kernels cannot be instantiated here');

/** The most memory a WebAssembly module can have: 65 536 pages of 64 KiB, 4 GiB. */
const MAX_MEMORY = 65536 * PAGE;

/**
 * Sets the size of the arena that {@link allocTensor} serves, before the first allocation, or again
 * once every tensor has been freed. The arena is always the end of the module's memory, so a new size
 * reuses it: a smaller one keeps the memory and serves less of it, a larger one grows the memory by the
 * difference only. The memory grows only here and on the first allocation, never per step, and never
 * shrinks (WebAssembly memories cannot). A size that does not fit in the 4 GiB a module can address is
 * refused, as is a change while tensors are live (growing would detach their data).
 *
 * @example
 * ```ts
 * reserveTensorMemory(256 * 1024 * 1024) // right(268435456): room for 64 Mi float32 values
 * reserveTensorMemory(2 ** 40)           // left(InvalidNumber 'bytes': more than the module can address)
 * ```
 */
export const reserveTensorMemory = (bytes: number): E.Either<SchedulerError, number> => {
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < PAGE) {
    return E.left(schedulerError('InvalidNumber', 'bytes', bytes, 'an integer >= 65536'));
  }
  const rounded = Math.ceil(bytes / PAGE) * PAGE;
  // the arena's skew takes one page more than its size
  if (rounded > MAX_MEMORY - ARENA_START - PAGE) {
    return E.left(
      schedulerError('InvalidNumber', 'bytes', bytes, `at most ${MAX_MEMORY - ARENA_START - PAGE} (a WebAssembly memory holds 4 GiB, the kernels' own data included)`),
    );
  }
  if (live.size > 0) {
    return E.left(
      schedulerError('InvalidNumber', 'bytes', bytes, 'a new size only while no allocTensor tensor is live',
        `${live.size} tensors are live; growing the memory would detach their data`),
    );
  }
  if (arenaEnd !== 0) {
    // No live tensor: the arena, the end of the memory, is reused in place and grown only if needed.
    const k = kernels();
    if (k === null) return E.left(unavailable('bytes', bytes));
    const start = arenaEnd - arenaSize;
    const have = k.memory.buffer.byteLength;
    if (start + rounded > have) k.memory.grow(Math.ceil((start + rounded - have) / PAGE));
    freeBlocks.length = 0;
    freeBlocks.push({ offset: start, size: rounded });
    arenaEnd = start + rounded;
    arenaSize = rounded;
  }
  requestedBytes = rounded;
  return E.right(rounded);
};

const ensureArena = (): boolean => {
  if (arenaEnd !== 0) return true;
  const k = kernels();
  if (k === null) return false;
  const have = k.memory.buffer.byteLength;
  const start = Math.max(have, ARENA_START) + ARENA_SKEW;
  k.memory.grow(Math.ceil((start + requestedBytes - have) / PAGE));
  freeBlocks.push({ offset: start, size: requestedBytes });
  arenaEnd = start + requestedBytes;
  arenaSize = requestedBytes;
  return true;
};

/**
 * A zero-filled contiguous tensor of `shape` whose data lives in the WebAssembly kernels' memory:
 * steps, noise draws and `...Into` kernels on such tensors read and write them in place, with no
 * copy. Valid until {@link freeTensor}; an error when the arena is full (see
 * {@link reserveTensorMemory}) or WebAssembly SIMD is unavailable.
 *
 * @example
 * ```ts
 * const sample = E.getOrElseW(() => { throw 0; })(allocTensor([1, 4, 64, 64]));
 * randnInto(sample.data, torchGenerator(0)); // drawn straight into WASM memory
 * freeTensor(sample);
 * ```
 */
export const allocTensor = (shape: ReadonlyArray<number>): E.Either<SchedulerError, Tensor> => {
  const checked = checkShape(shape);
  if (E.isLeft(checked)) return checked;
  const { numel } = checked.right;
  if (!ensureArena()) return E.left(unavailable('shape', shape));
  const k = kernels();
  if (k === null) return E.left(unavailable('shape', shape));
  const size = Math.max(ALIGN, Math.ceil((numel * 4) / ALIGN) * ALIGN);
  const index = freeBlocks.findIndex((b) => b.size >= size);
  if (index < 0) {
    const largest = freeBlocks.reduce((m, b) => Math.max(m, b.size), 0);
    return E.left(
      schedulerError('InvalidTensor', 'shape', shape, `at most ${largest} bytes (the largest free block of the arena)`,
        'free tensors or call reserveTensorMemory with a larger size while none is live'),
    );
  }
  const block = freeBlocks[index] as Block;
  const offset = block.offset;
  if (block.size === size) freeBlocks.splice(index, 1);
  else {
    block.offset += size;
    block.size -= size;
  }
  live.set(offset, size);
  const data = new Float32Array(k.memory.buffer, offset, numel);
  // A freed block may hold old values; a new tensor starts at zero, as allocate's do.
  data.fill(0);
  return E.right(tensor(data, checked.right.shape));
};

/**
 * Returns a tensor made by {@link allocTensor} to the arena. Freeing twice, a tensor from elsewhere,
 * or a view over part of one (lo, hi, pick, a step) is a typed error that changes nothing; a view over
 * all of its data (a transpose) frees it, as the tensor itself would. Its data must not be used
 * afterwards: the memory goes to the next allocation, and a write through a freed tensor's array is
 * not detected (the library never keeps one: its loops free their own tensors on every exit).
 *
 * @example
 * ```ts
 * freeTensor(sample) // right(undefined)
 * freeTensor(sample) // left({ _tag: 'InvalidTensor', ... }): already freed
 * ```
 */
export const freeTensor = (tensor: Tensor): E.Either<SchedulerError, void> => {
  const k = kernels();
  const data = tensor?.data;
  if (k === null || !(data instanceof Float32Array) || data.buffer !== k.memory.buffer || !live.has(data.byteOffset)) {
    return E.left(schedulerError('InvalidTensor', 'tensor', data, 'a live tensor made by allocTensor'));
  }
  // a view over part of the data (lo, hi, pick, a step) is not the tensor; one over all of it frees it
  if (tensor.offset !== 0 || tensor.size !== data.length) {
    return E.left(
      schedulerError('InvalidTensor', 'tensor', `a view of ${tensor.size} of ${data.length} elements`, 'the tensor allocTensor returned, not a view of part of it'),
    );
  }
  const offset = data.byteOffset;
  const size = live.get(offset) as number;
  live.delete(offset);
  let at = freeBlocks.findIndex((b) => b.offset > offset);
  if (at < 0) at = freeBlocks.length;
  freeBlocks.splice(at, 0, { offset, size });
  // Merge with the next block, then with the previous one, so that the arena does not fragment.
  const next = freeBlocks[at + 1];
  const self = freeBlocks[at] as Block;
  if (next !== undefined && self.offset + self.size === next.offset) {
    self.size += next.size;
    freeBlocks.splice(at + 1, 1);
  }
  const previous = freeBlocks[at - 1];
  if (previous !== undefined && previous.offset + previous.size === self.offset) {
    previous.size += self.size;
    freeBlocks.splice(at, 1);
  }
  return E.right(undefined);
};

/**
 * Whether a tensor's data lives in the WebAssembly kernels' memory (made by {@link allocTensor} or a
 * view of such a tensor), so that kernels run on it without copying.
 *
 * @example
 * ```ts
 * isWasmTensor(allocate([2, 2])) // false
 * ```
 */
export const isWasmTensor = (tensor: Tensor): boolean => {
  const k = kernels();
  const data: unknown = typeof tensor === 'object' && tensor !== null ? tensor.data : undefined;
  return k !== null && data instanceof Float32Array && data.buffer === k.memory.buffer;
};

/**
 * How many `allocTensor` tensors are live (made and not yet freed): for tests of code that borrows
 * arena memory and must give it back.
 *
 * @example
 * ```ts
 * liveTensorCount() // 0 once every tensor has been freed
 * ```
 * @internal
 */
export const liveTensorCount = (): number => live.size;
