import * as E from 'fp-ts/lib/Either.js';
import { maxUlpDistance32 } from '../../test-utils/float.js';
import { readRandomFixture } from '../../test-utils/random-fixture.js';
import { GeneratorValue } from '../random/generator.js';
import { rand, randn, randnInto, torchGenerator, generatorState, type TorchGenerator } from '../random/index.js';
import { allocTensor, freeTensor } from './allocTensor.js';
import { backend, setBackend } from '../kernels/select.js';
import { CPU_CAPABILITIES, type CpuCapability } from '../cpuCapability.js';
import { jsNormalBlocks } from '../kernels/js/normalBlocks.js';
import { KERNELS_RELAXED_WASM_BASE64 } from './generated/kernels-relaxed.wasm.js';
import { KERNELS_WASM_BASE64 } from './generated/kernels.wasm.js';
import { CHUNK, decodeBase64, kernels, STAGING, STATE, STEP_BLOCK, STEP_BLOCK_BYTES } from './instance.js';
import { wasmNormalBlocks } from './randnBlocks.js';

const initial = backend();
afterAll(() => setBackend(initial));
const fixture = readRandomFixture('default');
const CAPABILITIES: ReadonlyArray<CpuCapability> = CPU_CAPABILITIES;

/** How many elements of two equally long float32 arrays differ in their bits (-0 and +0 differ). */
const bitMismatches = (a: Float32Array, b: Float32Array): number => {
  expect(a.length).toBe(b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let count = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) count++;
  return count;
};

/** Draws with one backend, from a fresh generator of `seed`. */
const draw = (which: 'js' | 'wasm', seed: number, n: number): [Float32Array, TorchGenerator] => {
  setBackend(which);
  const out = new Float32Array(n);
  const next = randnInto(out, torchGenerator(seed));
  return [out, next];
};

describe('randn on the WebAssembly backend', () => {
  beforeEach(() => setBackend('wasm'));

  it.each(fixture.cases.map((c) => [c.name, c] as const))(
    'equals the numpy transcription of PyTorch (0 ulp, 1 for n < 16) and ends in the same state: %s',
    (_name, c) => {
      let g: TorchGenerator = torchGenerator(BigInt(c.seed));
      for (const call of c.calls) {
        const [tensor, next] = call.op === 'randn' ? randn(g, call.shape) : rand(g, call.shape);
        const values = call.indices === undefined ? tensor.data : call.indices.map((i) => tensor.data[i] as number);
        // n < 16 is the double path, where V8's and glibc's double sin/cos may differ in the last bit
        expect(maxUlpDistance32(values, call.values)).toBeLessThanOrEqual(call.op === 'randn' && call.numel < 16 ? 1 : 0);
        g = next;
      }
      const state = generatorState(g);
      expect(state.index).toBe(c.final.index);
      expect(state.words[0]).toBe(c.final.word0);
    },
  );

  it.each([16, 17, 31, 624, 1000, 2 * CHUNK + 40, 100_003])(
    'gives the bits of the JavaScript backend and leaves the same generator state, n = %i',
    (n) => {
      const [wasm, wasmNext] = draw('wasm', 11, n);
      const [js, jsNext] = draw('js', 11, n);
      expect(bitMismatches(wasm, js)).toBe(0);
      expect(generatorState(wasmNext)).toEqual(generatorState(jsNext));
    },
  );

  it('chains: draws from the returned generators give the bits of the JavaScript chain', () => {
    let gw: TorchGenerator = torchGenerator(5);
    let gj: TorchGenerator = torchGenerator(5);
    for (const n of [40, 700, 33, 5000]) {
      const [w, nw] = (setBackend('wasm'), randn(gw, [n]));
      const [j, nj] = (setBackend('js'), randn(gj, [n]));
      expect(bitMismatches(w.data, j.data)).toBe(0);
      [gw, gj] = [nw, nj];
    }
    expect(generatorState(gw)).toEqual(generatorState(gj));
  });

  it('never writes the words of the generator it reads, and shares them when it does not regenerate', () => {
    const g = torchGenerator(9);
    const [, afterFirst] = randn(g, [624]);
    const before = Array.from((afterFirst as GeneratorValue).words);
    const [, same] = randn(afterFirst, [0]);
    expect(same).toBe(afterFirst);
    randn(afterFirst, [5000]);
    expect(Array.from((afterFirst as GeneratorValue).words)).toEqual(before);
    // index 624 -> one regeneration -> fresh words; then 16 more draws share them
    const [, next] = randn(afterFirst, [16]);
    const [, after] = randn(next, [16]);
    expect((after as GeneratorValue).words).toBe((next as GeneratorValue).words);
  });

  it('draws straight into a tensor in WASM memory with the same values as into a plain array', () => {
    const n = CHUNK + 48;
    const t = E.getOrElseW((e: { message: string }) => { throw new Error(e.message); })(allocTensor([n]));
    const nextDirect = randnInto(t.data, torchGenerator(3));
    const plain = new Float32Array(n);
    const nextPlain = randnInto(plain, torchGenerator(3));
    expect(Array.from(t.data)).toEqual(Array.from(plain));
    expect(generatorState(nextDirect)).toEqual(generatorState(nextPlain));
    expect(E.isRight(freeTensor(t))).toBe(true);
  });

  it.each(CAPABILITIES)(
    'leaves the generator words untouched and returns fresh ones only after a regeneration, as the JS kernel does (%s)',
    (capability) => {
      const k = kernels();
      if (k === null) throw new Error('no WebAssembly here');
      const g = torchGenerator(0) as GeneratorValue;
      const before = g.words.slice();
      for (const n of [16, 100, 623, 624, 625, 5000]) {
        const [a, b] = [new Float32Array(n), new Float32Array(n)];
        const wasm = wasmNormalBlocks(k, a, g.words, g.index, capability);
        const js = jsNormalBlocks(b, g.words, g.index, capability);
        expect(bitMismatches(a, b)).toBe(0);
        expect(wasm.index).toBe(js.index);
        expect(wasm.words === null).toBe(js.words === null);
        if (wasm.words !== null) expect(Array.from(wasm.words)).toEqual(Array.from(js.words as Uint32Array));
      }
      expect(Array.from(g.words)).toEqual(Array.from(before));
    },
  );
});

const SEEDS = [0n, 1n, 42n, 2n ** 32n - 1n, 2n ** 63n + 12345n];
const SIZES = [...Array.from({ length: 85 }, (_, i) => 16 + i), 255, 624, 625, 768, 1000, 4099, 16384, 65536];
// Mixed sequences: the double path's cached value, ragged tails, regenerations inside a block, rand between.
const SEQUENCES: ReadonlyArray<ReadonlyArray<readonly ['randn' | 'rand', number]>> = [
  [['randn', 3], ['randn', 16], ['randn', 1], ['rand', 5], ['randn', 33], ['randn', 7], ['randn', 4099]],
  [['rand', 619], ['randn', 16], ['randn', 15], ['randn', 17], ['rand', 1], ['randn', 65536], ['randn', 2]],
  [['randn', 255], ['rand', 300], ['randn', 1000], ['randn', 1], ['randn', 768], ['rand', 16], ['randn', 100]],
];

/** Runs `calls` from a fresh generator of `seed` and `capability` on one backend: every value drawn, then the state. */
const run = (
  which: 'js' | 'wasm',
  seed: bigint,
  capability: CpuCapability,
  calls: ReadonlyArray<readonly ['randn' | 'rand', number]>,
) => {
  setBackend(which);
  let g: TorchGenerator = torchGenerator(seed, { cpuCapability: capability });
  const drawn: Float32Array[] = [];
  for (const [op, n] of calls) {
    const [tensor, next] = op === 'randn' ? randn(g, [n]) : rand(g, [n]);
    drawn.push(tensor.data);
    g = next;
  }
  return { drawn, state: generatorState(g) };
};

const CASES = CAPABILITIES.flatMap((capability) => SEEDS.map((seed) => [`${capability}, seed ${seed}`, capability, seed] as const));

describe('randn gives identical bits on both backends, in every cpuCapability flavor', () => {
  it.each(CASES)('for every size 16-100, 255, 624, 625, 768, 1000, 4099, 16384 and 65536: %s', (_name, capability, seed) => {
    for (const n of SIZES) {
      const js = run('js', seed, capability, [['randn', n]]);
      const wasm = run('wasm', seed, capability, [['randn', n]]);
      expect([n, bitMismatches(wasm.drawn[0] as Float32Array, js.drawn[0] as Float32Array)]).toEqual([n, 0]);
      expect(wasm.state).toEqual(js.state);
    }
  });

  it.each(CASES.flatMap(([name, capability, seed]) => SEQUENCES.map((calls, i) => [`${name}, sequence ${i}`, capability, seed, calls] as const)))(
    'for call sequences mixing small and large randn with rand: %s',
    (_name, capability, seed, calls) => {
      const js = run('js', seed, capability, calls);
      const wasm = run('wasm', seed, capability, calls);
      js.drawn.forEach((values, i) => expect([i, bitMismatches(wasm.drawn[i] as Float32Array, values)]).toEqual([i, 0]));
      expect(wasm.state).toEqual(js.state);
    },
  );
});

/** Reads an unsigned LEB128 number at `at`; returns it and the position after it. */
const leb = (bytes: Uint8Array, at: number): [number, number] => {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const b = bytes[i++] as number;
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, i];
  }
};

/** The [start, end) byte ranges the module's active data segments initialise (i32.const offsets). */
const dataSegments = (bytes: Uint8Array): [number, number][] => {
  const ranges: [number, number][] = [];
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at] as number;
    const [size, body] = leb(bytes, at + 1);
    if (id === 11) {
      let [count, i] = leb(bytes, body);
      for (; count > 0; count--) {
        const [flags, afterFlags] = leb(bytes, i);
        expect(flags).toBe(0);
        expect(bytes[afterFlags]).toBe(0x41); // i32.const
        const [offset, afterOffset] = leb(bytes, afterFlags + 1);
        expect(bytes[afterOffset]).toBe(0x0b); // end
        const [length, data] = leb(bytes, afterOffset + 1);
        ranges.push([offset, offset + length]);
        i = data + length;
      }
    }
    at = body + size;
  }
  return ranges;
};

describe('the kernels\' constant tables, in both builds', () => {
  it.each([
    ['simd', KERNELS_WASM_BASE64],
    ['relaxed-simd', KERNELS_RELAXED_WASM_BASE64],
  ])('%s: lie between the MT19937 state and step parameter block and the staging chunks, so that none overwrites them', (_build, base64) => {
    expect(STEP_BLOCK).toBe(STATE + 624 * 4);
    const ranges = dataSegments(decodeBase64(base64));
    expect(ranges.length).toBeGreaterThan(0);
    for (const [start, end] of ranges) {
      expect(start).toBeGreaterThanOrEqual(STEP_BLOCK + STEP_BLOCK_BYTES);
      expect(end).toBeLessThanOrEqual(STAGING);
    }
  });
});
