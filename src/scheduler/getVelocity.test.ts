import * as E from 'fp-ts/lib/Either.js';
import { deterministicTensor, unwrap } from '../../test-utils/diffusersTest.js';
import { velocityWith } from '../step/index.js';
import { getVelocity } from './getVelocity.js';
import { createScheduler } from './scheduler.js';
import { TORCH_FLAVORS, bitDifference, scheduleConfig, tensorOfFixture, torchStep } from '../../test-utils/torchFixtures.js';

describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("getVelocity against diffusers' get_velocity on torch 1.13 (fixtures/torch/%s/step.json)", (flavor) => {
  const torch = torchStep(flavor);
  const sample = tensorOfFixture(torch.sample, torch.shape);
  const noise = tensorOfFixture(torch.noise, torch.shape);

  it.each(torch.addNoise.map((c) => [c.schedule, c.timesteps, c] as const))("'%s' at timesteps %p: torch's float32 values bit for bit", (_schedule, timesteps, c) => {
    const s = unwrap(createScheduler(scheduleConfig(torch, c.schedule, flavor)));
    expect(bitDifference(unwrap(getVelocity(s, sample, noise, timesteps)).data, c.velocity)).toBeNull();
  });
});

describe('getVelocity', () => {
  const s = unwrap(createScheduler());
  const x = deterministicTensor();
  const eps = deterministicTensor(true);

  it("is the step layer's velocity over the scheduler's alphasCumprod", () => {
    const a = unwrap(getVelocity(s, x, eps, [3, 30, 300, 900]));
    const b = unwrap(velocityWith(s.alphasCumprod, x, eps, [3, 30, 300, 900]));
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('is sqrt(alphaBar) eps - sqrt(1 - alphaBar) x, to float32 rounding', () => {
    const v = unwrap(getVelocity(s, x, eps, 700));
    const ab = s.alphasCumprod[700] as number;
    for (const i of [0, 5, 767]) {
      expect(v.data[i]).toBeCloseTo(Math.sqrt(ab) * (eps.data[i] as number) - Math.sqrt(1 - ab) * (x.data[i] as number), 6);
    }
  });

  it('refuses a value that is not a scheduler', () => {
    expect(E.isLeft(getVelocity(undefined as never, x, eps, 1))).toBe(true);
  });
});
