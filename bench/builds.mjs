// The two builds of the WebAssembly kernels side by side, in one process: the draw that randn and the
// step's noise run (wasmNormalBlocks: MT19937 uniforms in a staging chunk, then torch's Box-Muller
// block in the flavor's float32 operations), for each cpuCapability flavor, plus the uniforms alone.
// Run by bench/run.mjs; uses the compiled internals in dist/esm/wasm (the same files the package ships).
/* global WebAssembly */
import { do_not_optimize } from 'mitata';
import { steadyP50 } from './setup.mjs';

const internal = (path) => import(new URL(`../dist/esm/${path}`, import.meta.url).href);

/**
 * `{ builds, rows, copies }`: the builds that instantiate here, and per case the median ns per sample of each
 * build (in five interleaved rounds, the order reversed every other round), at `n` samples; and
 * `copies`, the ns per float32 of three ways to copy a chunk (out of WASM memory, and between ordinary arrays).
 */
export const benchBuilds = async (n) => {
  const { instantiateBuild, memoryU32, STATE, stagingAt } = await internal('wasm/instance.js');
  const { wasmNormalBlocks } = await internal('wasm/randnBlocks.js');
  const builds = ['simd', 'relaxed-simd'].map((b) => [b, instantiateBuild(b)]).filter(([, k]) => k !== null);
  // a generator state: MT19937 seeded 0 (torch.manual_seed(0)), words as torch keeps them
  const { mt19937Seed } = await internal('random/mt19937.js');
  const words = mt19937Seed(0);
  const cases = [];
  for (const [build, k] of builds) {
    const out = new Float32Array(n);
    for (const flavor of ['avx2', 'default']) cases.push([`${flavor} draw`, build, () => do_not_optimize(wasmNormalBlocks(k, out, words, 624, flavor))]);
    cases.push([
      'MT19937 uniforms only',
      build,
      () => {
        memoryU32(k).set(words, STATE >> 2);
        let at = 624;
        for (let from = 0; from < n; from += 16384) at = k.mtUniforms(stagingAt(0), Math.min(16384, n - from), STATE, at);
        return do_not_optimize(at);
      },
    ]);
  }
  // both builds give the same bits (randnExhaustive.test.ts proves it on every input): checked here too
  const drawn = builds.map(([, k]) => {
    const out = new Float32Array(n);
    wasmNormalBlocks(k, out, words, 624, 'default');
    return out;
  });
  for (const d of drawn) if (!d.every((v, i) => Object.is(v, drawn[0][i]))) throw new Error('the builds drew different noise');
  const samples = new Map();
  // the copy out of a staging chunk that every staged result pays (one TypedArray.prototype.set, a
  // memcpy), by where the chunk lies: page-aligned (the placement before this change) or half a page
  // past (instance.ts STAGING). The target is a view 16 bytes into a page, where a large calloc'd typed
  // array's data begins; it lives in a second WebAssembly memory so that its alignment is known.
  const [, k0] = builds[0];
  const target = new Float32Array(new WebAssembly.Memory({ initial: Math.ceil((n * 4 + 16) / 65536) }).buffer, 16, n);
  const pageAligned = new Float32Array(k0.memory.buffer, 65536, 16384).fill(1.5);
  const staged = new Float32Array(k0.memory.buffer, stagingAt(0), 16384).fill(1.5);
  const ordinary = new Float32Array(16384).fill(1.5);
  cases.push(
    ['copy out of a page-aligned chunk (the former staging)', 'any', () => { for (let f = 0; f < n; f += 16384) target.set(pageAligned, f); }],
    ['copy out of a staging chunk (half a page past)', 'any', () => { for (let f = 0; f < n; f += 16384) target.set(staged, f); }],
    ['copy: set between ordinary arrays', 'any', () => { for (let f = 0; f < n; f += 16384) target.set(ordinary, f); }],
  );
  for (let r = 0; r < 5; r++) {
    for (const [name, build, fn] of r % 2 === 0 ? cases : [...cases].reverse()) {
      const key = `${name}|${build}`;
      const p50 = await steadyP50(fn, { min_samples: 12, min_cpu_time: 150e6, batch_samples: 64 });
      samples.set(key, [...(samples.get(key) ?? []), p50 / n]);
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const rows = {};
  for (const [key, xs] of samples) {
    const [name, build] = key.split('|');
    rows[name] = { ...rows[name], [build]: median(xs) };
  }
  const copies = Object.fromEntries(Object.entries(rows).filter(([name]) => name.startsWith('copy')).map(([name, per]) => [name, per.any]));
  for (const name of Object.keys(copies)) delete rows[name];
  return { builds: builds.map(([b]) => b), rows, copies };
};
