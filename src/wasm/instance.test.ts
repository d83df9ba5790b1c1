import { KERNELS_RELAXED_WASM_BASE64 } from './generated/kernels-relaxed.wasm.js';
import { KERNELS_WASM_BASE64 } from './generated/kernels.wasm.js';
import {
  ARENA_START,
  CHUNK,
  copyFromMemory,
  decodeBase64,
  instantiateBuild,
  kernels,
  memoryF32,
  STAGING,
  STAGING_SLOTS,
  STATE,
  simdSupported,
  wasmBuild,
} from './instance.js';

// Set by scripts/test-relaxed.mjs, which runs this file where the relaxed build must be the one chosen.
const relaxedRequired = process.env.DDPM_REQUIRE_RELAXED === '1';
// Whether this engine validates relaxed SIMD at all (Node 20 only with --experimental-wasm-relaxed-simd).
const wasmGlobal = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
const relaxedValidates = wasmGlobal.validate(decodeBase64(KERNELS_RELAXED_WASM_BASE64));

describe('decodeBase64', () => {
  it('decodes like Buffer does, with and without padding', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'ddpm-scheduler \u00e9\u00e8']) {
      const encoded = Buffer.from(text, 'utf8').toString('base64');
      expect(Array.from(decodeBase64(encoded))).toEqual(Array.from(Buffer.from(text, 'utf8')));
    }
  });

  it('gives the bytes of a WebAssembly module: the magic number and version 1, for both builds', () => {
    expect(Array.from(decodeBase64(KERNELS_WASM_BASE64).subarray(0, 8))).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
    expect(Array.from(decodeBase64(KERNELS_RELAXED_WASM_BASE64).subarray(0, 8))).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
  });
});

describe('kernels', () => {
  it('instantiates once and returns the same exports on every call', () => {
    expect(simdSupported()).toBe(true);
    const k = kernels();
    expect(k).not.toBeNull();
    expect(kernels()).toBe(k);
    expect(typeof k?.step32).toBe('function');
    expect(typeof k?.step64).toBe('function');
  });

  it('keeps the state and the staging chunks inside the initial memory, below the arena', () => {
    const k = kernels();
    expect(STATE + 624 * 4).toBeLessThanOrEqual(STAGING);
    expect(STAGING + STAGING_SLOTS * CHUNK * 4).toBeLessThanOrEqual(ARENA_START);
    expect(k === null ? 0 : k.memory.buffer.byteLength).toBeGreaterThanOrEqual(ARENA_START);
    expect(CHUNK % 16).toBe(0);
  });

  it('copyFromMemory copies float32 bits out of WASM memory exactly, NaN payloads and -0 included, and nothing else', () => {
    const k = kernels();
    if (k === null) throw new Error('no kernels');
    const bits = new Uint32Array(k.memory.buffer, STAGING, 8);
    bits.set([0x7fc00001, 0xffa00000, 0x80000000, 0x3f800000, 0x00000001, 0x7f800000, 0xdeadbeef, 0x12345678]);
    const target = new Float32Array(12).fill(9);
    copyFromMemory(k, (STAGING >> 2) + 1, 6, target, 3);
    expect(Array.from(new Uint32Array(target.buffer))).toEqual([
      0x41100000, 0x41100000, 0x41100000, 0xffa00000, 0x80000000, 0x3f800000, 0x00000001, 0x7f800000, 0xdeadbeef, 0x41100000,
      0x41100000, 0x41100000,
    ]);
  });

  it('re-makes its memory view only when the memory has grown', () => {
    const k = kernels();
    if (k === null) throw new Error('no kernels');
    const view = memoryF32(k);
    expect(memoryF32(k)).toBe(view);
    expect(view.buffer).toBe(k.memory.buffer);
  });
});

describe('the two builds', () => {
  it('the SIMD build always instantiates here, and reports no fused multiply-add', () => {
    const k = instantiateBuild('simd');
    expect(k).not.toBeNull();
    expect(k?.fusedMultiplyAdds()).toBe(0);
    // a fresh instance, with memory of its own
    expect(k).not.toBe(kernels());
  });

  it('the relaxed build instantiates exactly where the engine validates it and fuses both widths', () => {
    const k = instantiateBuild('relaxed-simd');
    if (!relaxedValidates) {
      expect(k).toBeNull();
    } else {
      // null only on an engine that validates relaxed SIMD but does not fuse its multiply-add
      expect(k === null ? 'unfused' : k.fusedMultiplyAdds()).toBe(k === null ? 'unfused' : 3);
    }
    if (relaxedRequired) expect(k?.fusedMultiplyAdds()).toBe(3);
  });

  it('wasmBuild names the build that kernels() made: relaxed where it runs, else SIMD', () => {
    const expected = instantiateBuild('relaxed-simd') !== null && process.env.DDPM_WASM_BUILD !== 'simd' ? 'relaxed-simd' : 'simd';
    expect(wasmBuild()).toBe(expected);
    if (relaxedRequired) expect(wasmBuild()).toBe('relaxed-simd');
  });

  // A fresh copy of this module, so that the choice is made again under the variable.
  it('DDPM_WASM_BUILD=simd keeps the SIMD build, and other values are ignored', async () => {
    const fresh = async (value: string | undefined): Promise<unknown> => {
      const saved = process.env.DDPM_WASM_BUILD;
      if (value === undefined) delete process.env.DDPM_WASM_BUILD;
      else process.env.DDPM_WASM_BUILD = value;
      try {
        let build: unknown;
        await jest.isolateModulesAsync(async () => {
          build = (await import('./instance.js')).wasmBuild();
        });
        return build;
      } finally {
        if (saved === undefined) delete process.env.DDPM_WASM_BUILD;
        else process.env.DDPM_WASM_BUILD = saved;
      }
    };
    const best = instantiateBuild('relaxed-simd') === null ? 'simd' : 'relaxed-simd';
    expect(await fresh(' SIMD ')).toBe('simd');
    expect(await fresh(undefined)).toBe(best);
    expect(await fresh('relaxed-simd')).toBe(best);
    expect(await fresh('avx512')).toBe(best);
  });
});
