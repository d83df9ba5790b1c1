import * as E from 'fp-ts/lib/Either.js';
import { TORCH_FLAVORS, bitDifference, float32Of, tensorOfFixture, torchStep } from '../../test-utils/torchFixtures.js';
import { addNoiseWith } from './addNoiseWith.js';

// the inputs are the same numpy draws in both captures; the default capture's linear table serves the error tests
const fx = torchStep('default');
const table = float32Of(fx.schedules.linear?.alphasCumprod ?? []);
const sample = tensorOfFixture(fx.sample, fx.shape);
const noise = tensorOfFixture(fx.noise, fx.shape);

describe('addNoiseWith', () => {
  describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("against diffusers' add_noise on torch 1.13 (fixtures/torch/%s/step.json)", (flavor) => {
    const torch = torchStep(flavor);
    it.each(torch.addNoise.map((c) => [c.schedule, c.timesteps, c] as const))("'%s' at timesteps %p: torch's float32 values bit for bit", (_schedule, timesteps, c) => {
      // torch's own alphasCumprod: its linear and scaled_linear betas come from torch 1.13's linspace
      const alphasCumprod = float32Of(torch.schedules[c.schedule]?.alphasCumprod ?? []);
      // one timestep per item, and (where the fixture repeated one) that one timestep for the batch
      const shared = timesteps.every((t) => t === timesteps[0]);
      for (const t of shared ? [timesteps, timesteps[0] as number] : [timesteps]) {
        const r = addNoiseWith(alphasCumprod, sample, noise, t);
        if (E.isLeft(r)) throw new Error(r.left.message);
        expect(bitDifference(r.right.data, c.noisy)).toBeNull();
      }
    });
  });

  it('rejects timesteps outside the schedule and lists of the wrong length', () => {
    const r1 = addNoiseWith(table, sample, noise, 1000);
    expect(E.isLeft(r1) && r1.left._tag).toBe('InvalidTimestep');
    const r2 = addNoiseWith(table, sample, noise, [1, 2, 3]);
    expect(E.isLeft(r2) && r2.left.message).toBe('timesteps.length: received 3; allowed: 1 or the batch size 2');
  });
});
