// What the CPU kernel family may and may not change. The families differ only in how torch's float32
// kernels round: the MT19937 stream, rand, the n < 16 double path and the generator state are the
// same in all three; 'default' and 'avx512' run the same scalar randn; 'avx2''s polynomials stay
// within a few float32 ulps of the scalar path; the step of one family never takes another's generator.
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { CPU_CAPABILITIES, type CpuCapability } from '../src/cpuCapability.js';
import { generatorState, rand, randn, torchGenerator } from '../src/random/index.js';
import { createScheduler, step } from '../src/scheduler/index.js';
import { tensor } from '../src/tensor/index.js';

const seedArb = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n });
const capabilityArb = fc.constantFrom<CpuCapability>(...CPU_CAPABILITIES);

const bitsOf = (data: Float32Array): Uint32Array => new Uint32Array(data.slice().buffer);

describe('the CPU kernel family', () => {
  it('leaves rand, the n < 16 path and the generator state alone; default and avx512 draw the same randn', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 15 }), (seed, n, small) => {
        const draws = CPU_CAPABILITIES.map((cpuCapability) => {
          const g = torchGenerator(seed, { cpuCapability });
          const [u, g1] = rand(g, [7]);
          const [z, g2] = randn(g1, [small]);
          const [big, g3] = randn(g2, [n]);
          return { u: bitsOf(u.data), z: bitsOf(z.data), big: big.data, state: generatorState(g3) };
        });
        const [d, a2, a512] = draws as [(typeof draws)[0], (typeof draws)[0], (typeof draws)[0]];
        for (const other of [a2, a512]) {
          expect(other.u).toEqual(d.u);
          expect(other.z).toEqual(d.z);
          expect({ ...other.state, cpuCapability: 'x' }).toEqual({ ...d.state, cpuCapability: 'x' });
        }
        expect(bitsOf(a512.big)).toEqual(bitsOf(d.big));
        if (n < 16) expect(bitsOf(a2.big)).toEqual(bitsOf(d.big));
        // avx2's float32 polynomials approximate the same Box-Muller: a few ulps apart, no more
        for (let i = 0; i < n; i++) {
          const [x, y] = [d.big[i] as number, a2.big[i] as number];
          expect(Math.abs(x - y)).toBeLessThanOrEqual(4e-6 * Math.max(1, Math.abs(x)));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a step refuses a generator of another family, and takes its own', () => {
    const x = tensor(new Float32Array(32).fill(0.25), [1, 32]);
    fc.assert(
      fc.property(capabilityArb, capabilityArb, fc.integer({ min: 1, max: 999 }), (mine, theirs, t) => {
        const s = createScheduler({ cpuCapability: mine });
        if (E.isLeft(s)) throw new Error(s.left.message);
        const r = step(s.right, { modelOutput: x, sample: x, timestep: t, generator: torchGenerator(1, { cpuCapability: theirs }) });
        expect(E.isRight(r)).toBe(mine === theirs);
        if (E.isLeft(r)) expect(r.left).toMatchObject({ _tag: 'InvalidGeneratorState', parameter: 'generator' });
      }),
      { numRuns: 100 },
    );
  });
});
