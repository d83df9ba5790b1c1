// denoiseAsync with a model that works off the main thread (a worker that holds each call for a fixed
// time, then answers with the identity), against the model alone and against the scheduler's own work
// per step (denoise with the identity model): the loop's overhead over its model is what the main
// thread does that the model's time does not hide. Since denoiseAsync draws each step's noise while the
// model's promise is pending, that overhead is the scheduler's work less the noise, where the model
// takes longer than the draw.
// Usage: node bench/async.mjs   (after a build; DDPM_BENCH_LIB points at another compiled index.js;
//        ASYNC_MS sets the model's time per call, 2 by default)
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { median } from './report.mjs';
import { libraryUrl, rightOf } from './setup.mjs';

const lib = await import(libraryUrl());
const STEPS = 50;
const ROUNDS = 7;
const ms = Number(process.env.ASYNC_MS ?? 2);

// the model: a worker that waits `ms` on an Atomics timeout per request, then answers
const worker = new Worker(
  `const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
parentPort.on('message', (id) => { Atomics.wait(cell, 0, 0, ${ms}); parentPort.postMessage(id); });`,
  { eval: true },
);
const pending = new Map();
let next = 0;
worker.on('message', (id) => {
  pending.get(id)();
  pending.delete(id);
});
const offThread = () => new Promise((resolve) => {
  const id = next++;
  pending.set(id, resolve);
  worker.postMessage(id);
});

const perStep = async (run) => {
  const t0 = performance.now();
  await run();
  return (performance.now() - t0) / STEPS;
};

console.log(`| elements | model alone | denoiseAsync | its overhead | denoise, identity model (the scheduler's work) |`);
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const side of [128, 256]) {
  const shape = [1, 4, side, side];
  const s = rightOf(lib.setTimesteps(rightOf(lib.createScheduler({ cpuCapability: 'avx2' })), STEPS));
  const [xT, g] = lib.randn(lib.torchGenerator(0, { cpuCapability: 'avx2' }), shape);
  const cases = {
    model: () => (async () => {
      for (let i = 0; i < STEPS; i++) await offThread();
    })(),
    async: async () => rightOf(await lib.denoiseAsync(s, async (x) => (await offThread(), x), xT, { generator: g })),
    sync: async () => rightOf(lib.denoise(s, (x) => x, xT, { generator: g })),
  };
  const times = { model: [], async: [], sync: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of r % 2 === 0 ? ['model', 'async', 'sync'] : ['sync', 'async', 'model']) times[name].push(await perStep(cases[name]));
  }
  const [m, a, y] = [median(times.model), median(times.async), median(times.sync)];
  console.log(`| ${4 * side * side} | ${m.toFixed(3)} ms | ${a.toFixed(3)} ms | ${(a - m).toFixed(3)} ms | ${y.toFixed(3)} ms |`);
}
await worker.terminate();
