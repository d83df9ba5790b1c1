/**
 * The kernels' WebAssembly instance, made on first use, and the fixed layout of its memory. Internal.
 *
 * Memory layout (bytes): the MT19937 state at {@link STATE}, then the step's parameter block at
 * {@link STEP_BLOCK}; six staging chunks of {@link CHUNK} float32 each from {@link STAGING}, through
 * which tensors outside WASM memory are streamed; and, from {@link ARENA_START}, the arena of
 * `allocTensor`, reserved once. Nothing here grows memory per
 * call: the staging area is part of the initial memory, so a step or a draw of any size reuses it.
 *
 * @module
 */
import { environmentValue } from '../environment.js';
import { KERNELS_RELAXED_WASM_BASE64 } from './generated/kernels-relaxed.wasm.js';
import { KERNELS_WASM_BASE64 } from './generated/kernels.wasm.js';

/**
 * The posterior pass: f32x4 in torch's float32 op order (step32) or f64x2 (step64), over `len`
 * elements whose operands and scalars the caller wrote into the parameter block at `block` (see
 * {@link STEP_BLOCK}); `kind`, `prediction` and `clipMode` are the NOISE_*, PREDICT_* and CLIP_* codes.
 * @internal
 */
export type StepPass = (block: number, len: number, kind: number, prediction: number, clipMode: number) => void;

/** The functions the module exports (see assembly/kernels.ts). @internal */
export interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  step32: StepPass;
  step64: StepPass;
  mtRegenerate(state: number): void;
  takeRegenerations(): number;
  mtSkip(state: number, index: number, count: number): number;
  mtUniforms(out: number, count: number, state: number, index: number): number;
  /**
   * torch's scalar Box-Muller with glibc's logf, sinf and cosf over `blocks` blocks of 16 uniforms at
   * `out`, in place, but for blocks with a lane whose fast path cannot decide: those are left as they
   * were and listed at `flagged` as `(block << 8) | laneBits`; returns how many are listed.
   */
  glibcNormalBlocks(out: number, blocks: number, flagged: number): number;
  /** torch's AVX2 Box-Muller (Debian's build) over `blocks` blocks of 16 uniforms at `out`, in place. */
  avx2NormalBlocks(out: number, blocks: number): void;
  /**
   * Which relaxed multiply-adds the engine fuses: bit 0 `f32x4.relaxed_madd`, bit 1 `f64x2.relaxed_madd`;
   * 0 in the SIMD build.
   */
  fusedMultiplyAdds(): number;
}

/** The few WebAssembly globals used, typed here so that the main entry needs no DOM or Node types. */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  instantiate(bytes: Uint8Array, imports: object): Promise<{ readonly instance: { readonly exports: unknown } }>;
}

/** Byte offset of the 624 MT19937 words. @internal */
export const STATE = 1024;
/**
 * Byte offset of the step's parameter block (reserved by assembly/kernels.ts right after the
 * MT19937 words), which the caller of step32 / step64 writes before each call: the u32 addresses of
 * model, sample, noise, variance, prev and x0 at bytes 0-23, then a, b, c, -c, c0, ct and sd from
 * byte 32, as floats for step32 and doubles for step64. @internal
 */
export const STEP_BLOCK = STATE + 624 * 4;
/** The parameter block's size in bytes (assembly/kernels.ts's STEP_BLOCK_BYTES). @internal */
export const STEP_BLOCK_BYTES = 96;
/** Float32 elements per staging chunk (a multiple of 16, the Box-Muller block). @internal */
export const CHUNK = 16384;
/**
 * Byte offset of the first staging chunk; chunk i starts at STAGING + i * CHUNK * 4. Half a page past a
 * 4 KiB boundary on purpose: a copy between a staging chunk and a typed array whose data sits a few
 * bytes past the chunk's address modulo 4096 runs some 15x slower on this machine's CPU (the memcpy's
 * loads and stores alias; measured 2.3 against 0.1 ns per float32), and the large arrays users pass
 * begin just past a page boundary (a calloc'd mmap chunk), which a page-aligned chunk would meet.
 * @internal
 */
export const STAGING = 65536 + 2048;
/** The number of staging chunks: model output, sample, noise, variance, and the two outputs. @internal */
export const STAGING_SLOTS = 6;
/** Byte offset where the allocTensor arena begins: the end of the module's initial 16 pages. @internal */
export const ARENA_START = 16 * 65536;

const wasmApi = (): WebAssemblyApi | undefined =>
  (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

// (module (func (result v128) v128.const 0)): valid exactly where the engine has 128-bit SIMD.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
]);

/**
 * Whether this engine validates WebAssembly SIMD (a tiny module with a `v128.const`).
 *
 * @example
 * ```ts
 * simdSupported() // true on Node >= 16.4 and current browsers
 * ```
 */
export const simdSupported = (): boolean => {
  const api = wasmApi();
  if (api === undefined) return false;
  try {
    return api.validate(SIMD_PROBE);
  } catch {
    return false;
  }
};

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decodes base64 without atob or Buffer, so that it runs in any JavaScript engine. @internal */
export const decodeBase64 = (text: string): Uint8Array => {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let count = 0;
  let at = 0;
  for (let i = 0; i < clean.length; i++) {
    bits = (bits << 6) | BASE64.indexOf(clean.charAt(i));
    count += 6;
    if (count >= 8) {
      count -= 8;
      out[at++] = (bits >>> count) & 0xff;
    }
  }
  return out;
};

/**
 * The two builds of the kernels' module, from the one source (assembly/kernels.ts):
 * - `'relaxed-simd'`: WebAssembly SIMD plus relaxed SIMD. Its Box-Muller blocks use `relaxed_madd` as
 *   the fused multiply-add that torch's AVX2 kernel and glibc's FMA builds execute: the AVX2 flavor in
 *   float32 lanes (four at a time instead of two doubles) and the glibc flavor with glibc's own fused
 *   operations (no error bound, no JavaScript fix-up). It runs only where the engine validates relaxed
 *   SIMD (Node 22+, Chromium 114+; Node 20 with `--experimental-wasm-relaxed-simd`) and fuses the
 *   multiply-add in both widths, which a probe in the module checks at load (V8 does on x86-64 with FMA3).
 * - `'simd'`: WebAssembly SIMD only, every fused operation emulated in double. The fallback.
 * Both give the same bits for every input (randnExhaustive.test.ts runs every u1 and u2 through each).
 */
export type WasmBuild = 'relaxed-simd' | 'simd';

const BUILD_BYTES: Readonly<Record<WasmBuild, string>> = {
  'relaxed-simd': KERNELS_RELAXED_WASM_BASE64,
  simd: KERNELS_WASM_BASE64,
};
// fusedMultiplyAdds() with both widths fused
const BOTH_FUSED = 3;

const imports = {
  env: {
    abort: () => {
      throw new Error('ddpm-scheduler: WebAssembly kernel aborted');
    },
  },
};

/** The bytes of `build` where this engine validates them (WebAssembly SIMD, and relaxed SIMD for that build), else null. */
const validBytes = (api: WebAssemblyApi | undefined, build: WasmBuild): Uint8Array | null => {
  if (api === undefined || !simdSupported()) return null;
  try {
    const bytes = decodeBase64(BUILD_BYTES[build]);
    return api.validate(bytes) ? bytes : null;
  } catch {
    return null;
  }
};

/** The exports of a new instance of `build`, or null for a relaxed build whose multiply-adds do not fuse. */
const accepted = (build: WasmBuild, exports: unknown): KernelExports | null => {
  const made = exports as KernelExports;
  return build === 'simd' || made.fusedMultiplyAdds() === BOTH_FUSED ? made : null;
};

/**
 * A new instance of `build`, compiled synchronously, with memory of its own; null where the engine lacks
 * WebAssembly SIMD, refuses the module (no relaxed SIMD; a Content-Security-Policy without
 * 'wasm-unsafe-eval'; a main thread that limits synchronous compilation), or, for `'relaxed-simd'`, does
 * not fuse its multiply-adds. For tests and benchmarks of one build; the library uses {@link kernels}.
 *
 * @internal
 */
export const instantiateBuild = (build: WasmBuild): KernelExports | null => {
  const api = wasmApi();
  const bytes = validBytes(api, build);
  if (api === undefined || bytes === null) return null;
  try {
    return accepted(build, new api.Instance(new api.Module(bytes), imports).exports);
  } catch {
    return null;
  }
};

/** {@link instantiateBuild} compiled asynchronously (allowed at any size on a browser's main thread). */
const instantiateBuildAsync = async (build: WasmBuild): Promise<KernelExports | null> => {
  const api = wasmApi();
  const bytes = validBytes(api, build);
  if (api === undefined || bytes === null) return null;
  try {
    return accepted(build, (await api.instantiate(bytes, imports)).instance.exports);
  } catch {
    return null;
  }
};

// `DDPM_WASM_BUILD=simd` keeps the library on the SIMD build where the relaxed one could run (to
// compare the two, or to rule the relaxed one out); any other value is ignored, as for DDPM_BACKEND.
const environmentBuilds = (): ReadonlyArray<WasmBuild> =>
  environmentValue('DDPM_WASM_BUILD') === 'simd' ? ['simd'] : ['relaxed-simd', 'simd'];

let instance: KernelExports | null | undefined;
let instanceBuild: WasmBuild | null = null;

/**
 * The instance, made synchronously on first call: the relaxed-SIMD build where it runs and fuses, else
 * the SIMD build (see {@link WasmBuild}); null when WebAssembly or SIMD is unavailable or compilation
 * is refused (a Content-Security-Policy without 'wasm-unsafe-eval', or a browser that limits
 * synchronous compilation on its main thread; {@link kernelsAsync} then may still succeed): the
 * JavaScript kernels then run.
 *
 * @internal
 */
export const kernels = (): KernelExports | null => {
  if (instance !== undefined) return instance;
  instance = null;
  for (const build of environmentBuilds()) {
    const made = instantiateBuild(build);
    if (made !== null) {
      instance = made;
      instanceBuild = build;
      break;
    }
  }
  return instance;
};

/**
 * The instance, compiled asynchronously where the synchronous compilation of {@link kernels} was
 * refused (browsers allow `WebAssembly.instantiate` on their main thread at any size). Resolves to
 * null, never rejects, where WebAssembly SIMD cannot run at all.
 *
 * @internal
 */
export const kernelsAsync = async (): Promise<KernelExports | null> => {
  const ready = kernels();
  if (ready !== null) return ready;
  for (const build of environmentBuilds()) {
    const made = await instantiateBuildAsync(build);
    if (made !== null) {
      // another call may have finished first: keep its instance, whose memory tensors may already use
      if (instance === null || instance === undefined) {
        instance = made;
        instanceBuild = build;
      }
      return instance;
    }
  }
  return null;
};

/**
 * Which build of the WebAssembly kernels the library runs: `'relaxed-simd'` (fused multiply-adds, where
 * the engine has relaxed SIMD and fuses them) or `'simd'`; null where no WebAssembly SIMD kernels run.
 * Both builds give the same bits; they differ in speed (the noise, chiefly). Made on first use, as the
 * backend is. `DDPM_WASM_BUILD=simd` keeps the SIMD build.
 *
 * @example
 * ```ts
 * wasmBuild() // 'simd' on Node 20; 'relaxed-simd' on Node 22+ and Chromium on an x86-64 CPU with FMA
 * ```
 */
export const wasmBuild = (): WasmBuild | null => (kernels() === null ? null : instanceBuild);

let viewBuffer: ArrayBuffer | null = null;
let f32View = new Float32Array(0);
let u32View = new Uint32Array(0);
let f64View = new Float64Array(0);

/** A Float32Array over the whole memory, re-made only when the memory has grown. @internal */
export const memoryF32 = (k: KernelExports): Float32Array => {
  if (k.memory.buffer !== viewBuffer) {
    viewBuffer = k.memory.buffer;
    f32View = new Float32Array(viewBuffer);
    u32View = new Uint32Array(viewBuffer);
    f64View = new Float64Array(viewBuffer);
  }
  return f32View;
};

/** A Uint32Array over the whole memory. @internal */
export const memoryU32 = (k: KernelExports): Uint32Array => {
  memoryF32(k);
  return u32View;
};

/** A Float64Array over the whole memory (its byte length is a multiple of 8: whole pages). @internal */
export const memoryF64 = (k: KernelExports): Float64Array => {
  memoryF32(k);
  return f64View;
};

/**
 * Copies `count` float32 values of WASM memory, from element `from` on, into `target` at index `at`
 * (one `TypedArray.prototype.set`: a memcpy). Fast unless the target's data lies a few bytes past the
 * source modulo 4096, the aliasing that {@link STAGING}'s placement keeps the usual arrays out of.
 *
 * @internal
 */
export const copyFromMemory = (k: KernelExports, from: number, count: number, target: Float32Array, at: number): void => {
  target.set(memoryF32(k).subarray(from, from + count), at);
};

/** The byte offset of staging chunk `slot`. @internal */
export const stagingAt = (slot: number): number => STAGING + slot * CHUNK * 4;
