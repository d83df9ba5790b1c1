import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { unetModel, type OrtSessionLike, type OrtTensorLike } from '../cli/src/network.js';
import { createScheduler, setTimesteps, step, type DDPMScheduler } from '../src/scheduler/index.js';
import type { PredictionType } from '../src/step/index.js';
import { tensor, type Tensor } from '../src/tensor/index.js';
import { FakeTensor, fakeOrt } from '../test-utils/fakeOrt.js';

// The network demo's --prediction-type converts the network's epsilon into x0 or v (cli/src/network.ts).
// Invariant: a scheduler of that prediction type, fed the converted output, takes the step the epsilon
// scheduler takes from epsilon itself (x0 and x_{t-1}), up to float32 rounding, at every timestep of the
// schedule and for any sample and network output. A wrong conversion misses by O(1).

const ort = fakeOrt;
const answering = (eps: Float32Array): OrtSessionLike => ({
  run: async (feeds) => ({ noise_pred: new FakeTensor('float32', eps, (feeds.sample as OrtTensorLike).dims) }),
});

const SHAPE = [1, 1, 4, 4];
const SIZE = 16;
const schedulers = new Map<PredictionType, DDPMScheduler>();
const schedulerOf = (predictionType: PredictionType): DDPMScheduler => {
  const cached = schedulers.get(predictionType);
  if (cached !== undefined) return cached;
  const s = E.flatMap(setTimesteps(50))(createScheduler({ predictionType }));
  if (E.isLeft(s)) throw new Error(s.left.message);
  schedulers.set(predictionType, s.right);
  return s.right;
};

const valuesArb = (bound: number) => fc.array(fc.float({ min: -bound, max: bound, noNaN: true }), { minLength: SIZE, maxLength: SIZE }).map((v) => Float32Array.from(v));

const stepOf = (predictionType: PredictionType, modelOutput: Tensor, t: number, x: Tensor, noise: Tensor) => {
  const r = step(schedulerOf(predictionType), { modelOutput, timestep: t, sample: x, noise });
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const worst = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - (b[i] as number))), 0);

describe('the network output converted to another prediction type', () => {
  it('steps like the epsilon scheduler on epsilon, for sample and v_prediction', async () => {
    const eps0 = schedulerOf('epsilon');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Array.from(eps0.timesteps)),
        valuesArb(3),
        valuesArb(3),
        valuesArb(3),
        async (t, xv, ev, nv) => {
          const x = tensor(xv, SHAPE);
          const noise = tensor(nv, SHAPE);
          const reference = stepOf('epsilon', tensor(ev, SHAPE), t, x, noise);
          for (const p of ['sample', 'v_prediction'] as const) {
            const converted = await unetModel(ort, answering(ev), schedulerOf(p), p)(x, t);
            const got = stepOf(p, converted, t, x, noise);
            // x0 lives in [-1, 1] (the default config clips); float32 rounding of the converted output,
            // scaled by at most sqrt((1 - alphaBar) / alphaBar) <= 160 before the clip, stays below 1e-3
            expect(worst(got.predOriginalSample.data, reference.predOriginalSample.data)).toBeLessThan(1e-3);
            expect(worst(got.prevSample.data, reference.prevSample.data)).toBeLessThan(1e-3);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
