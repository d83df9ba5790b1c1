/**
 * The digits model sampled with onnxruntime-web: the part of the page that computes, with no DOM in it,
 * so that the browser test runs this same module under Node and compares the bits.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import {
  backend,
  fromDiffusersConfig,
  schedulerError,
  setTimesteps,
  type Backend,
  type CpuCapability,
  type DDPMScheduler,
  type SchedulerError,
  type StepEvent,
  type WasmBuild,
  wasmBuild,
} from 'ddpm-scheduler';
import { sampleNetwork, type OrtLike, type OrtSessionLike } from '../../../cli/src/network.js';

/** The part of onnxruntime-web used here (its `wasm` entry's module object fits). */
export interface OrtWebLike extends OrtLike {
  readonly env: { readonly wasm: { numThreads?: number } };
  readonly InferenceSession: {
    create(model: Uint8Array, options: { executionProviders: string[] }): Promise<OrtSessionLike & { release?: () => Promise<void> }>;
  };
}

/** What to sample: diffusers' DDPM pipeline with `torch.manual_seed(seed)` and `steps` inference steps. */
export interface DigitsRequest {
  readonly seed: number;
  readonly steps: number;
  readonly samples: number;
  /** The torch CPU kernel family whose noise the generator draws (see the library's README). */
  readonly cpuCapability: CpuCapability;
}

/** The final samples, [samples, 1, 16, 16] row by row, and what ran them. */
export interface DigitsResult {
  readonly sample: Float32Array;
  readonly timesteps: ReadonlyArray<number>;
  /** The library's kernel backend during the loop. */
  readonly backend: Backend;
  /** Which build of the library's WebAssembly kernels ran ('relaxed-simd' or 'simd'), null on the JS backend. */
  readonly wasmBuild: WasmBuild | null;
}

/** The most samples one request may ask for (the form's limit): the model's time per step grows with the batch. */
export const MAX_SAMPLES = 64;

/**
 * The scheduler of the request: diffusers' `scheduler_config.json` (as parsed JSON) with the request's
 * CPU family, then `setTimesteps(steps)`.
 *
 * @example
 * ```ts
 * digitsScheduler(config, { seed: 0, steps: 50, samples: 16, cpuCapability: 'avx512' }) // right(scheduler)
 * ```
 */
export const digitsScheduler = (config: unknown, r: DigitsRequest): E.Either<SchedulerError, DDPMScheduler> =>
  E.flatMap((s: DDPMScheduler) => setTimesteps(s, r.steps))(fromDiffusersConfig(config, { cpuCapability: r.cpuCapability }));

// A macrotask between model calls, so that a page repaints its progress (ort-web's single-threaded run
// would otherwise chain every step in microtasks); it changes no number.
const yieldingSession = (session: OrtSessionLike): OrtSessionLike => ({
  run: async (feeds) => {
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    return session.run(feeds);
  },
});

/**
 * Samples `r.samples` digits from the ONNX UNet `model` (the bytes of `unet.onnx`) with onnxruntime-web's
 * WebAssembly execution provider on one thread (`ort.env.wasm.numThreads = 1`: deterministic, and no
 * cross-origin isolation needed), using `sampleNetwork` for the loop, and releases the session after it.
 * `onStep` sees every step.
 *
 * @example
 * ```ts
 * const out = await sampleDigits(ort, bytes, config, { seed: 0, steps: 50, samples: 16, cpuCapability: 'avx512' });
 * ```
 */
export const sampleDigits = async (
  ort: OrtWebLike,
  model: Uint8Array,
  config: unknown,
  r: DigitsRequest,
  onStep?: (event: StepEvent) => void,
): Promise<E.Either<SchedulerError, DigitsResult>> => {
  if (!Number.isInteger(r.samples) || r.samples < 1 || r.samples > MAX_SAMPLES) {
    return E.left(schedulerError('InvalidOption', 'samples', r.samples, `an integer from 1 to ${MAX_SAMPLES}`));
  }
  const s = digitsScheduler(config, r);
  if (E.isLeft(s)) return s;
  ort.env.wasm.numThreads = 1;
  let session: OrtSessionLike & { release?: () => Promise<void> };
  try {
    session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'] });
  } catch (cause) {
    return E.left(schedulerError('IoError', 'model', 'unet.onnx', 'an ONNX model that onnxruntime-web loads', (cause as Error).message));
  }
  let out: Awaited<ReturnType<typeof sampleNetwork>>;
  try {
    out = await sampleNetwork(ort, yieldingSession(session), s.right, {
      seed: r.seed,
      samples: r.samples,
      ...(onStep === undefined ? {} : { onStep }),
    });
  } finally {
    // the session's WebAssembly memory is the page's to give back: one session per request
    await session.release?.();
  }
  return E.map((o: { readonly sample: { readonly data: Float32Array; readonly offset: number; readonly size: number } }) =>
    Object.freeze({
      sample: o.sample.data.slice(o.sample.offset, o.sample.offset + o.sample.size),
      timesteps: Array.from(s.right.timesteps),
      backend: backend(),
      wasmBuild: backend() === 'wasm' ? wasmBuild() : null,
    }),
  )(out);
};
