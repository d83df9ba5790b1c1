// Exhaustive accuracy sweep of the WebAssembly kernels' Box-Muller functions (docs/backends.md quotes
// its output): the log (fdlibm's method in double, rounded to float32) and the sine and cosine (the
// reduction and fdlibm's polynomials in double, rounded), which run the same double operations as
// src/kernels/js/sincos.ts (src/kernels/boxMullerExhaustive.test.ts checks that they give its bits on each of
// their 2^24 inputs). Reference: the double-precision Math function rounded to float32, i.e. the
// correctly rounded float32 result (up to the rare double-rounding tie). Sweeps every float32 in the
// range the generator uses, and every value the generator can actually produce:
//   log: every normal float32 in [2^-126, 1]; and the 2^24 values u1 = 1 - k 2^-24 Box-Muller feeds it
//   sin, cos: every float32 in [0, 2 pi); and the 2^24 angles float32(2 pi k 2^-24)
//   radius sqrt(-2 log u1): the 2^24 values of u1
// Takes a few minutes (two sweeps of about 10^9 values). Usage: node scripts/wasm-accuracy.mjs
/* global Buffer, WebAssembly */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const generated = readFileSync(`${root}src/wasm/generated/kernels.wasm.ts`, 'utf8');
const base64 = [...generated.matchAll(/^ {2}'([A-Za-z0-9+/=]+)',$/gm)].map((m) => m[1]).join('');
const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(base64, 'base64')), {
  env: { abort: () => { throw new Error('abort'); } },
});
const { memory, logArray, sinCosArray } = instance.exports;
memory.grow(64);

const CHUNK = 1 << 18;
const BASE = 1 << 16;
const f32 = () => new Float32Array(memory.buffer);
const bitsToFloat = (() => {
  const u = new Uint32Array(1);
  const f = new Float32Array(u.buffer);
  return (b) => ((u[0] = b), f[0]);
})();
const ordered = (() => {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  return (x) => ((f[0] = x), u[0] & 0x80000000 ? -(u[0] & 0x7fffffff) : u[0]);
})();
const ulp = (a, b) => Math.abs(ordered(a) - ordered(b));

/** Runs `kernel` over values made by `input(i)` for i in [0, count), tracking the worst ulp per output. */
const sweep = (label, count, input, outputs) => {
  const worst = outputs.map(() => ({ ulp: 0, at: NaN }));
  const histograms = outputs.map(() => [0, 0, 0, 0]);
  const inOff = BASE >> 2;
  const outOff = outputs.map((_, j) => inOff + (j + 1) * CHUNK);
  for (let start = 0; start < count; start += CHUNK) {
    const n = Math.min(CHUNK, count - start);
    const mem = f32();
    for (let i = 0; i < n; i++) mem[inOff + i] = input(start + i);
    const padded = (n + 3) & ~3;
    for (let i = n; i < padded; i++) mem[inOff + i] = mem[inOff];
    outputs[0].run(BASE, padded, outOff.map((o) => o * 4));
    for (let j = 0; j < outputs.length; j++) {
      const { reference } = outputs[j];
      for (let i = 0; i < n; i++) {
        const x = mem[inOff + i];
        const e = ulp(mem[outOff[j] + i], Math.fround(reference(x)));
        histograms[j][Math.min(e, 3)]++;
        if (e > worst[j].ulp) worst[j] = { ulp: e, at: x };
      }
    }
  }
  outputs.forEach((o, j) => {
    const h = histograms[j];
    const at = worst[j].ulp > 0 ? ` (at ${worst[j].at})` : '';
    console.log(`${label.padEnd(44)} ${o.name.padEnd(6)} max ${worst[j].ulp} ulp${at}  ` +
      `0 ulp: ${h[0]}, 1 ulp: ${h[1]}, 2 ulp: ${h[2]}, >= 3 ulp: ${h[3]}`);
  });
};

const logOut = [{ name: 'log', reference: Math.log, run: (i, n, [o]) => logArray(i, o, n) }];
const trigOut = [
  { name: 'sin', reference: Math.sin, run: (i, n, [s, c]) => sinCosArray(i, s, c, n) },
  { name: 'cos', reference: Math.cos },
];
const radiusOut = [{
  name: 'radius',
  reference: (u1) => Math.sqrt(-2 * Math.fround(Math.log(u1))),
  run: (i, n, [o]) => {
    logArray(i, o, n);
    const mem = f32();
    for (let k = 0; k < n; k++) mem[(o >> 2) + k] = Math.sqrt(-2 * mem[(o >> 2) + k]);
  },
}];

const ONE = 0x3f800000;
const MIN_NORMAL = 0x00800000;
const TWO_PI_BITS = (() => { const f = new Float32Array([2 * Math.PI]); return new Uint32Array(f.buffer)[0]; })();

sweep('every float32 u1 = 1 - k 2^-24 (Box-Muller)', 1 << 24, (k) => 1 - k / 16777216, logOut);
sweep('every float32 u1 = 1 - k 2^-24 (Box-Muller)', 1 << 24, (k) => 1 - k / 16777216, radiusOut);
sweep('every angle float32(2 pi k 2^-24)', 1 << 24, (k) => Math.fround(2 * Math.PI * (k / 16777216)), trigOut);
sweep('every normal float32 in [2^-126, 1]', ONE - MIN_NORMAL + 1, (i) => bitsToFloat(MIN_NORMAL + i), logOut);
// float32(2 pi) rounds down, so every float32 up to and including it lies in [0, 2 pi)
sweep('every float32 in [0, 2 pi)', TWO_PI_BITS + 1, (i) => bitsToFloat(i), trigOut);
