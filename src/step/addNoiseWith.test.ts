import * as E from 'fp-ts/lib/Either.js';
import { maxRelativeError } from '../../test-utils/float.js';
import { stepFixture, tensorOf } from '../../test-utils/stepFixture.js';
import { addNoiseWith } from './addNoiseWith.js';

const fx = stepFixture();
const table = Float32Array.from(fx.alphasCumprod);
const sample = tensorOf(fx.sample, fx.shape);
const noise = tensorOf(fx.noise, fx.shape);

describe('addNoiseWith', () => {
  it.each(fx.addNoise.map((c) => [c.timesteps, c] as const))(
    'timesteps %p agree with the numpy transcription of diffusers add_noise bit for bit',
    (timesteps, c) => {
      const r = addNoiseWith(table, sample, noise, timesteps.length === 1 ? (timesteps[0] as number) : timesteps);
      if (E.isLeft(r)) throw new Error(r.left.message);
      expect(maxRelativeError(r.right.data, c.noisy.map(Math.fround), 1e-6)).toBe(0);
    },
  );
  it('rejects timesteps outside the schedule and lists of the wrong length', () => {
    const r1 = addNoiseWith(table, sample, noise, 1000);
    expect(E.isLeft(r1) && r1.left._tag).toBe('InvalidTimestep');
    const r2 = addNoiseWith(table, sample, noise, [1, 2, 3]);
    expect(E.isLeft(r2) && r2.left.message).toBe('timesteps.length: received 3; allowed: 1 or the batch size 2');
  });
});
