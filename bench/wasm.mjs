// The two backends side by side at 65 536 elements, with the floor and numpy in the same run, as
// ratios: the step (Into, zero-copy Into, pure), randn, the 1000-step seeded loop written by hand and
// the library's own loop, denoise.
// Usage: node bench/wasm.mjs   (after a build; DDPM_BENCH_LIB points at another compiled index.js)
// Prints a markdown table for docs/benchmarks.md.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { do_not_optimize } from 'mitata';
import { defaultAlphasCumprod, libraryUrl, rightOf, steadyP50, stepInputs } from './setup.mjs';

const N = 65_536;
const SHAPE = [1, 4, 128, 128];
const STEPS = 1000;
const lib = await import(libraryUrl());
// backend selection and WASM tensors, from the library's main entry
const wasm = lib;
const options = lib.defaultStepOptions;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const timeOf = (fn) => steadyP50(fn, { min_samples: 12, min_cpu_time: 150e6, batch_samples: 64 });

/** Each case runs under its backend, in interleaved rounds; the median of the rounds. */
const interleaved = async (cases, rounds = 3) => {
  const samples = new Map(cases.map(([name]) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, which, fn] of r % 2 === 0 ? cases : [...cases].reverse()) {
      rightOf(wasm.setBackend(which));
      samples.get(name).push(await timeOf(fn));
    }
  }
  return new Map([...samples].map(([name, xs]) => [name, median(xs)]));
};

const inWasm = (t) => {
  const copy = rightOf(wasm.allocTensor(t.shape));
  copy.data.set(t.data);
  return copy;
};

// ---- the step
const { modelOutput, sample, noise, k, out } = stepInputs(lib, SHAPE);
const inputs = { modelOutput, sample, noise };
const wasmInputs = { modelOutput: inWasm(modelOutput), sample: inWasm(sample), noise: inWasm(noise) };
const wasmOut = { prevSample: rightOf(wasm.allocTensor(SHAPE)), predOriginalSample: rightOf(wasm.allocTensor(SHAPE)) };
const floorPrev = new Float32Array(N);
const floorX0 = new Float32Array(N);
const scratch = new Float32Array(N >> 1);
// 20 bytes per element, as the step: read model output, sample and half the noise, write as much
const setFloor = () => {
  floorPrev.set(modelOutput.data);
  floorX0.set(sample.data);
  scratch.set(noise.data.subarray(0, N >> 1));
};

// ---- randn
const draws = new Float32Array(N);
const wasmDraws = rightOf(wasm.allocTensor([N])).data;
const g = lib.torchGenerator(0);

// ---- the seeded loop, scheduler work only (the model is the identity, as in numpy's loop)
const alphasCumprod = defaultAlphasCumprod(lib);
const coefficients = Array.from({ length: STEPS }, (_, t) => rightOf(lib.posteriorCoefficients(alphasCumprod, t, t - 1)));
const [xT, g0] = lib.randn(lib.torchGenerator(0), SHAPE);
const loopWith = (alloc) => {
  const buffers = [alloc(SHAPE), alloc(SHAPE)];
  const x0 = alloc(SHAPE);
  const z = alloc(SHAPE);
  return () => {
    buffers[0].data.set(xT.data);
    let gen = g0;
    let current = 0;
    for (let t = STEPS - 1; t >= 0; t--) {
      const kt = coefficients[t];
      if (kt.addsNoise) gen = lib.randnInto(z.data, gen);
      const x = buffers[current];
      lib.posteriorStepInto({ prevSample: buffers[1 - current], predOriginalSample: x0 }, { modelOutput: x, sample: x, noise: z }, kt, options);
      current = 1 - current;
    }
    return buffers[current];
  };
};
const jsLoop = loopWith(lib.allocate);
const wasmLoop = loopWith((shape) => rightOf(wasm.allocTensor(shape)));
// the two backends are bit-identical: their steps, and so their whole loops
const bitsOf = (which, o) => {
  rightOf(wasm.setBackend(which));
  rightOf(lib.posteriorStepInto(o, inputs, k, options));
  return Array.from(new Uint32Array(o.prevSample.data.slice().buffer));
};
if (bitsOf('js', out).join() !== bitsOf('wasm', wasmOut).join()) throw new Error("the backends' steps differ");
rightOf(wasm.setBackend('js'));
const a = jsLoop().data;
rightOf(wasm.setBackend('wasm'));
const b = wasmLoop().data;
if (Array.from(a).join() !== Array.from(b).join()) throw new Error("the backends' loops differ");
// the library's own loop, with the model as the identity: the same numbers as the hand-written loop
const scheduler = rightOf(lib.createScheduler());
const denoiseLoop = () => rightOf(lib.denoise(scheduler, (x) => x, xT, { generator: g0 })).sample;
if (Array.from(denoiseLoop().data).join() !== Array.from(b).join()) throw new Error('denoise differs from the hand-written loop');

const times = await interleaved([
  ['TypedArray.set floor (20 B/element)', 'js', setFloor],
  ['posteriorStepInto, js', 'js', () => lib.posteriorStepInto(out, inputs, k, options)],
  ['posteriorStepInto, wasm (staged copies)', 'wasm', () => lib.posteriorStepInto(out, inputs, k, options)],
  ['posteriorStepInto, wasm zero-copy', 'wasm', () => lib.posteriorStepInto(wasmOut, wasmInputs, k, options)],
  ['posteriorStep (pure), js', 'js', () => do_not_optimize(lib.posteriorStep(inputs, k, options))],
  ['posteriorStep (pure), wasm', 'wasm', () => do_not_optimize(lib.posteriorStep(inputs, k, options))],
  ['randnInto, js', 'js', () => lib.randnInto(draws, g)],
  ['randnInto, wasm', 'wasm', () => lib.randnInto(draws, g)],
  ['randnInto, wasm zero-copy', 'wasm', () => lib.randnInto(wasmDraws, g)],
]);
const loops = await interleaved([
  ['1000-step seeded loop, js', 'js', jsLoop],
  ['1000-step seeded loop, wasm zero-copy', 'wasm', wasmLoop],
  ['denoise (1000 steps, identity model), js', 'js', denoiseLoop],
  ['denoise (1000 steps, identity model), wasm', 'wasm', denoiseLoop],
], 1);

const peer = spawnSync('python3', [fileURLToPath(new URL('./numpy_peer.py', import.meta.url)), JSON.stringify({
  step: { sizes: [N], minTime: 0.25 },
  randn: { n: N, minTime: 0.25 },
  loop: { sizes: [N], steps: STEPS, repeats: 3 },
})], { encoding: 'utf8', maxBuffer: 1 << 24 });
const numpy = peer.status === 0 ? JSON.parse(peer.stdout) : null;
const np = (section, name) => numpy?.[section]?.find((r) => r.case === name)?.ns ?? NaN;

const floor = times.get('TypedArray.set floor (20 B/element)');
const rows = [
  ...[...times].map(([name, ns]) => [name, ns, name.startsWith('randn') ? ns / N : ns / N]),
  ['numpy in-place step', np('step', 'inplace'), np('step', 'inplace') / N],
  ['numpy diffusers-style step', np('step', 'diffusers'), np('step', 'diffusers') / N],
  ['numpy default_rng().standard_normal(float32)', np('randn', 'default_rng'), np('randn', 'default_rng') / N],
  ...[...loops].map(([name, ns]) => [name, ns, ns / N / STEPS]),
  ['numpy diffusers loop (1000 steps)', np('loop', 'diffusers loop'), np('loop', 'diffusers loop') / N / STEPS],
];
const us = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(1)} ms` : `${(ns / 1e3).toFixed(1)} µs`);
console.log(`n = ${N} (${SHAPE.join(' x ')}), numpy ${numpy?.numpy ?? 'unavailable'}, Node ${process.version}\n`);
console.log('| case | time | ns per element (per step for loops) | x set floor |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, ns, per] of rows) console.log(`| ${name} | ${us(ns)} | ${per.toFixed(3)} | ${(ns / floor).toFixed(2)} |`);
const get = (name) => rows.find((r) => r[0] === name)[1];
console.log('\nRatios (targets of issue 7):');
console.log(`- step Into zero-copy / set floor: ${(get('posteriorStepInto, wasm zero-copy') / floor).toFixed(2)} (target <= 2.5)`);
console.log(`- numpy in-place step / pure step (wasm): ${(np('step', 'inplace') / get('posteriorStep (pure), wasm')).toFixed(2)} (target >= 1)`);
console.log(`- numpy diffusers-style step / pure step (wasm): ${(np('step', 'diffusers') / get('posteriorStep (pure), wasm')).toFixed(2)} (target >= 4)`);
console.log(`- numpy standard_normal / randnInto (wasm): ${(np('randn', 'default_rng') / get('randnInto, wasm')).toFixed(2)} (target >= 1.5)`);
console.log(`- numpy loop / wasm loop: ${(np('loop', 'diffusers loop') / get('1000-step seeded loop, wasm zero-copy')).toFixed(2)} (target >= 2)`);
console.log(`- numpy loop / denoise (wasm): ${(np('loop', 'diffusers loop') / get('denoise (1000 steps, identity model), wasm')).toFixed(2)}`);
