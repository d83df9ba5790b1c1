import * as E from 'fp-ts/lib/Either.js';

// A browser main thread that refuses synchronous compilation above 4 kB (as some Chromium builds do):
// the synchronous path fails, so the library starts on 'js'; loadWasm compiles asynchronously.
const refusingSyncCompilation = (): (() => void) => {
  const api = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;
  const original = api.Module;
  api.Module = function Module(bytes: Uint8Array) {
    if (bytes.byteLength > 4096) throw new RangeError('WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB');
    return new original(bytes);
  } as unknown as typeof original;
  return () => {
    api.Module = original;
  };
};

/** Runs `body` on fresh copies of the library's modules, with DDPM_BACKEND set to `requested`. */
const isolated = async (requested: string | undefined, body: () => Promise<void>): Promise<void> => {
  const saved = process.env.DDPM_BACKEND;
  if (requested === undefined) delete process.env.DDPM_BACKEND;
  else process.env.DDPM_BACKEND = requested;
  const restore = refusingSyncCompilation();
  try {
    await jest.isolateModulesAsync(body);
  } finally {
    restore();
    if (saved === undefined) delete process.env.DDPM_BACKEND;
    else process.env.DDPM_BACKEND = saved;
  }
};

describe('loadWasm where synchronous compilation is refused', () => {
  it("starts on 'js', then compiles asynchronously and makes 'wasm' active, with the same numbers", async () => {
    await isolated(undefined, async () => {
      const { backend, loadWasm, setBackend } = await import('./select.js');
      const { allocTensor } = await import('../wasm/allocTensor.js');
      const { randn, torchGenerator } = await import('../random/index.js');
      expect(backend()).toBe('js');
      expect(E.isLeft(setBackend('wasm'))).toBe(true);
      expect(E.isLeft(allocTensor([4]))).toBe(true);
      const [js] = randn(torchGenerator(5), [64]);
      await expect(loadWasm()).resolves.toBe('wasm');
      expect(backend()).toBe('wasm');
      expect(E.isRight(allocTensor([4]))).toBe(true);
      const [wasm] = randn(torchGenerator(5), [64]);
      // both backends give identical bits (docs/backends.md)
      expect(Array.from(wasm.data)).toEqual(Array.from(js.data));
      await expect(loadWasm()).resolves.toBe('wasm');
    });
  });

  it("keeps 'js' when it was asked for, with DDPM_BACKEND=js or setBackend('js'), but compiles for a later setBackend('wasm')", async () => {
    await isolated('js', async () => {
      const { backend, loadWasm, setBackend } = await import('./select.js');
      expect(backend()).toBe('js');
      await expect(loadWasm()).resolves.toBe('js');
      expect(backend()).toBe('js');
      expect(setBackend('wasm')).toEqual(E.right('wasm'));
    });
    await isolated(undefined, async () => {
      const { backend, loadWasm, setBackend } = await import('./select.js');
      expect(setBackend('js')).toEqual(E.right('js'));
      await expect(loadWasm()).resolves.toBe('js');
      expect(setBackend('wasm')).toEqual(E.right('wasm'));
      expect(backend()).toBe('wasm');
    });
  });
});

describe('loadWasm where the synchronous path works (Node)', () => {
  it('changes nothing: resolves to the active backend', async () => {
    const { backend, loadWasm } = await import('./select.js');
    const before = backend();
    await expect(loadWasm()).resolves.toBe(before);
    expect(backend()).toBe(before);
  });
});
