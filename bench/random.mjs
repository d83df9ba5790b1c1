// Speed of the random layer on compiled JS (run after `npm run build`): ns per sample of randnInto
// beside its floors in the same run: the plain MT19937 24-bit uniform fill (randInto), and a bare
// Box-Muller over Math.random (the cost of log, sqrt, sin and cos alone, with no PyTorch semantics).
// Usage: node bench/random.mjs
import { measure } from 'mitata';
import { randInto, randnInto, torchGenerator } from '../dist/esm/index.js';

const N = 1 << 16;
const out = new Float32Array(N);
const g = torchGenerator(0);

const bareBoxMuller = (target) => {
  for (let i = 0; i < target.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - Math.random()));
    const theta = 2 * Math.PI * Math.random();
    target[i] = radius * Math.cos(theta);
    target[i + 1] = radius * Math.sin(theta);
  }
};

const small = new Float32Array(15);
// Small draws chain the generator, as a sampling loop does (a fresh one regenerates on every call).
let chained = g;
const cases = [
  ['randInto: MT19937 uniform fill (floor)', () => randInto(out, g), N],
  ['bare Box-Muller over Math.random (peer)', () => bareBoxMuller(out), N],
  ['randnInto: float32 16-wide blocks', () => randnInto(out, g), N],
  ['randnInto n = 15: double path + cache', () => (chained = randnInto(small, chained)), 15],
  ['randInto n = 1: one uniform', () => (chained = randInto(small.subarray(0, 1), chained)), 1],
];

const results = [];
for (const [name, fn, samples] of cases) {
  const stats = await measure(fn);
  results.push([name, stats.avg / samples]);
}
const floor = results[0][1];
for (const [name, ns] of results) {
  console.log(`${name.padEnd(42)} ${ns.toFixed(2).padStart(8)} ns/sample   ${(ns / floor).toFixed(2)} x uniform fill`);
}
