/**
 * Evidence that the library's WebAssembly kernels run, not just that `backend()` says 'wasm': counts the
 * calls into the exports of the one WebAssembly module that has a `step32` export (the library's kernels;
 * onnxruntime's module passes through untouched). The page installs it only with `?probe=1`, before
 * anything asks the library for its backend (the library instantiates its module on first use).
 *
 * @module
 */

/** Calls per export of the library's kernel module, from {@link installKernelProbe} on. */
export const kernelCalls: Record<string, number> = {};

// An export that only the library's kernel module has (assembly/kernels.ts: the float32 posterior pass).
const KERNEL_EXPORT = 'step32';

type InstanceConstructor = new (module: WebAssembly.Module, imports?: WebAssembly.Imports) => WebAssembly.Instance;
type Instantiate = (source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => Promise<unknown>;

const counted = (module: WebAssembly.Module, instance: WebAssembly.Instance): WebAssembly.Instance => {
  if (!WebAssembly.Module.exports(module).some((e) => e.name === KERNEL_EXPORT)) return instance;
  const exports: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(instance.exports)) {
    if (typeof value !== 'function') {
      exports[name] = value;
      continue;
    }
    kernelCalls[name] = 0;
    const call = value as (...args: ReadonlyArray<unknown>) => unknown;
    exports[name] = (...args: ReadonlyArray<unknown>) => {
      kernelCalls[name] = (kernelCalls[name] ?? 0) + 1;
      return call(...args);
    };
  }
  return { exports } as unknown as WebAssembly.Instance;
};

/**
 * Wraps `WebAssembly.Instance` (the library's synchronous path) and `WebAssembly.instantiate` (its
 * `loadWasm` path) so that the kernel module's functions count their calls in {@link kernelCalls}.
 *
 * @example
 * ```ts
 * installKernelProbe();
 * await loadWasm();
 * // ... sample ...
 * kernelCalls.step32 // one call per step (per 16 384-element chunk)
 * ```
 */
export const installKernelProbe = (): void => {
  const api = WebAssembly as unknown as { Instance: InstanceConstructor; instantiate: Instantiate };
  const OriginalInstance = api.Instance;
  const originalInstantiate = api.instantiate.bind(WebAssembly);
  // a constructor that returns an object: `new` gives that object, the wrapped exports
  api.Instance = function ProbedInstance(module: WebAssembly.Module, imports?: WebAssembly.Imports) {
    return counted(module, new OriginalInstance(module, imports));
  } as unknown as InstanceConstructor;
  api.instantiate = async (source, imports) => {
    const made = await originalInstantiate(source, imports);
    if (made instanceof OriginalInstance) return counted(source as WebAssembly.Module, made);
    const { module, instance } = made as WebAssembly.WebAssemblyInstantiatedSource;
    return { module, instance: counted(module, instance) };
  };
};
