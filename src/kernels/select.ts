/**
 * Which kernels run: the WebAssembly SIMD build (`'wasm'`) or the JavaScript kernels (`'js'`). The
 * choice is made here, once (and again only on {@link setBackend} or {@link loadWasm}); the step, the
 * noise and the loops call {@link activeKernels} and never ask which backend it is.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { environmentValue } from '../environment.js';
import { SchedulerException, schedulerError, type SchedulerError } from '../errors.js';
import { kernels, kernelsAsync } from '../wasm/instance.js';
import { makeWasmKernels } from '../wasm/wasmKernels.js';
import { jsKernels } from './js/index.js';
import type { Backend, Kernels } from './types.js';

export type { Backend } from './types.js';

/** The backend names, as `DDPM_BACKEND` and {@link setBackend} accept them. */
export const BACKENDS: ReadonlyArray<Backend> = Object.freeze(['wasm', 'js'] as const);

/**
 * The backend chosen at load: `DDPM_BACKEND` when it names one (`'wasm'` only when it can run),
 * otherwise `'wasm'` where WebAssembly SIMD is available and `'js'` elsewhere. An unknown
 * `DDPM_BACKEND` value is ignored: loading a library must not fail on an environment variable.
 * `wasmAvailable` is not the environment's: one that is not a boolean throws a `SchedulerException`
 * (InvalidOption 'wasmAvailable') rather than being read as truthy.
 *
 * @example
 * ```ts
 * chooseBackend('js', true)       // 'js'
 * chooseBackend(undefined, true)  // 'wasm'
 * chooseBackend('wasm', false)    // 'js': no SIMD here
 * ```
 */
export const chooseBackend = (requested: string | undefined, wasmAvailable: boolean): Backend => {
  if (typeof wasmAvailable !== 'boolean') {
    throw new SchedulerException(schedulerError('InvalidOption', 'wasmAvailable', wasmAvailable, 'true or false'));
  }
  if (requested === 'js') return 'js';
  return wasmAvailable ? 'wasm' : 'js';
};

let active: Backend | undefined;
// The kernels object of the active backend, and the WebAssembly one once made.
let chosen: Kernels = jsKernels;
let wasmKernels: Kernels | null = null;
// Whether 'js' was asked for (DDPM_BACKEND=js or setBackend('js')), rather than chosen for want of WASM.
let jsRequested = false;

/**
 * The active backend: `'wasm'` when the WebAssembly SIMD kernels run the posterior step and the
 * noise, `'js'` when the JavaScript kernels do. Decided on first use (see {@link chooseBackend});
 * {@link setBackend} changes it.
 *
 * @example
 * ```ts
 * backend() // 'wasm' on Node 20; 'js' after setBackend('js') or with DDPM_BACKEND=js
 * ```
 */
export const backend = (): Backend => {
  if (active === undefined) {
    const requested = environmentValue('DDPM_BACKEND');
    jsRequested = requested === 'js';
    choose(chooseBackend(requested, kernels() !== null));
  }
  return active as Backend;
};

/** Makes `name` active (its kernels must be available). */
const choose = (name: Backend): void => {
  active = name;
  if (name === 'wasm') {
    const k = kernels();
    wasmKernels ??= k === null ? null : makeWasmKernels(k);
  }
  chosen = name === 'wasm' && wasmKernels !== null ? wasmKernels : jsKernels;
};

/**
 * The kernels of the active backend (see {@link backend}): what the step, the noise and the sampling
 * loops run on.
 *
 * @example
 * ```ts
 * activeKernels().name // 'wasm' on Node 20, as backend()
 * ```
 * @internal
 */
export const activeKernels = (): Kernels => {
  if (active === undefined) backend();
  return chosen;
};

/**
 * Selects the backend for every later call. `'wasm'` is an error where WebAssembly SIMD cannot run;
 * the previous backend then stays active.
 *
 * @example
 * ```ts
 * setBackend('js')   // right('js'): the JavaScript kernels from now on
 * setBackend('gpu')  // left({ _tag: 'InvalidOption', parameter: 'backend', ... })
 * ```
 */
export const setBackend = (name: unknown): E.Either<SchedulerError, Backend> => {
  if (name !== 'wasm' && name !== 'js') {
    return E.left(schedulerError('InvalidOption', 'backend', name, "'wasm' or 'js'"));
  }
  if (name === 'wasm' && kernels() === null) {
    return E.left(
      schedulerError('InvalidOption', 'backend', name, "'js'", 'WebAssembly SIMD is not available in this engine'),
    );
  }
  choose(name);
  jsRequested = name === 'js';
  return E.right(name);
};

/**
 * Makes the WebAssembly kernels available where the engine refused to compile them synchronously (some
 * browsers refuse `new WebAssembly.Module` above a size on their main thread; the module here is
 * about 19 kB): compiles them asynchronously and, unless `'js'` was asked for (`DDPM_BACKEND=js` or
 * `setBackend('js')`; then `setBackend('wasm')` can switch later), makes `'wasm'` the active backend. Resolves to the active backend; never
 * rejects (`'js'` where WebAssembly SIMD cannot run at all). Where the synchronous path works, as on
 * Node, it changes nothing. Call it once at startup, before allocating tensors.
 *
 * @example
 * ```ts
 * await loadWasm() // 'wasm' on Node 20 and in current browsers, main thread included
 * ```
 */
export const loadWasm = async (): Promise<Backend> => {
  if (backend() === 'wasm') return 'wasm';
  // compiled even when 'js' was asked for, so that a later setBackend('wasm') can succeed
  if ((await kernelsAsync()) !== null && !jsRequested) choose('wasm');
  return backend();
};
