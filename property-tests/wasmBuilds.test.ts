// Both builds of the WebAssembly kernels draw torch.randn's bits: for any MT19937 state, any position in
// it, any length (ragged tails included) and either flavor family, the relaxed-SIMD build (where this
// engine runs it: `npm run test:relaxed`), the SIMD build and the JavaScript definition (jsNormalBlocks)
// give the same float32 values and leave the generator in the same place.
import fc from 'fast-check';
import type { CpuCapability } from '../src/cpuCapability.js';
import { jsNormalBlocks } from '../src/kernels/js/normalBlocks.js';
import { wasmNormalBlocks } from '../src/wasm/randnBlocks.js';
import { runnableBuilds } from '../test-utils/wasmBuilds.js';

const builds = runnableBuilds();

const stateArb = fc.record({
  words: fc.uint32Array({ minLength: 624, maxLength: 624 }),
  index: fc.integer({ min: 0, max: 624 }),
});
const capabilityArb = fc.constantFrom<CpuCapability>('default', 'avx2', 'avx512');
const lengthArb = fc.oneof(fc.integer({ min: 16, max: 200 }), fc.integer({ min: 16, max: 40_000 }));

const bitsOf = (a: Float32Array): number[] => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

it('the SIMD build runs here', () => expect(builds.map(([b]) => b)).toContain('simd'));

it.each(builds)('the %s build draws the JavaScript kernel\'s bits and advances the generator alike', (_build, k) => {
  fc.assert(
    fc.property(stateArb, lengthArb, capabilityArb, ({ words, index }, n, capability) => {
      const expected = new Float32Array(n);
      const before = words.slice();
      const js = jsNormalBlocks(expected, words, index, capability);
      const got = new Float32Array(n);
      const wasm = wasmNormalBlocks(k, got, words, index, capability);
      // the caller's words are read, never written
      expect(Array.from(words)).toEqual(Array.from(before));
      expect(bitsOf(got)).toEqual(bitsOf(expected));
      expect(wasm.index).toBe(js.index);
      expect(wasm.words === null ? null : Array.from(wasm.words)).toEqual(js.words === null ? null : Array.from(js.words));
    }),
    { numRuns: 60 },
  );
});
