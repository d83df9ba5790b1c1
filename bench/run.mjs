// The benchmark harness: every figure beside its floor and its peers, measured in the same run and
// reported as medians and ratios (this machine is shared and noisy; absolute times drift, ratios hold).
// Prints the tables and writes docs/benchmarks.md. Run it with `npm run bench`, which builds first.
//
// Environment: DDPM_BENCH_LIB   the compiled index.js to measure (default: dist/esm/index.js)
//              DDPM_BENCH_OUT   where to write the markdown (default: docs/benchmarks.md)
//              DDPM_BENCH_SOURCE  how the library was built, for the report (default: npm run bench's build)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { do_not_optimize } from 'mitata';
import {
  bareBoxMuller,
  maxAbsDifference,
  ndarrayOpsStep,
  plainLoop,
  plainLoopDouble,
  plainLoopMinMax,
  setFloor,
  streamingFloor,
} from './peers.mjs';
import {
  formatBytes,
  formatCount,
  formatRatio,
  formatTime,
  markdownTable,
  median,
  textTable,
  verdict,
} from './report.mjs';
import { WARM_UP_MS, defaultAlphasCumprod, libraryUrl, loadLibrary, rightOf, shapeFor, steadyP50, stepInputs } from './setup.mjs';
import { runTorch, startTorchServer, torchLoopHash, torchLoopSkipped, torchTime } from './torch.mjs';

const SIZES = [768, 16_384, 65_536, 1_048_576, 16_777_216];
const LOOP_SIZES = [16_384, 65_536];
const LOOP_STEPS = 1000;
const RANDN_SAMPLES = 65_536;
const BATCH_SHAPE = [4, 4, 64, 64];
// the same 65 536 elements as many small batch items and as a few large ones: the cost per batch item
const MANY_ITEMS = [8192, 8];
const FEW_ITEMS = [8, 8192];
const BYTES_PER_ELEMENT = 20;
// against diffusers on torch (issue 18): the user-facing calls, WASM backend, each randn flavor
// ('avx512' runs the same scalar kernel as 'default', so it is not measured twice)
const TORCH_SIZES = [768, 16_384, 65_536, 262_144, 1_048_576, 16_777_216];
const TORCH_LOOPS = [
  { n: 16_384, steps: 100 },
  { n: 65_536, steps: 100 },
  { n: 1_048_576, steps: 100 },
  { n: 65_536, steps: 1000 },
];
const FLAVORS = ['avx2', 'default'];
// the WebAssembly feature flags this process was started with (bench/launch.mjs adds relaxed SIMD's on
// Node 20), passed on to the children so that they run the same build of the kernels
const wasmFlags = process.execArgv.filter((flag) => flag.startsWith('--experimental-wasm'));
const TORCH_STEP_T = 500;
// seconds one torch loop may take (its estimate, and its repeats together); a longer one is skipped
const TORCH_LOOP_BUDGET_S = 20;
const started = performance.now();
const log = (line) => process.stderr.write(`${line}\n`);
const lib = await loadLibrary();
// The issue's targets are about the JS kernels: measure with the JS backend, and the WebAssembly one
// (when this build and engine have it) only as an extra column of the step table.
const hasBackends = typeof lib.setBackend === 'function';
const wasmAvailable = hasBackends && lib.setBackend('wasm')._tag === 'Right';
const useBackend = (name) => {
  if (hasBackends) rightOf(lib.setBackend(name));
};
useBackend('js');
let wasmProblem;

// ---------------------------------------------------------------------------------------------------
// measuring

/**
 * mitata's median for one case, in its steady state (bench/setup.mjs, steadyP50); a large input gets a
 * few samples, a small one enough to fill ~80 ms.
 */
const medianOf = async (fn, n = 0) =>
  steadyP50(fn, n >= 4_000_000 ? { min_samples: 3, max_samples: 3, min_cpu_time: 0 } : { min_samples: 12, min_cpu_time: 80e6, batch_samples: 128 });

/**
 * Cases measured in interleaved rounds (the order reversed every other round), median of the rounds. A
 * case marked remote (a third element `true`) is an async function that measures itself elsewhere (the
 * torch server) and resolves to its median in ns.
 */
const interleaved = async (cases, n, rounds) => {
  const samples = Object.fromEntries(cases.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? cases : [...cases].reverse();
    for (const [name, fn, remote] of order) samples[name].push(remote === true ? await fn() : await medianOf(fn, n));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, median(xs)]));
};

// ---------------------------------------------------------------------------------------------------
// numpy, spawned once with every request; unset OpenBLAS core-type overrides that slow it on this CPU

const numpyEnv = () => {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
};

const runNumpy = (request) => {
  const script = fileURLToPath(new URL('./numpy_peer.py', import.meta.url));
  const probe = spawnSync('python3', ['-c', 'import numpy'], { env: numpyEnv(), encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    return { skipped: `python3 with numpy is not available (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()})` };
  }
  const run = spawnSync('python3', [script, JSON.stringify(request)], {
    env: numpyEnv(),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) return { skipped: `the numpy peer failed: ${run.stderr.trim().split('\n').pop()}` };
  return JSON.parse(run.stdout);
};

const numpyTime = (numpy, section, caseName, n) =>
  numpy[section]?.find((r) => r.case === caseName && r.n === n)?.ns ?? NaN;

// ---------------------------------------------------------------------------------------------------
// 1. the step kernel beside its floors and peers

const stepOptions = lib.defaultStepOptions;

const benchStep = async (n) => {
  const shape = shapeFor(n);
  const { modelOutput, sample, noise, k, out } = stepInputs(lib, shape);
  const inputs = { modelOutput, sample, noise };
  const m = modelOutput.data;
  const s = sample.data;
  const z = noise.data;
  const loopPrev = new Float32Array(n);
  const loopX0 = new Float32Array(n);
  const noiseHalf = z.subarray(0, n >> 1);
  const scratchHalf = new Float32Array(n >> 1);
  const scalars = [k.sqrtBetaProdT, 1 / k.sqrtAlphaProdT, k.predOriginalSampleCoeff, k.currentSampleCoeff, k.noiseScale];
  const loopArgs = [loopPrev, loopX0, m, s, z, ...scalars];
  // the kernel's float32 scalars: sqrt(alphaBar) rounded, then its reciprocal in double
  const f = Math.fround;
  const exactScalars = [f(k.sqrtBetaProdT), 1 / f(k.sqrtAlphaProdT), f(k.predOriginalSampleCoeff), f(k.currentSampleCoeff), f(k.noiseScale)];
  const exactArgs = [loopPrev, loopX0, m, s, z, ...exactScalars];
  const cases = [
    ['posteriorStepInto', () => lib.posteriorStepInto(out, inputs, k, stepOptions)],
    ['posteriorStep', () => do_not_optimize(lib.posteriorStep(inputs, k, stepOptions))],
    ['set floor', () => setFloor(loopPrev, loopX0, m, s, noiseHalf, scratchHalf)],
    ['streaming floor', () => streamingFloor(...loopArgs)],
    ['plain loop', () => plainLoop(...exactArgs)],
    ['plain loop, double, one rounding', () => plainLoopDouble(...loopArgs)],
    ['plain loop, Math.min/max', () => plainLoopMinMax(...exactArgs)],
    ['ndarray-ops', () => do_not_optimize(ndarrayOpsStep(modelOutput, sample, noise, k))],
  ];
  if (wasmAvailable && wasmProblem === undefined) {
    const wasmOut = { prevSample: lib.allocate(shape), predOriginalSample: lib.allocate(shape) };
    const wasmCase = () => {
      useBackend('wasm');
      try {
        lib.posteriorStepInto(wasmOut, inputs, k, stepOptions);
      } finally {
        useBackend('js');
      }
    };
    try {
      wasmCase();
      rightOf(lib.posteriorStepInto(out, inputs, k, stepOptions));
      const gap = maxAbsDifference(out.prevSample.data, wasmOut.prevSample.data);
      if (!(gap < 1e-5)) throw new Error(`its step differs from the JS kernel by ${gap}`);
      cases.push(['posteriorStepInto (wasm)', wasmCase]);
    } catch (error) {
      wasmProblem = `the WebAssembly step failed in this build (${error.message}); its column is left out`;
      log(wasmProblem);
    }
  }
  // the peers must compute the same step, or their ratios mean nothing
  rightOf(lib.posteriorStepInto(out, inputs, k, stepOptions));
  // the exact plain loops have the kernel's float32 arithmetic: not one bit may differ
  for (const peer of [plainLoop, plainLoopMinMax]) {
    peer(...exactArgs);
    const gap = Math.max(maxAbsDifference(out.prevSample.data, loopPrev), maxAbsDifference(out.predOriginalSample.data, loopX0));
    if (gap !== 0) throw new Error(`the exact plain loop ${peer.name} differs from the kernel at n = ${n}: ${gap}`);
  }
  plainLoopDouble(...loopArgs);
  let worst = Math.max(maxAbsDifference(out.prevSample.data, loopPrev), maxAbsDifference(out.predOriginalSample.data, loopX0));
  const composed = ndarrayOpsStep(modelOutput, sample, noise, k);
  worst = Math.max(worst, maxAbsDifference(out.prevSample.data, composed.prevSample.data));
  if (!(worst < 1e-5)) throw new Error(`the step peers disagree with the kernel at n = ${n}: ${worst}`);
  return interleaved(cases, n, 3);
};

// ---------------------------------------------------------------------------------------------------
// 2. thresholding against clipping, per-sample timesteps against one timestep

const benchVariants = async () => {
  const n = BATCH_SHAPE.reduce((a, b) => a * b, 1);
  const { modelOutput, sample, noise, alphasCumprod, k, out } = stepInputs(lib, BATCH_SHAPE);
  const inputs = { modelOutput, sample, noise };
  const thresholding = { ...stepOptions, thresholding: true, sampleMaxValue: 1.5 };
  const perItem = [700, 500, 300, 100].map((t) => rightOf(lib.posteriorCoefficients(alphasCumprod, t, t - 1)));
  const scheduler = rightOf(lib.setTimesteps(rightOf(lib.createScheduler()), 1000));
  const timesteps = Int32Array.from([700, 500, 300, 100]);
  const many = stepInputs(lib, MANY_ITEMS);
  const few = stepInputs(lib, FEW_ITEMS);
  return {
    n,
    ...(await interleaved(
      [
        ['clipped (Into)', () => lib.posteriorStepInto(out, inputs, k, stepOptions)],
        ['thresholded (Into)', () => lib.posteriorStepInto(out, inputs, k, thresholding)],
        ['one timestep (Into)', () => lib.posteriorStepInto(out, inputs, k, stepOptions)],
        ['per-sample timesteps (Into)', () => lib.posteriorStepInto(out, inputs, perItem, stepOptions)],
        ['one timestep (step)', () => do_not_optimize(lib.step(scheduler, { modelOutput, timestep: 500, sample, noise }))],
        ['per-sample timesteps (step)', () =>
          do_not_optimize(lib.step(scheduler, { modelOutput, timestep: timesteps, sample, noise }))],
        ['few items (step)', () =>
          do_not_optimize(lib.step(scheduler, { modelOutput: few.modelOutput, timestep: 500, sample: few.sample, noise: few.noise }))],
        ['many items (step)', () =>
          do_not_optimize(lib.step(scheduler, { modelOutput: many.modelOutput, timestep: 500, sample: many.sample, noise: many.noise }))],
      ],
      n,
      3,
    )),
  };
};

// ---------------------------------------------------------------------------------------------------
// 3. Gaussian noise, in ns per sample

const benchRandom = async () => {
  const out = new Float32Array(RANDN_SAMPLES);
  const small = new Float32Array(15);
  const g = lib.torchGenerator(0);
  // small draws chain the generator, as a sampling loop does
  let chained = g;
  const perCall = await interleaved(
    [
      ['randInto (MT19937 uniform fill)', () => lib.randInto(out, g)],
      ['randnInto (16-wide Box-Muller blocks)', () => lib.randnInto(out, g)],
      ['bare Box-Muller over Math.random', () => bareBoxMuller(out)],
      ['randnInto, n = 15 (double path + cache)', () => (chained = lib.randnInto(small, chained))],
    ],
    RANDN_SAMPLES,
    3,
  );
  return Object.fromEntries(
    Object.entries(perCall).map(([name, ns]) => [name, ns / (name.includes('n = 15') ? 15 : RANDN_SAMPLES)]),
  );
};

// ---------------------------------------------------------------------------------------------------
// 4. the seeded sampling loop, scheduler work only: the model is the identity in JS and in numpy

const benchLoop = async (n) => {
  const shape = shapeFor(n);
  const scheduler = rightOf(lib.setTimesteps(rightOf(lib.createScheduler()), LOOP_STEPS));
  const [xT, generator] = lib.randn(lib.torchGenerator(0), shape);
  const identity = (x) => x;
  const alphasCumprod = defaultAlphasCumprod(lib);
  const buffers = [lib.allocate(shape), lib.allocate(shape)];
  const x0 = lib.allocate(shape);
  const noise = lib.allocate(shape);
  // the same loop with the Into forms: two ping-pong buffers, noise drawn into one reused array
  const intoLoop = () => {
    buffers[0].data.set(xT.data);
    let g = generator;
    let current = 0;
    for (const t of scheduler.timesteps) {
      const k = rightOf(lib.posteriorCoefficients(alphasCumprod, t, t - 1));
      if (k.addsNoise) g = lib.randnInto(noise.data, g);
      const x = buffers[current];
      const next = buffers[1 - current];
      rightOf(lib.posteriorStepInto({ prevSample: next, predOriginalSample: x0 }, { modelOutput: identity(x), sample: x, noise }, k, stepOptions));
      current = 1 - current;
    }
    return buffers[current];
  };
  // issue 18's reference: the same arithmetic and noise as a plain loop, no library around the step: the
  // kernel's float32 ops in one fused pass (peers.mjs plainLoop, with the kernel's float32 scalars) and the
  // exact noise from randnInto (the torch-exact noise is itself a kernel of the library)
  const f = Math.fround;
  const plainBuffers = [new Float32Array(n), new Float32Array(n)];
  const plainX0 = new Float32Array(n);
  const plainNoise = new Float32Array(n);
  const plainCoefficients = Array.from(scheduler.timesteps, (t) => {
    const k = rightOf(lib.posteriorCoefficients(alphasCumprod, t, t - 1));
    return { addsNoise: k.addsNoise, scalars: [f(k.sqrtBetaProdT), 1 / f(k.sqrtAlphaProdT), f(k.predOriginalSampleCoeff), f(k.currentSampleCoeff), f(k.noiseScale)] };
  });
  const plainExactLoop = () => {
    plainBuffers[0].set(xT.data);
    let g = generator;
    let current = 0;
    for (const k of plainCoefficients) {
      if (k.addsNoise) g = lib.randnInto(plainNoise, g);
      else plainNoise.fill(0);
      const x = plainBuffers[current];
      const next = plainBuffers[1 - current];
      plainLoop(next, plainX0, identity(x), x, plainNoise, ...k.scalars);
      current = 1 - current;
    }
    return plainBuffers[current];
  };
  const denoised = rightOf(lib.denoise(scheduler, identity, xT, { generator })).sample;
  const worst = maxAbsDifference(denoised.data, intoLoop().data);
  if (!(worst < 1e-4)) throw new Error(`the Into loop disagrees with denoise at n = ${n}: ${worst}`);
  const plainHash = sha256(plainExactLoop());
  if (plainHash !== sha256(denoised.data)) throw new Error(`the plain exact loop does not give denoise's bits at n = ${n}`);
  // each run takes seconds, so one run per case and round, in three interleaved rounds (both already warmed up)
  const cases = [
    ['denoise', () => do_not_optimize(lib.denoise(scheduler, identity, xT, { generator }))],
    ['into', () => do_not_optimize(intoLoop())],
    ['plain', () => do_not_optimize(plainExactLoop())],
  ];
  const samples = { denoise: [], into: [], plain: [] };
  for (let r = 0; r < 3; r++) {
    for (const [name, fn] of r % 2 === 0 ? cases : [...cases].reverse()) {
      const t0 = performance.now();
      fn();
      samples[name].push((performance.now() - t0) * 1e6);
    }
  }
  return { denoise: median(samples.denoise), into: median(samples.into), plain: median(samples.plain) };
};

// ---------------------------------------------------------------------------------------------------
// 5. bytes allocated per step, in a child process with --expose-gc

const benchAllocation = () => {
  const script = fileURLToPath(new URL('./allocation.mjs', import.meta.url));
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--no-concurrent-array-buffer-sweeping', ...wasmFlags, script, '65536', String(LOOP_STEPS)],
    { env: { ...process.env, DDPM_BACKEND: 'js', DDPM_BENCH_LIB: fileURLToPath(libraryUrl()) }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`the allocation child failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
};

// ---------------------------------------------------------------------------------------------------
// 6. what users call, against diffusers on torch: step with a generator, step at t = 0, randn, denoise

const benchTorchOps = async (n) => {
  const shape = shapeFor(n);
  const { modelOutput, sample, noise } = stepInputs(lib, shape);
  const alphasCumprod = defaultAlphasCumprod(lib);
  const zeroCopyTensor = wasmAvailable ? rightOf(lib.allocTensor([n])) : undefined;
  const zeroCopy = zeroCopyTensor?.data ?? new Float32Array(n);
  const cases = [];
  for (const cpuCapability of FLAVORS) {
    const scheduler = rightOf(lib.setTimesteps(rightOf(lib.createScheduler({ cpuCapability })), 1000));
    // each call draws from the generator the previous call returned, as torch's generator advances
    let g = lib.torchGenerator(0, { cpuCapability });
    const withGenerator = () => {
      const r = rightOf(lib.step(scheduler, { modelOutput, timestep: TORCH_STEP_T, sample, generator: g }));
      g = r.generator;
      return r;
    };
    let h = lib.torchGenerator(1, { cpuCapability });
    const pureRandn = () => {
      const [x, next] = lib.randn(h, shape);
      h = next;
      return x;
    };
    cases.push(
      [`step with a generator, ${cpuCapability}`, () => do_not_optimize(withGenerator())],
      [`randn, ${cpuCapability}`, () => do_not_optimize(pureRandn())],
      [`randnInto (zero-copy), ${cpuCapability}`, () => (h = lib.randnInto(zeroCopy, h))],
    );
    if (cpuCapability === 'default') {
      cases.push(['step at t = 0', () => do_not_optimize(rightOf(lib.step(scheduler, { modelOutput, timestep: 0, sample })))]);
      // issue 18: the pure step with explicit noise beside what it must at least do: allocate its two
      // outputs and run the staged Into kernel on them (the inputs live on the JS heap, so Into stages them)
      const k = rightOf(lib.posteriorCoefficients(alphasCumprod, TORCH_STEP_T, TORCH_STEP_T - 1));
      cases.push(
        ['step with explicit noise', () => do_not_optimize(rightOf(lib.step(scheduler, { modelOutput, timestep: TORCH_STEP_T, sample, noise })))],
        [
          'two new outputs + posteriorStepInto',
          () => {
            const out = { prevSample: lib.tensor(new Float32Array(n), shape), predOriginalSample: lib.tensor(new Float32Array(n), shape) };
            return do_not_optimize(rightOf(lib.posteriorStepInto(out, { modelOutput, sample, noise }, k, stepOptions)));
          },
        ],
      );
    }
  }
  if (torchServer.request !== undefined && n === 65_536) {
    // issue 18's randn targets: torch's randn in the same rounds (one warm-up request each first)
    for (const c of ['randn', 'randn (out=)']) {
      await torchServer.request({ case: c, n, threads: 1, calls: 20 });
      cases.push([`torch ${c} (in rounds)`, async () => (await torchServer.request({ case: c, n, threads: 1, calls: ROUND_CALLS })).ns, true]);
    }
  }
  try {
    return await interleaved(cases, n, 3);
  } finally {
    if (wasmAvailable) rightOf(lib.freeTensor(zeroCopyTensor));
  }
};

const sha256 = (data) => createHash('sha256').update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)).digest('hex');

const benchTorchLoop = async ({ n, steps }) => {
  const shape = shapeFor(n);
  const identity = (x) => x;
  const cases = FLAVORS.map((cpuCapability) => {
    const scheduler = rightOf(lib.setTimesteps(rightOf(lib.createScheduler({ cpuCapability })), steps));
    // x_T and every step's noise from one generator seeded 0, as diffusers' seeded loop draws them
    const run = () => {
      const [xT, generator] = lib.randn(lib.torchGenerator(0, { cpuCapability }), shape);
      return rightOf(lib.denoise(scheduler, identity, xT, { generator })).sample;
    };
    return [cpuCapability, run];
  });
  const hashes = Object.fromEntries(cases.map(([name, run]) => [name, sha256(run().data)]));
  // Issue 18's bound: every draw the loop makes (x_T, then each step that adds noise), zero-copy into
  // WASM memory with nothing else: no loop with diffusers' seeded noise can cost less on one thread with
  // these kernels. It must leave the generator where denoise leaves it.
  const bounds = [];
  const noiseZ = wasmAvailable && steps === 100 ? rightOf(lib.allocTensor(shape)) : undefined;
  if (noiseZ !== undefined) {
    for (const cpuCapability of FLAVORS) {
      const scheduler = rightOf(lib.setTimesteps(rightOf(lib.createScheduler({ cpuCapability })), steps));
      const { timesteps } = scheduler;
      const adds = Array.from(timesteps, (t, i) =>
        rightOf(lib.posteriorCoefficients(scheduler.alphasCumprod, t, i + 1 < timesteps.length ? timesteps[i + 1] : -1)).addsNoise,
      );
      const noiseOnly = () => {
        let g = lib.randnInto(noiseZ.data, lib.torchGenerator(0, { cpuCapability }));
        for (const add of adds) if (add) g = lib.randnInto(noiseZ.data, g);
        return g;
      };
      const [xT, generator] = lib.randn(lib.torchGenerator(0, { cpuCapability }), shape);
      const after = rightOf(lib.denoise(scheduler, identity, xT, { generator })).generator;
      const next = (g) => sha256(lib.randn(g, [64])[0].data);
      if (next(noiseOnly()) !== next(after)) throw new Error(`the noise-only loop leaves the generator elsewhere than denoise (${cpuCapability}, n = ${n})`);
      bounds.push([`noise ${cpuCapability}`, noiseOnly]);
    }
  }
  const all = [...cases, ...bounds];
  const remote = [];
  if (torchServer.request !== undefined && steps === 100) {
    // the target's torch loop, once to warm up, then in each round with ours
    await torchServer.request({ case: 'loop', n, steps, threads: 1 });
    remote.push(['torch in rounds', async () => (await torchServer.request({ case: 'loop', n, steps, threads: 1 })).ns]);
  }
  const samples = Object.fromEntries([...all, ...remote].map(([name]) => [name, []]));
  try {
    for (let r = 0; r < 3; r++) {
      const order = r % 2 === 0 ? all : [...all].reverse();
      // torch after ours in even rounds, before them in odd ones
      if (r % 2 === 1) for (const [name, fn] of remote) samples[name].push(await fn());
      for (const [name, fn] of order) {
        const t0 = performance.now();
        do_not_optimize(fn());
        samples[name].push((performance.now() - t0) * 1e6);
      }
      if (r % 2 === 0) for (const [name, fn] of remote) samples[name].push(await fn());
    }
  } finally {
    if (noiseZ !== undefined) rightOf(lib.freeTensor(noiseZ));
  }
  return { ...Object.fromEntries([...all, ...remote].map(([name]) => [name, median(samples[name])])), hashes };
};

// ---------------------------------------------------------------------------------------------------
// the run

const machine = () => {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line !== undefined) cpu = line.split(':')[1].trim();
  } catch {
    // not Linux: os.cpus() already named the model
  }
  return {
    cpu,
    cores: os.cpus().length,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    load: os.loadavg().map((x) => x.toFixed(2)).join(', '),
  };
};

const env = machine();
log(`benchmarks on ${env.cpu}, ${env.cores} cores, Node ${env.node}`);

log('numpy peer ...');
const numpy = runNumpy({
  step: { sizes: SIZES, minTime: 0.25 },
  randn: { n: RANDN_SAMPLES, minTime: 0.25 },
  loop: { sizes: LOOP_SIZES, steps: LOOP_STEPS, repeats: 3 },
});
if (numpy.skipped !== undefined) log(`numpy skipped: ${numpy.skipped}`);
log('diffusers on torch peer ...');
const torch = runTorch({ sizes: TORCH_SIZES, minTime: 0.25, loops: TORCH_LOOPS, repeats: 3, budget: TORCH_LOOP_BUDGET_S }, numpyEnv());
if (torch.skipped !== undefined) log(`diffusers on torch skipped: ${torch.skipped}`);
// the same peer on torch's scalar kernels (ATEN_CPU_CAPABILITY=default): the randn whose bits the 'default'
// flavor reproduces (torch's AVX512 builds take it too), for the table that sets each flavor beside it
let torchScalar = { skipped: 'the torch peer was skipped' };
if (torch.skipped === undefined) {
  log('diffusers on torch peer, ATEN_CPU_CAPABILITY=default ...');
  torchScalar = runTorch(
    { sizes: [65_536], minTime: 0.25, loops: TORCH_LOOPS.filter((l) => l.steps === 100 && l.n <= 65_536), repeats: 3, budget: TORCH_LOOP_BUDGET_S, threads: [1] },
    { ...numpyEnv(), ATEN_CPU_CAPABILITY: 'default' },
  );
  if (torchScalar.skipped !== undefined) log(`torch at ATEN_CPU_CAPABILITY=default skipped: ${torchScalar.skipped}`);
}
// and as a server, so that issue 18's targets are timed in rounds with ours, on the same minutes of this
// shared machine (torch's figures from the run above can be minutes older than ours)
const torchServer = torch.skipped === undefined ? await startTorchServer(numpyEnv()) : { skipped: 'the torch peer was skipped' };
if (torchServer.skipped !== undefined && torch.skipped === undefined) log(`the torch server did not start: ${torchServer.skipped}`);
const ROUND_CALLS = 200;

const step = {};
for (const n of SIZES) {
  log(`step kernel, ${n} elements ...`);
  step[n] = await benchStep(n);
}
log('thresholding and per-sample timesteps ...');
const variants = await benchVariants();
log('random ...');
const random = await benchRandom();
const loops = {};
for (const n of LOOP_SIZES) {
  log(`sampling loop, ${n} elements ...`);
  loops[n] = await benchLoop(n);
}
// the user-facing calls beside torch's, on the WASM backend (the JS one where this build has no WASM)
const torchOps = {};
const torchLoops = [];
if (torch.skipped === undefined) {
  useBackend(wasmAvailable ? 'wasm' : 'js');
  try {
    // room for the largest zero-copy randn target (the default arena is 64 MiB); no WASM tensor is live here
    if (wasmAvailable) rightOf(lib.reserveTensorMemory(Math.max(64 << 20, 4 * Math.max(...TORCH_SIZES) + (8 << 20))));
    for (const n of TORCH_SIZES) {
      log(`user-facing calls against torch, ${n} elements ...`);
      torchOps[n] = await benchTorchOps(n);
    }
    for (const loop of TORCH_LOOPS) {
      log(`denoise against torch, ${loop.steps} steps, ${loop.n} elements ...`);
      torchLoops.push({ ...loop, ...(await benchTorchLoop(loop)) });
    }
  } finally {
    useBackend('js');
  }
}
if (torchServer.close !== undefined) torchServer.close();
log('allocation ...');
const allocation = benchAllocation();
let backends = '';
const wasmBench = fileURLToPath(new URL('./wasm.mjs', import.meta.url));
if (wasmAvailable && wasmProblem === undefined && existsSync(wasmBench)) {
  log('both backends (bench/wasm.mjs) ...');
  // its numpy child inherits this environment, so the OpenBLAS overrides are unset there too
  const run = spawnSync(process.execPath, ['--expose-gc', ...wasmFlags, wasmBench], {
    env: { ...numpyEnv(), DDPM_BENCH_LIB: fileURLToPath(libraryUrl()) },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  backends = run.status === 0 ? run.stdout.trim() : `bench/wasm.mjs failed: ${run.stderr.trim().split('\n').pop()}`;
}
// the two builds of the WASM kernels, the noise draw side by side (issue 18: what relaxed SIMD bought)
let buildRows = [];
let buildNames = [];
let copyRows = [];
if (wasmAvailable && wasmProblem === undefined) {
  log('the two WASM builds, the noise draw at 65 536 ...');
  const { benchBuilds } = await import('./builds.mjs');
  const measured = await benchBuilds(65_536);
  buildNames = measured.builds;
  buildRows = Object.entries(measured.rows).map(([name, per]) => [
    name,
    ...buildNames.map((b) => `${per[b].toFixed(2)} ns`),
    ...(buildNames.length === 2 ? [formatRatio(per['relaxed-simd'] / per.simd)] : []),
  ]);
  const ordinary = measured.copies['copy: set between ordinary arrays'];
  copyRows = Object.entries(measured.copies).map(([name, ns]) => [name, `${ns.toFixed(2)} ns`, formatRatio(ns / ordinary)]);
}
const buildHeaders = ['per sample, 65 536 samples', ...buildNames, ...(buildNames.length === 2 ? ['relaxed / simd'] : [])];
const elapsed = (performance.now() - started) / 1000;
const loadAtEnd = os.loadavg().map((x) => x.toFixed(2)).join(', ');

// ---------------------------------------------------------------------------------------------------
// tables

const stepTimes = SIZES.map((n) => [
  formatCount(n),
  ...['posteriorStepInto', 'posteriorStep', 'set floor', 'streaming floor', 'plain loop', 'plain loop, double, one rounding', 'plain loop, Math.min/max', 'ndarray-ops'].map(
    (c) => formatTime(step[n][c]),
  ),
  formatTime(numpyTime(numpy, 'step', 'diffusers', n)),
  formatTime(numpyTime(numpy, 'step', 'inplace', n)),
  formatTime(step[n]['posteriorStepInto (wasm)'] ?? NaN),
  `${((BYTES_PER_ELEMENT * n) / step[n]['posteriorStepInto']).toFixed(1)}`,
]);
const stepTimeHeaders = ['elements', 'Into', 'pure step', 'set floor', 'streaming floor', 'plain loop', 'plain, double', 'plain, min/max', 'ndarray-ops', 'numpy (diffusers)', 'numpy (out=)', 'Into (wasm)', 'Into GB/s'];

const stepRatios = SIZES.map((n) => {
  const into = step[n]['posteriorStepInto'];
  return [
    formatCount(n),
    formatRatio(into / step[n]['plain loop']),
    formatRatio(into / step[n]['plain loop, double, one rounding']),
    formatRatio(into / step[n]['streaming floor']),
    formatRatio(into / step[n]['set floor']),
    formatRatio(step[n]['posteriorStep'] / into),
    formatRatio(step[n]['plain loop, Math.min/max'] / into),
    formatRatio(step[n]['ndarray-ops'] / into),
    formatRatio(numpyTime(numpy, 'step', 'diffusers', n) / into),
    formatRatio(numpyTime(numpy, 'step', 'inplace', n) / into),
    formatRatio((step[n]['posteriorStepInto (wasm)'] ?? NaN) / into),
  ];
});
const stepRatioHeaders = ['elements', 'Into / plain loop', 'Into / plain double', 'Into / streaming floor', 'Into / set floor', 'pure / Into', 'min/max loop / Into', 'ndarray-ops / Into', 'numpy diffusers / Into', 'numpy out= / Into', 'wasm Into / JS Into'];

const targets = [];
for (const n of SIZES.filter((x) => x >= 16_384)) {
  const r = step[n]['posteriorStepInto'] / step[n]['plain loop'];
  targets.push([`Into within 1.2x of the plain loop, ${formatCount(n)}`, '<= 1.20x', formatRatio(r), verdict(r, 1.2, '<=').text]);
}
for (const n of SIZES.filter((x) => x >= 16_384)) {
  const r = step[n]['ndarray-ops'] / step[n]['posteriorStepInto'];
  targets.push([`Into >= 5x faster than ndarray-ops, ${formatCount(n)}`, '>= 5.00x', formatRatio(r), verdict(r, 5, '>=').text]);
}
{
  const r = step[65_536]['posteriorStep'] / step[65_536]['posteriorStepInto'];
  targets.push(['pure step within 1.5x of Into, 65 536', '<= 1.50x', formatRatio(r), verdict(r, 1.5, '<=').text]);
}
const intoAllocation = allocation.find((a) => a.name === 'posteriorStepInto');
targets.push([
  'Into allocates no ArrayBuffer bytes per step (1000 steps)',
  '0 B',
  formatBytes(intoAllocation.external),
  intoAllocation.external === 0 ? 'met' : 'missed',
]);
// issue 18: the JS backend's loop against the same work written as a plain loop (bit-identical, checked)
for (const n of LOOP_SIZES) {
  const r = loops[n].denoise / loops[n].plain;
  targets.push([`JS backend: denoise within 1.3x of a plain exact JS loop, ${LOOP_STEPS} steps, ${formatCount(n)}`, '<= 1.30x', formatRatio(r), verdict(r, 1.3, '<=').text]);
}
const targetHeaders = ['target', 'limit', 'measured', 'verdict'];

const variantRows = [
  ['clipped (Into)', formatTime(variants['clipped (Into)']), '1.00x'],
  ['thresholded (Into)', formatTime(variants['thresholded (Into)']), formatRatio(variants['thresholded (Into)'] / variants['clipped (Into)'])],
  ['one timestep (Into)', formatTime(variants['one timestep (Into)']), '1.00x'],
  ['per-sample timesteps (Into)', formatTime(variants['per-sample timesteps (Into)']), formatRatio(variants['per-sample timesteps (Into)'] / variants['one timestep (Into)'])],
  ['one timestep (scheduler step)', formatTime(variants['one timestep (step)']), '1.00x'],
  ['per-sample timesteps (scheduler step)', formatTime(variants['per-sample timesteps (step)']), formatRatio(variants['per-sample timesteps (step)'] / variants['one timestep (step)'])],
  [`[${FEW_ITEMS.join(', ')}] (scheduler step)`, formatTime(variants['few items (step)']), '1.00x'],
  [`[${MANY_ITEMS.join(', ')}] (scheduler step, same elements)`, formatTime(variants['many items (step)']), formatRatio(variants['many items (step)'] / variants['few items (step)'])],
];
const variantHeaders = [`case, [${BATCH_SHAPE.join(', ')}]`, 'median', 'ratio to its baseline'];

const uniform = random['randInto (MT19937 uniform fill)'];
const randomRows = [
  ...Object.entries(random).map(([name, ns]) => [name, `${ns.toFixed(2)} ns`, formatRatio(ns / uniform)]),
  ...['default_rng', 'RandomState'].map((c) => {
    const ns = numpyTime(numpy, 'randn', c, RANDN_SAMPLES) / RANDN_SAMPLES;
    const label = c === 'default_rng' ? 'numpy default_rng().standard_normal (float32)' : 'numpy RandomState().standard_normal (float64)';
    return [label, Number.isFinite(ns) ? `${ns.toFixed(2)} ns` : 'n/a', formatRatio(ns / uniform)];
  }),
];
const randomHeaders = [`generator, ${formatCount(RANDN_SAMPLES)} samples`, 'per sample', 'ratio to uniform fill'];

const loopRows = LOOP_SIZES.map((n) => {
  const np = numpyTime(numpy, 'loop', 'diffusers loop', n);
  return [
    formatCount(n),
    formatTime(loops[n].denoise),
    formatTime(loops[n].into),
    formatTime(np),
    formatTime(loops[n].denoise / LOOP_STEPS),
    formatRatio(np / loops[n].denoise),
    formatRatio(loops[n].denoise / loops[n].into),
    formatTime(loops[n].plain),
    formatRatio(loops[n].denoise / loops[n].plain),
  ];
});
const loopHeaders = ['elements', 'denoise (pure)', 'Into loop', 'numpy diffusers loop', 'denoise per step', 'numpy / denoise', 'denoise / Into loop', 'plain exact loop', 'denoise / plain'];

const allocationRows = allocation.map((a) => [a.name, formatBytes(a.external), formatBytes(a.heap), String(a.collections)]);
const allocationHeaders = [`per step, ${formatCount(allocation[0].n)} elements, ${allocation[0].calls} steps`, 'ArrayBuffer bytes', 'JS heap bytes', 'collections'];

// against diffusers on torch: ours / torch, below 1 is faster than torch
const torchCores = torch.cores ?? os.cpus().length;
const torchRows = [];
const torchGrowth = [];
/** The faster (smaller) of torch's two figures for one case, either alone where the other is missing, else NaN. */
const fasterOf = (peerRun, inRounds) => {
  const known = [peerRun, inRounds].filter(Number.isFinite);
  return known.length === 0 ? NaN : Math.min(...known);
};
const torchLoopRows = [];
const torchBoundRows = [];
const torchScalarRows = [];
const torchTargets = [];
if (torch.skipped === undefined) {
  const pairs = [
    ...FLAVORS.map((f) => [`step with a generator, ${f}`, 'step with a generator']),
    ['step at t = 0', 'step at t = 0'],
    ...FLAVORS.map((f) => [`randn, ${f}`, 'randn']),
    ...FLAVORS.map((f) => [`randnInto (zero-copy), ${f}`, 'randn (out=)']),
  ];
  for (const n of [16_384, 65_536, 1_048_576].filter((x) => TORCH_SIZES.includes(x))) {
    for (const [ours, theirs] of pairs) {
      const t1 = torchTime(torch, 1, 'ops', theirs, n);
      const tN = torchTime(torch, torchCores, 'ops', theirs, n);
      const us = torchOps[n][ours];
      torchRows.push([formatCount(n), ours, `torch ${theirs}`, formatTime(us), formatTime(t1), formatTime(tN), formatRatio(us / t1), formatRatio(us / tN)]);
    }
  }
  const perElement = (ns, n) => (Number.isFinite(ns) ? `${(ns / n).toFixed(2)}` : 'n/a');
  for (const n of TORCH_SIZES) {
    const o = torchOps[n];
    const t = (c) => torchTime(torch, 1, 'ops', c, n);
    torchGrowth.push([
      formatCount(n),
      perElement(o['step with a generator, avx2'], n), perElement(t('step with a generator'), n), formatRatio(o['step with a generator, avx2'] / t('step with a generator')),
      perElement(o['step at t = 0'], n), perElement(t('step at t = 0'), n), formatRatio(o['step at t = 0'] / t('step at t = 0')),
      perElement(o['randn, avx2'], n), perElement(o['randn, default'], n), perElement(t('randn'), n),
      formatRatio(o['randn, avx2'] / t('randn')), formatRatio(o['randn, default'] / t('randn')),
    ]);
  }
  for (const loop of torchLoops) {
    const t1 = torchTime(torch, 1, 'loops', 'loop', loop.n, loop.steps);
    // the targets' torch: the faster of the peer's run and the loop timed in rounds with ours, the stricter
    // reading (the two have differed by up to 76 % in one run, rounds the slower, cause not found)
    const timedInRounds = Number.isFinite(loop['torch in rounds']);
    const tRef = fasterOf(t1, loop['torch in rounds']);
    const tN = torchTime(torch, torchCores, 'loops', 'loop', loop.n, loop.steps);
    const reference = torchLoopHash(torch, 1, loop.n, loop.steps);
    const skipped = torchLoopSkipped(torch, torchCores, loop.n, loop.steps);
    if (skipped !== undefined) log(`torch at ${torchCores} threads skipped the ${loop.steps}-step loop at ${loop.n}: ${skipped}`);
    const same = FLAVORS.filter((f) => loop.hashes[f] === reference);
    torchLoopRows.push([
      formatCount(loop.n), String(loop.steps),
      ...FLAVORS.map((f) => formatTime(loop[f])), formatTime(t1), timedInRounds ? formatTime(loop['torch in rounds']) : 'n/a', formatTime(tN),
      ...FLAVORS.map((f) => formatRatio(loop[f] / tRef)), ...FLAVORS.map((f) => formatRatio(loop[f] / tN)),
      same.length === 0 ? 'none' : same.join(', '),
    ]);
    if (loop.steps === 100) {
      const limit = loop.n === 65_536 ? 0.4 : 0.5;
      for (const f of FLAVORS) {
        const r = loop[f] / tRef;
        torchTargets.push([`denoise, 100 steps, ${formatCount(loop.n)}, ${f}: ${1 / limit}x faster than torch (1 thread)`, `<= ${limit.toFixed(2)}x`, formatRatio(r), verdict(r, limit, '<=').text]);
        const noise = loop[`noise ${f}`];
        if (noise !== undefined) {
          const perStep = (ns) => formatTime(ns / loop.steps);
          torchBoundRows.push([
            formatCount(loop.n), f, perStep(tRef), `${perStep(limit * tRef)} (${limit.toFixed(2)}x)`, perStep(noise), perStep(loop[f]), perStep(loop[f] - noise),
            formatRatio(noise / tRef), formatRatio(loop[f] / tRef),
            noise / tRef > limit ? `no: the noise alone is over it by ${(100 * (noise / tRef / limit - 1)).toFixed(1)}%` : `only if the rest of a step takes at most ${formatTime((limit * tRef - noise) / loop.steps)}`,
          ]);
        }
      }
    }
  }
  if (torchOps[65_536] !== undefined) {
    const o = torchOps[65_536];
    const pure = o['step with explicit noise'] / o['two new outputs + posteriorStepInto'];
    torchTargets.push(['pure step with explicit noise within 1.25x of two new outputs + the staged Into kernel, 65 536', '<= 1.25x', formatRatio(pure), verdict(pure, 1.25, '<=').text]);
    const numpyStep = numpyTime(numpy, 'step', 'diffusers', 65_536) / o['step with explicit noise'];
    torchTargets.push(["pure step with explicit noise >= 2x faster than numpy running diffusers' expressions, 65 536", '>= 2.00x', formatRatio(numpyStep), verdict(numpyStep, 2, '>=').text]);
    for (const [ours, theirs] of [...FLAVORS.map((f) => [`randn, ${f}`, 'randn']), ...FLAVORS.map((f) => [`randnInto (zero-copy), ${f}`, 'randn (out=)'])]) {
      const r = torchOps[65_536][ours] / fasterOf(torchTime(torch, 1, 'ops', theirs, 65_536), torchOps[65_536][`torch ${theirs} (in rounds)`]);
      torchTargets.push([`${ours} against torch ${theirs} (1 thread), 65 536: 1.25x faster`, '<= 0.80x', formatRatio(r), verdict(r, 0.8, '<=').text]);
    }
  }
  if (torchScalar.skipped === undefined) {
    const rows = [];
    if (torchOps[65_536] !== undefined) {
      for (const f of FLAVORS) {
        rows.push([`randn, ${f}`, torchOps[65_536][`randn, ${f}`], 'randn', 65_536]);
        rows.push([`randnInto (zero-copy), ${f}`, torchOps[65_536][`randnInto (zero-copy), ${f}`], 'randn (out=)', 65_536]);
      }
    }
    for (const loop of torchLoops.filter((l) => l.steps === 100 && l.n <= 65_536)) {
      for (const f of FLAVORS) rows.push([`denoise, 100 steps, ${f}`, loop[f], 'loop', loop.n, 100]);
    }
    for (const [ours, us, theirs, n, steps] of rows) {
      const section = steps === undefined ? 'ops' : 'loops';
      const best = torchTime(torch, 1, section, theirs, n, steps);
      const scalar = torchTime(torchScalar, 1, section, theirs, n, steps);
      torchScalarRows.push([formatCount(n), ours, `torch ${theirs}`, formatTime(us), formatTime(best), formatTime(scalar), formatRatio(us / best), formatRatio(us / scalar)]);
    }
  }
}
const torchScalarHeaders = ['elements', 'ours', 'torch', 'ours', 'torch (its best kernels)', 'torch, ATEN_CPU_CAPABILITY=default', 'ours / torch best', 'ours / torch default'];
const torchBoundHeaders = ['elements', 'flavor', 'torch, 1 thread (the faster figure)', 'the target allows', 'the noise alone', 'denoise', 'denoise less the noise', 'noise / torch', 'denoise / torch', 'can one thread meet the target?'];
const torchRowHeaders = ['elements', 'ours (WASM backend)', 'torch', 'ours', 'torch, 1 thread', `torch, ${torchCores} threads`, 'ours / torch 1', `ours / torch ${torchCores}`];
const torchGrowthHeaders = ['elements', 'step+gen ours (avx2)', 'step+gen torch', 'ratio', 'step t=0 ours', 'step t=0 torch', 'ratio', 'randn ours avx2', 'randn ours default', 'randn torch', 'avx2 / torch', 'default / torch'];
const torchLoopHeaders = ['elements', 'steps', ...FLAVORS.map((f) => `denoise, ${f}`), 'torch, 1 thread', 'torch, 1 thread, in rounds with ours', `torch, ${torchCores} threads`, ...FLAVORS.map((f) => `${f} / torch 1`), ...FLAVORS.map((f) => `${f} / torch ${torchCores}`), "flavors with torch's bits"];

// ---------------------------------------------------------------------------------------------------
// print and write

const sections = [
  ['Targets', targetHeaders, targets],
  ['Step kernel: medians (epsilon, clip to [-1, 1], fixed_small, explicit noise, contiguous)', stepTimeHeaders, stepTimes],
  ['Step kernel: ratios (below 1 is faster than the reference on the right)', stepRatioHeaders, stepRatios],
  ['Thresholding and per-sample timesteps', variantHeaders, variantRows],
  ['Gaussian noise', randomHeaders, randomRows],
  [`Seeded sampling loop, ${LOOP_STEPS} steps, scheduler work only`, loopHeaders, loopRows],
  ['Bytes allocated per step', allocationHeaders, allocationRows],
  ...(torch.skipped !== undefined
    ? []
    : [
        ['Against diffusers on torch: issue 18 targets (ours / torch at one thread, the faster of its two figures; below 1 is faster)', targetHeaders, torchTargets],
        ['Against diffusers on torch: the user-facing calls (ours / torch; below 1 is faster)', torchRowHeaders, torchRows],
        ['Against diffusers on torch: ns per element by element count (torch at one thread)', torchGrowthHeaders, torchGrowth],
        ['Against diffusers on torch: seeded sampling loops, identity model', torchLoopHeaders, torchLoopRows],
        ...(torchScalarRows.length === 0 ? [] : [["Against diffusers on torch's scalar kernels (ATEN_CPU_CAPABILITY=default, one thread): the path whose bits the 'default' flavor gives", torchScalarHeaders, torchScalarRows]]),
        ...(torchBoundRows.length === 0 ? [] : [['Against diffusers on torch: the least a 100-step loop costs on one thread, per step', torchBoundHeaders, torchBoundRows]]),
      ]),
  ...(buildRows.length === 0 ? [] : [['The two builds of the WASM kernels: the noise draw (wasmNormalBlocks), one process', buildHeaders, buildRows]]),
  ...(copyRows.length === 0 ? [] : [['Copying 65 536 float32 out of WASM memory, in 16 384-element chunks, into an array 16 bytes past a page', ['per float32', 'time', 'ratio to ordinary arrays'], copyRows]]),
];
for (const [title, headers, rows] of sections) console.log(`\n${title}\n${textTable(headers, rows)}`);
if (backends !== '') console.log(`\nBoth backends (bench/wasm.mjs)\n${backends}`);
console.log(`\n(${elapsed.toFixed(0)} s)`);

const notesPath = new URL('./notes.md', import.meta.url);
const notes = existsSync(notesPath) ? readFileSync(notesPath, 'utf8').trim() : '';
const numpyLine =
  numpy.skipped === undefined
    ? `numpy ${numpy.numpy} (python3, spawned by the harness with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset in its environment only, because those overrides slow numpy on some processors)`
    : `numpy: skipped (${numpy.skipped})`;
const torchLine =
  torch.skipped === undefined
    ? `torch ${torch.torch} (${torch.python}, spawned by the harness like numpy; ATEN_CPU_CAPABILITY ${torch.capability}), running diffusers' own scheduling_ddpm.py (commit ${torch.diffusers.commit}, sha256 ${torch.diffusers.sha256.slice(0, 12)}, ${torch.source}) through scripts/fixtures/diffusers_stub.py, at 1 and ${torchCores} threads${torchScalar.skipped === undefined ? ', and again at 1 thread with ATEN_CPU_CAPABILITY=default' : ''}`
    : `diffusers on torch: skipped (${torch.skipped})`;

const markdown = `# Benchmarks

Generated by \`npm run bench\` (it builds the package, then bench/launch.mjs runs \`node --expose-gc bench/run.mjs\`, adding
\`--experimental-wasm-relaxed-simd\` where Node needs it for the relaxed-SIMD build, on the
compiled JS in \`dist/esm\`, prints these tables and rewrites this file). Do not edit by hand; the analysis at
the end comes from \`bench/notes.md\`.

- Date: ${new Date().toISOString()}
- Machine: ${env.cpu}, ${env.cores} cores, ${env.memory}, ${env.platform}; load average at start ${env.load}
- Library: ${process.env.DDPM_BENCH_SOURCE ?? 'dist/esm, built by npm run bench from the working tree'}
- Node ${env.node}, mitata ${JSON.parse(readFileSync(new URL('../node_modules/mitata/package.json', import.meta.url), 'utf8')).version}
- ${numpyLine}
- ${torchLine}
- Whole run: ${elapsed.toFixed(0)} s; load average at the end ${loadAtEnd}
- WASM kernels: the ${hasBackends && wasmAvailable ? `'${lib.wasmBuild()}'` : 'n/a'} build${wasmFlags.length > 0 ? ` (Node started with ${wasmFlags.join(' ')})` : ''}; the last section times both builds' noise draw
- Backend: ${hasBackends ? `JavaScript for every figure except the "Into (wasm)" column, the sections against diffusers on torch and the last section (WebAssembly SIMD ${wasmAvailable ? 'available' : 'not available'} here${wasmProblem === undefined ? '' : `; ${wasmProblem}`})` : 'JavaScript (this build has no other)'}

How to read it: every figure is a median (mitata's p50 for JS, the median of repeated
\`time.perf_counter_ns\` calls for numpy), and every comparison is a ratio of two figures measured in the same
run: the machine is shared, so absolute times drift from run to run while ratios hold. Every case is
measured in three interleaved rounds (the order reversed every other round) and the median round is kept.
Before each mitata timing the harness collects garbage, then runs the case untimed for ${WARM_UP_MS} ms, so that a case
whose calls return new arrays is timed in its steady state, not in the page faults that follow a collection
(bench/setup.mjs, \`steadyP50\`; the loops, a few seconds a run, are timed one run per case and round, after a warm-up run). A step reads three float32 arrays (model output, sample, noise) and writes two (x0, x_prev): 20 bytes per
element, so "Into GB/s" is 20 x elements / time. The set floor moves those 20 bytes per element with
\`TypedArray.prototype.set\` (two whole copies and half a copy, a memcpy); the streaming floor reads the
three arrays and writes the two in one scalar JS pass with the step's multiply-adds in double but no clamp; the
plain loop (the reference of the 1.2x target) is exactly the kernel's arithmetic without the library around
it (validation, batch items, views, options): every torch float32 op rounded with \`Math.fround\` in
diffusers' order and the kernel's branchless clamp, written as one straight fused loop; "plain, double" is
that loop in double with one rounding at each store (the kernel's arithmetic before it became exact), so
that the two columns show what exactness costs; "plain, min/max" is the exact loop clamping with
\`Math.min\`/\`Math.max\` as most hand-written code would; ndarray-ops evaluates the step one whole-array
operation at a time with a new temporary per expression; numpy runs diffusers' expressions as diffusers
writes them, and the same step with every ufunc writing into preallocated arrays (\`out=\`). Before timing,
the harness checks that both exact plain loops agree with the kernel bit for bit (difference 0), that the
double loop and the ndarray-ops composition agree within 1e-5, and that the Into
sampling loop gives the same x_0 as \`denoise\`.

${sections.map(([title, headers, rows]) => `## ${title}\n\n${markdownTable(headers, rows)}`).join('\n\n')}

Shapes: 768 elements is [1, 3, 16, 16]; the others are [1, 4, s, s] (an SD latent layout); numpy uses flat
arrays of the same length. Step timestep 500 of diffusers' default linear schedule. Thresholding uses
ratio 0.995 and sampleMaxValue 1.5; the per-sample batch uses timesteps 700, 500, 300 and 100. The
sampling loops start from randn with seed 0 and use the identity as the model in JS and in numpy; JS
draws its noise with the PyTorch-compatible generator, numpy with its own \`default_rng\`. Allocation is
counted by V8 (a GCProfiler session adds what each collection freed back to the heap difference) in a
child process run with \`--expose-gc --no-concurrent-array-buffer-sweeping\`.

Against diffusers on torch (issue 18): the peer (bench/torch_peer.py, found and spawned by bench/torch.mjs)
runs diffusers' \`DDPMScheduler\` with its defaults on torch's CPU, first with \`torch.set_num_threads(1)\`,
then with every core, and the library runs the same calls on its WASM backend with each \`cpuCapability\`
flavor whose noise differs ('avx2', torch's AVX2 kernel, and 'default', the scalar one that 'avx512' shares):
\`step\` at timestep ${TORCH_STEP_T} of 1000 with a generator (noise drawn; each call draws from the generator the
previous one advanced), \`step\` at t = 0 (no noise), \`randn\` (a new tensor; torch.randn) and \`randnInto\` into a
WASM-allocated array (torch.randn with \`out=\`), and the seeded loop: x_T and every step's noise from one
generator seeded 0, the identity as the model, \`denoise\` against diffusers' \`for t in timesteps: step(...)\`.
The last column of the loop table names the flavors whose final sample has the SHA-256 of torch's (at one
thread). The peer skips a loop it estimates (from its previous loop's cost per element and step) to take over
${TORCH_LOOP_BUDGET_S} s, and stops repeating one after ${TORCH_LOOP_BUDGET_S} s: its time reads n/a.
Issue 18's targets set ours beside torch measured in the same minutes: the harness keeps the peer
running as a server (\`torch_peer.py --serve\`) and times torch's 100-step loops and its \`randn\` at 65 536
in rounds with ours (a warm-up first; torch after ours in even rounds, before them in odd ones; the
median of three), since the peer's run above can be minutes older than ours on a shared machine. The
targets, the bound table and the loop table's ratios to torch at one thread use the faster of torch's two
figures (the peer's run and the one in rounds; the loop table shows both), the reading that favours
torch: on this machine the two have differed by up to 76 % within one run, for no cause found in the
harness (bench/notes.md). The user-facing table keeps the peer's run.
The bound table times, beside each 100-step loop, every draw that loop makes (x_T and each step's noise,
\`randnInto\` zero-copy into WASM memory, nothing else; it leaves the generator where \`denoise\` does): no loop
with diffusers' seeded noise costs less on one thread with these kernels. Where the noise alone is over a
target's limit, only faster noise or a second thread can meet it; where it is under, the last column says
how little time per step that leaves for the step itself and the new tensor the model's next input must be.
The scalar table runs the same peer a
second time, at one thread, with \`ATEN_CPU_CAPABILITY=default\`: torch's scalar \`normal_fill_16\` with
glibc's logf, sinf and cosf, the randn whose bits the 'default' flavor reproduces (torch's AVX512 builds take
that randn too, with vectorized arithmetic around it). The targets' verdicts stay against torch at its best
kernels here.

${backends === '' ? '' : `## Both backends at 65 536 elements (bench/wasm.mjs, run by the harness)\n\n${backends}\n\n`}${notes === '' ? '' : `## Analysis\n\n${notes}\n`}`;

const outPath = process.env.DDPM_BENCH_OUT ?? fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
writeFileSync(outPath, markdown);
log(`wrote ${outPath.split('/').slice(-2).join('/')}`);
