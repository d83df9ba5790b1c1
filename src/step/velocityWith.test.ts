import * as E from 'fp-ts/lib/Either.js';
import { maxRelativeError } from '../../test-utils/float.js';
import { stepFixture, tensorOf } from '../../test-utils/stepFixture.js';
import { velocityWith } from './velocityWith.js';

const fx = stepFixture();
const table = Float32Array.from(fx.alphasCumprod);
const sample = tensorOf(fx.sample, fx.shape);
const noise = tensorOf(fx.noise, fx.shape);

describe('velocityWith', () => {
  it.each(fx.addNoise.map((c) => [c.timesteps, c] as const))(
    'timesteps %p agree with the numpy transcription of diffusers get_velocity bit for bit',
    (timesteps, c) => {
      const r = velocityWith(table, sample, noise, timesteps);
      if (E.isLeft(r)) throw new Error(r.left.message);
      expect(maxRelativeError(r.right.data, c.velocity.map(Math.fround), 1e-6)).toBe(0);
    },
  );
  it('rejects a Float64Array sample', () => {
    const r = velocityWith(table, { ...sample, data: new Float64Array(96) } as never, noise, 5);
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidTensor');
  });
});
