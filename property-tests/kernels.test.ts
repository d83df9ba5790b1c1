// The two kernel backends are one function: for any pass scalars and any operands, both passes give
// the bits of the specification, element for element; for any seed and size, both draw the same noise.
import fc from 'fast-check';
import { jsKernels } from '../src/kernels/js/index.js';
import { posteriorElement } from '../src/kernels/posteriorElement.js';
import { activeKernels, backend, setBackend } from '../src/kernels/select.js';
import type { Kernels, PassScalars } from '../src/kernels/types.js';
import { randn, torchGenerator, generatorState } from '../src/random/index.js';
import { float32ValuesArb, passScalarsArb } from './arbitraries.js';

const initial = backend();
setBackend('wasm');
const wasmKernels: Kernels = activeKernels();
setBackend(initial);
afterAll(() => setBackend(initial));

const bits = (a: Float32Array): Array<number | 'NaN'> => Array.from(new Uint32Array(a.slice().buffer), (u, i) => (Number.isNaN(a[i]) ? 'NaN' : u));

type Operands = readonly [model: Float32Array, sample: Float32Array, noise: Float32Array, variance: Float32Array];

const passOf = (k: Kernels, s: PassScalars, [m, x, z, v]: Operands): [Float32Array, Float32Array] => {
  const n = x.length;
  const prev = new Float32Array(n);
  const x0 = new Float32Array(n);
  const at = (data: Float32Array) => ({ data, offset: 0 });
  const learned = s.noise === 2 || s.noise === 3;
  k.posteriorPass({ prev: at(prev), x0: at(x0), model: at(m), sample: at(x), noise: s.noise === 0 ? null : at(z), variance: learned ? at(v) : null }, n, s);
  return [x0, prev];
};

describe('the kernel backends', () => {
  it('give the bits of posteriorElement for any scalars and operands (lengths across the JS block size)', () => {
    fc.assert(
      fc.property(
        passScalarsArb,
        fc.integer({ min: 1, max: 1100 }).chain((n) => fc.tuple(float32ValuesArb(n), float32ValuesArb(n), float32ValuesArb(n), float32ValuesArb(n))),
        (s, operands) => {
          const [m, x, z, v] = operands;
          const expected = [new Float32Array(x.length), new Float32Array(x.length)];
          for (let i = 0; i < x.length; i++) {
            const [y, p] = posteriorElement(x[i] as number, m[i] as number, z[i] as number, v[i] as number, s);
            (expected[0] as Float32Array)[i] = y;
            (expected[1] as Float32Array)[i] = p;
          }
          for (const k of [jsKernels, wasmKernels]) {
            const [x0, prev] = passOf(k, s, operands);
            expect(bits(x0)).toEqual(bits(expected[0] as Float32Array));
            expect(bits(prev)).toEqual(bits(expected[1] as Float32Array));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('draw the same randn for any seed and size, and leave the same generator state', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }), fc.integer({ min: 1, max: 5000 }), (seed, n) => {
        const draw = (which: 'js' | 'wasm') => {
          setBackend(which);
          const [t, g] = randn(torchGenerator(seed), [n]);
          return [bits(t.data), generatorState(g)];
        };
        expect(draw('wasm')).toEqual(draw('js'));
      }),
      { numRuns: 200 },
    );
  });
});
