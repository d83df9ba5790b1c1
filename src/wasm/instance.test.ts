import { KERNELS_WASM_BASE64 } from './generated/kernels.wasm.js';
import { ARENA_START, CHUNK, copyFromMemory, decodeBase64, kernels, memoryF32, STAGING, STAGING_SLOTS, STATE, simdSupported } from './instance.js';

describe('decodeBase64', () => {
  it('decodes like Buffer does, with and without padding', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'ddpm-scheduler \u00e9\u00e8']) {
      const encoded = Buffer.from(text, 'utf8').toString('base64');
      expect(Array.from(decodeBase64(encoded))).toEqual(Array.from(Buffer.from(text, 'utf8')));
    }
  });

  it('gives the bytes of a WebAssembly module: the magic number and version 1', () => {
    expect(Array.from(decodeBase64(KERNELS_WASM_BASE64).subarray(0, 8))).toEqual([0, 97, 115, 109, 1, 0, 0, 0]);
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
