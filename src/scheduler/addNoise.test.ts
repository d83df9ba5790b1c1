import * as E from 'fp-ts/lib/Either.js';
import { deterministicTensor, unwrap } from '../../test-utils/diffusersTest.js';
import { addNoiseWith } from '../step/index.js';
import { addNoise } from './addNoise.js';
import { createScheduler } from './scheduler.js';
import { TORCH_FLAVORS, bitDifference, scheduleConfig, tensorOfFixture, torchStep } from '../../test-utils/torchFixtures.js';

describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("addNoise against diffusers' add_noise on torch 1.13 (fixtures/torch/%s/step.json)", (flavor) => {
  const torch = torchStep(flavor);
  const sample = tensorOfFixture(torch.sample, torch.shape);
  const noise = tensorOfFixture(torch.noise, torch.shape);

  it.each(torch.addNoise.map((c) => [c.schedule, c.timesteps, c] as const))("'%s' at timesteps %p: torch's float32 values bit for bit", (_schedule, timesteps, c) => {
    const s = unwrap(createScheduler(scheduleConfig(torch, c.schedule, flavor)));
    expect(bitDifference(unwrap(addNoise(s, sample, noise, timesteps)).data, c.noisy)).toBeNull();
  });
});

describe('addNoise', () => {
  const s = unwrap(createScheduler());
  const x = deterministicTensor();
  const eps = deterministicTensor(true);

  it("is the step layer's forward process over the scheduler's alphasCumprod", () => {
    const a = unwrap(addNoise(s, x, eps, [10, 200, 500, 999]));
    const b = unwrap(addNoiseWith(s.alphasCumprod, x, eps, [10, 200, 500, 999]));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('is sqrt(alphaBar) x + sqrt(1 - alphaBar) eps, to float32 rounding', () => {
    const a = unwrap(addNoise(s, x, eps, 500));
    const ab = s.alphasCumprod[500] as number;
    for (const i of [0, 100, 767]) {
      const expected = Math.sqrt(ab) * (x.data[i] as number) + Math.sqrt(1 - ab) * (eps.data[i] as number);
      expect(a.data[i]).toBeCloseTo(expected, 6);
    }
  });

  it('refuses a value that is not a scheduler, and bad timesteps', () => {
    expect(E.isLeft(addNoise(null as never, x, eps, 1))).toBe(true);
    const r = addNoise(s, x, eps, 1000);
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidTimestep');
  });
});
