// Two builds of the library side by side in one process, interleaved: the step, the noise and the
// loop on each backend, so that a change is judged by a ratio measured in one run (this machine is
// shared and noisy; a ratio between two runs is not evidence).
//
//   node --expose-gc bench/compare.mjs path/to/before/dist/esm/index.js [path/to/after/dist/esm/index.js]
//
// The second path defaults to this checkout's dist/esm/index.js (run `npm run build` first).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, markdownTable, formatTime, formatRatio } from './report.mjs';
import { rightOf, shapeFor, steadyP50, stepInputs } from './setup.mjs';

const [beforePath, afterPath = new URL('../dist/esm/index.js', import.meta.url).pathname] = process.argv.slice(2);
if (beforePath === undefined) {
  process.stderr.write('usage: node --expose-gc bench/compare.mjs BEFORE/dist/esm/index.js [AFTER/dist/esm/index.js]\n');
  process.exit(2);
}
const libs = {
  before: await import(pathToFileURL(resolve(beforePath)).href),
  after: await import(pathToFileURL(resolve(afterPath)).href),
};
const N = 65_536;
const shape = shapeFor(N);
const ROUNDS = Number(process.env.DDPM_COMPARE_ROUNDS ?? 5);

/** The cases of one library on one backend, each a function to time. */
const casesOf = (lib) => {
  const { modelOutput, sample, noise, alphasCumprod, k, out } = stepInputs(lib, shape);
  const k64 = rightOf(lib.posteriorCoefficients(Float64Array.from(alphasCumprod), 500, 499, 'fixed_small'));
  const options = lib.defaultStepOptions;
  const noClip = { ...options, clipSample: false };
  const threshold = { ...options, clipSample: false, thresholding: true, sampleMaxValue: 1.5 };
  const inputs = { modelOutput, sample, noise };
  const s = rightOf(lib.setTimesteps(rightOf(lib.createScheduler()), 100));
  const model = (x) => x;
  const g = lib.torchGenerator(0);
  const z = new Float32Array(N);
  return [
    ['posteriorStepInto, clip', () => lib.posteriorStepInto(out, inputs, k, options)],
    ['posteriorStepInto, no clip', () => lib.posteriorStepInto(out, inputs, k, noClip)],
    ['posteriorStepInto, threshold', () => lib.posteriorStepInto(out, inputs, k, threshold)],
    ['posteriorStepInto, float64 table', () => lib.posteriorStepInto(out, inputs, k64, options)],
    ['posteriorStep (pure)', () => lib.posteriorStep(inputs, k, options)],
    ['step with a generator', () => lib.step(s, { modelOutput, sample, timestep: 500, generator: g })],
    ['randnInto', () => lib.randnInto(z, g)],
    ['denoise, 100 steps', () => lib.denoise(s, model, sample, { generator: g })],
  ];
};

const time = (fn) => steadyP50(fn, { min_samples: 8, min_cpu_time: 60e6 });

const rows = [];
for (const backend of ['js', 'wasm']) {
  const sets = {};
  for (const [name, lib] of Object.entries(libs)) {
    rightOf(lib.setBackend(backend));
    sets[name] = casesOf(lib);
  }
  const names = sets.before.map(([name]) => name);
  for (let c = 0; c < names.length; c++) {
    const samples = { before: [], after: [] };
    for (let r = 0; r < ROUNDS; r++) {
      // interleaved, the order swapped every other round
      for (const which of r % 2 === 0 ? ['before', 'after'] : ['after', 'before']) {
        rightOf(libs[which].setBackend(backend));
        samples[which].push(await time(sets[which][c][1]));
      }
    }
    const [before, after] = [median(samples.before), median(samples.after)];
    rows.push([backend, names[c], formatTime(before), formatTime(after), formatRatio(after / before)]);
    process.stderr.write(`${backend} ${names[c]}: ${formatTime(before)} -> ${formatTime(after)}\n`);
  }
}
process.stdout.write(markdownTable(['backend', `case (${N} elements)`, 'before', 'after', 'after / before'], rows) + '\n');
