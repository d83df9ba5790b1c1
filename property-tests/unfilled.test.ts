import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import ndarray from 'ndarray';
import { rand, randn, torchGenerator } from '../src/random/index.js';
import { addNoise, createScheduler, denoise, getVelocity, setTimesteps, step, type DDPMScheduler } from '../src/scheduler/index.js';
import type { Tensor } from '../src/tensor/index.js';
import { withUnfilledSource, type UnfilledSource } from '../src/tensor/unfilled.js';
import { tensorArb, validConfigArb } from './arbitraries.js';

// Outputs over unfilled memory (src/tensor/unfilled.ts) are written in full: for any valid config,
// shape and inputs, the library returns the same bits when that memory is filled with NaN as with
// ordinary zero-filled arrays, and no NaN at all from finite inputs under an accepted config.

const RUNS = { numRuns: 150 };

/** Every float32 of this memory reads as NaN (all bits set). */
const poisoned: UnfilledSource = (bytes) => new Uint8Array(bytes).fill(0xff);

const bits = (t: Tensor): string => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('base64');

/** The bits of what `call` returns with ordinary arrays and with poisoned memory: equal, else the property fails. */
const samePoisoned = (call: () => ReadonlyArray<Tensor> | null): boolean => {
  const ordinary = withUnfilledSource(null, call);
  const poisonedRun = withUnfilledSource(poisoned, call);
  if (ordinary === null || poisonedRun === null) return ordinary === poisonedRun;
  return ordinary.length === poisonedRun.length && ordinary.every((t, i) => bits(t) === bits(poisonedRun[i] as Tensor));
};

const shapeArb = fc
  .record({ batch: fc.integer({ min: 1, max: 3 }), channels: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 9 }), w: fc.integer({ min: 1, max: 9 }) })
  .map(({ batch, channels, h, w }) => [batch, channels, h, w]);

describe('outputs over unfilled memory are written in full', () => {
  it('randn and rand: the same bits with NaN-filled memory, for any length and seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom('default', 'avx2', 'avx512' as const), (n, seed, cpuCapability) =>
        samePoisoned(() => [randn(torchGenerator(seed, { cpuCapability }), [n])[0], rand(torchGenerator(seed), [n])[0]]),
      ),
      RUNS,
    );
  });

  it('step (drawn noise, per-item timesteps), addNoise and getVelocity: the same bits for any config and shape', () => {
    fc.assert(
      fc.property(
        validConfigArb,
        shapeArb.chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            sample: tensorArb(shape),
            model: tensorArb([shape[0] as number, 2 * (shape[1] as number), shape[2] as number, shape[3] as number]),
            fractions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: shape[0] as number, maxLength: shape[0] as number }),
          }),
        ),
        fc.integer({ min: 0, max: 1000 }),
        (config, { shape, sample, model, fractions }, seed) => {
          const created = createScheduler(config);
          if (E.isLeft(created)) return true;
          const s: DDPMScheduler = created.right;
          const learned = config.varianceType === 'learned' || config.varianceType === 'learned_range';
          // the model output's first half of its channels for non-learned variances
          const modelOutput: Tensor = learned ? model : ndarray(model.data.subarray(0, sample.data.length), [...shape]);
          const timesteps = fractions.map((f) => Math.floor(f * (s.alphasCumprod.length - 1)));
          return samePoisoned(() => {
            const stepped = step(s, {
              modelOutput,
              timestep: timesteps,
              sample,
              generator: Array.from({ length: shape[0] as number }, (_, b) => torchGenerator(seed + b, { cpuCapability: s.config.cpuCapability })),
            });
            const mixed = addNoise(s, sample, sample, timesteps);
            const velocity = getVelocity(s, sample, sample, timesteps);
            if (E.isLeft(stepped) || E.isLeft(mixed) || E.isLeft(velocity)) return null;
            return [stepped.right.prevSample, stepped.right.predOriginalSample, mixed.right, velocity.right];
          });
        },
      ),
      RUNS,
    );
  });

  it('denoise: the same previews and result for any config with a few steps', () => {
    fc.assert(
      fc.property(validConfigArb, shapeArb.chain((shape) => tensorArb(shape)), fc.integer({ min: 1, max: 4 }), (config, xT, n) => {
        const created = createScheduler({ ...config, varianceType: 'fixed_small' });
        if (E.isLeft(created)) return true;
        const s = setTimesteps(created.right, Math.min(n, created.right.config.numTrainTimesteps));
        if (E.isLeft(s)) return true;
        return samePoisoned(() => {
          const seen: Tensor[] = [];
          const out = denoise(s.right, (x) => x, xT, {
            generator: torchGenerator(7, { cpuCapability: s.right.config.cpuCapability }),
            onStep: (e) => seen.push(e.prevSample, e.predOriginalSample),
          });
          return E.isLeft(out) ? null : [...seen, out.right.sample];
        });
      }),
      { numRuns: 60 },
    );
  });
});
