// Bytes allocated per call, counted by V8 rather than inferred from timings. A GCProfiler session records
// the heap before and after every collection inside the measured loop, so memory that was allocated and
// already collected is still counted: allocated = (end - start) + sum over collections of (before - after).
import v8 from 'node:v8';
import { pathToFileURL } from 'node:url';

const sizesOf = (stats) => ({ heap: stats.usedHeapSize, external: stats.externalMemory });

const snapshot = () => {
  const s = v8.getHeapStatistics();
  return { heap: s.used_heap_size, external: s.external_memory };
};

/**
 * Runs `fn` `warmup` times, collects garbage (with --expose-gc), then runs it `calls` times under a
 * GCProfiler and returns the JS heap bytes and the external (ArrayBuffer) bytes allocated per call,
 * and how many collections happened meanwhile.
 */
export const bytesPerCall = (fn, calls, warmup = 50) => {
  for (let i = 0; i < warmup; i++) fn();
  globalThis.gc?.();
  globalThis.gc?.();
  const profiler = new v8.GCProfiler();
  profiler.start();
  const start = snapshot();
  for (let i = 0; i < calls; i++) fn();
  const end = snapshot();
  const { statistics } = profiler.stop();
  let heap = end.heap - start.heap;
  let external = end.external - start.external;
  for (const gc of statistics) {
    const before = sizesOf(gc.beforeGC.heapStatistics);
    const after = sizesOf(gc.afterGC.heapStatistics);
    heap += before.heap - after.heap;
    external += before.external - after.external;
  }
  return { heap: heap / calls, external: external / calls, collections: statistics.length, exact: globalThis.gc !== undefined };
};

// Run as a child of the harness, with --expose-gc and --no-concurrent-array-buffer-sweeping (so that the
// external bytes a collection frees are already gone when GCProfiler records the heap after it).
const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const { loadLibrary, rightOf, shapeFor, stepInputs } = await import('./setup.mjs');
  const lib = await loadLibrary();
  const n = Number(process.argv[2] ?? 65536);
  const calls = Number(process.argv[3] ?? 1000);
  const { modelOutput, sample, noise, k, out } = stepInputs(lib, shapeFor(n));
  const options = lib.defaultStepOptions;
  const inputs = { modelOutput, sample, noise };
  const scheduler = rightOf(lib.setTimesteps(rightOf(lib.createScheduler()), 1000));
  const cases = [
    ['posteriorStepInto', () => lib.posteriorStepInto(out, inputs, k, options)],
    ['posteriorStep (pure)', () => lib.posteriorStep(inputs, k, options)],
    ['scheduler step (pure, explicit noise)', () => lib.step(scheduler, { modelOutput, timestep: 500, sample, noise })],
  ];
  const results = cases.map(([name, fn]) => ({ name, n, calls, ...bytesPerCall(fn, calls) }));
  console.log(JSON.stringify(results));
}
