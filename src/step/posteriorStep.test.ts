import * as E from 'fp-ts/lib/Either.js';
import { float32Of, tensorOfFixture, torchStep } from '../../test-utils/torchFixtures.js';
import { coefficientsOf } from './posteriorCoefficients.js';
import { posteriorStep } from './posteriorStep.js';
import { defaultStepOptions } from './types.js';

// inputs and a table from the torch step fixture (its numbers are checked in ddpmStep.test.ts)
const fx = torchStep('default');
const table = float32Of(fx.schedules.linear?.alphasCumprod ?? []);
const sample = tensorOfFixture(fx.sample, fx.shape);
const modelOutput = tensorOfFixture(fx.modelOutput, fx.shape);
const noise = tensorOfFixture(fx.noise, fx.shape);

describe('posteriorStep', () => {
  it('allocates new contiguous outputs of the sample shape and leaves the inputs unchanged', () => {
    const before = [Array.from(sample.data), Array.from(modelOutput.data), Array.from(noise.data)];
    const r = posteriorStep({ modelOutput, sample, noise }, coefficientsOf(table, 999, 998, 'fixed_small'), defaultStepOptions);
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.prevSample.shape).toEqual(fx.shape);
    expect(r.right.prevSample.data).not.toBe(sample.data);
    expect(Object.isFrozen(r.right)).toBe(true);
    expect([Array.from(sample.data), Array.from(modelOutput.data), Array.from(noise.data)]).toEqual(before);
  });

  it('with one set of coefficients per item applies each to its own item', () => {
    const a = coefficientsOf(table, 999, 998, 'fixed_small');
    const b = coefficientsOf(table, 3, 2, 'fixed_small');
    const both = posteriorStep({ modelOutput, sample, noise }, [a, b], defaultStepOptions);
    const onlyB = posteriorStep({ modelOutput, sample, noise }, b, defaultStepOptions);
    if (E.isLeft(both) || E.isLeft(onlyB)) throw new Error('step failed');
    expect(Array.from(both.right.prevSample.data.subarray(48))).toEqual(Array.from(onlyB.right.prevSample.data.subarray(48)));
  });

  it('needs noise only when an item adds noise', () => {
    const r = posteriorStep({ modelOutput, sample }, coefficientsOf(table, 0, -1, 'fixed_small'), defaultStepOptions);
    expect(E.isRight(r)).toBe(true);
    const missing = posteriorStep({ modelOutput, sample }, coefficientsOf(table, 1, 0, 'fixed_small'), defaultStepOptions);
    expect(E.isLeft(missing) && missing.left._tag).toBe('InvalidTensor');
  });
});
