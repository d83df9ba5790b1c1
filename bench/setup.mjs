// What every benchmark file shares: the compiled library, and the inputs of one step.
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { measure } from 'mitata';

/**
 * The compiled ESM library: DDPM_BENCH_LIB (a path to an index.js built elsewhere) or the package's
 * own dist/esm/index.js. The benchmarks always run compiled JS, never TypeScript through a loader.
 */
export const libraryUrl = () =>
  process.env.DDPM_BENCH_LIB
    ? pathToFileURL(resolve(process.env.DDPM_BENCH_LIB)).href
    : new URL('../dist/esm/index.js', import.meta.url).href;

export const loadLibrary = () => import(libraryUrl());

/** The shape used for `n` elements: an SD-like latent [1, 4, s, s] (or [1, 3, 16, 16] for 768). */
export const shapeFor = (n) => {
  if (n === 768) return [1, 3, 16, 16];
  const side = Math.round(Math.sqrt(n / 4));
  if (4 * side * side !== n) throw new Error(`no square [1, 4, s, s] shape holds ${n} elements`);
  return [1, 4, side, side];
};

/** diffusers' default scheduler tables (linear betas 1e-4 .. 0.02 over 1000 steps). */
export const defaultAlphasCumprod = (lib) => {
  const betas = lib.makeBetaSchedule({ numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear' });
  if (betas._tag !== 'Right') throw new Error(JSON.stringify(betas.left));
  return lib.makeTables(betas.right).alphasCumprod;
};

const rightOf = (either) => {
  if (either._tag !== 'Right') throw new Error(either.left.message ?? JSON.stringify(either.left));
  return either.right;
};

/**
 * The inputs of one step at `shape`: seeded standard normal model output, sample and noise, the
 * coefficients of timestep `t` (to t - 1) of the default schedule, and two preallocated outputs.
 */
export const stepInputs = (lib, shape, t = 500) => {
  let g = lib.torchGenerator(42);
  const draw = () => {
    const [x, next] = lib.randn(g, shape);
    g = next;
    return x;
  };
  const modelOutput = draw();
  const sample = draw();
  const noise = draw();
  const alphasCumprod = defaultAlphasCumprod(lib);
  const k = rightOf(lib.posteriorCoefficients(alphasCumprod, t, t - 1, 'fixed_small'));
  const out = { prevSample: lib.allocate(shape), predOriginalSample: lib.allocate(shape) };
  return { modelOutput, sample, noise, alphasCumprod, k, out };
};

export { rightOf };

/** How long a case runs untimed after the collection that precedes its timing (see steadyP50). */
export const WARM_UP_MS = 100;

/**
 * mitata's median (p50, ns) for a synchronous case in its steady state: a full collection (with
 * --expose-gc), then the case run untimed for WARM_UP_MS (at least once), then mitata's timing with its
 * own pre-case collection off. After a full collection, the next few tens of MiB of new arrays fault
 * their pages in afresh (measured: pure `randn` at 65 536, 31-55 page faults per call for the first 150
 * calls after `gc()`, 0-1.3 for the next 150), so a case whose every call returns new arrays, timed
 * straight after mitata's collection, measures that regrowth rather than what a loop of such calls
 * costs. The warm-up lets it reach the steady state that the numpy and torch peers, whose arrays are
 * freed as they die, are timed in. A case that allocates nothing times the same either way.
 */
export const steadyP50 = async (fn, options) => {
  globalThis.gc?.();
  const t0 = performance.now();
  do fn();
  while (performance.now() - t0 < WARM_UP_MS);
  return (await measure(fn, { ...options, gc: false })).p50;
};
