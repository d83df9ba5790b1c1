import * as E from 'fp-ts/lib/Either.js';
import { checkObject, checkStepOptions, checkTable, checkThresholdIn, checkVarianceType } from './checks.js';
import { ddpmStep } from './ddpmStep.js';
import { makeTables } from '../schedule/makeTables.js';
import { posteriorCoefficients } from './posteriorCoefficients.js';
import { posteriorStep } from './posteriorStep.js';
import { defaultStepOptions } from './types.js';
import { tensor } from '../tensor/index.js';

const leftOf = <A>(r: E.Either<{ _tag: string; parameter: string }, A>) => (E.isLeft(r) ? [r.left._tag, r.left.parameter] : 'right');

describe('checkTable', () => {
  it('takes a Float32Array or Float64Array of values in [0, 1] and names the first bad entry', () => {
    expect(E.isRight(checkTable(Float32Array.of(1, 0.5, 0), 'alphasCumprod'))).toBe(true);
    expect(E.isRight(checkTable(Float64Array.of(0.9), 'alphasCumprod'))).toBe(true);
    expect(leftOf(checkTable([0.9, 0.5], 'alphasCumprod'))).toEqual(['InvalidTensor', 'alphasCumprod']);
    expect(leftOf(checkTable(new Float32Array(0), 'alphasCumprod'))).toEqual(['InvalidTensor', 'alphasCumprod.length']);
    expect(leftOf(checkTable(Float32Array.of(0.9, NaN), 'alphasCumprod'))).toEqual(['InvalidTensor', 'alphasCumprod[1]']);
    expect(leftOf(checkTable(Float32Array.of(0.9, 1.5), 'alphasCumprod'))).toEqual(['InvalidTensor', 'alphasCumprod[1]']);
  });
});

describe('checkStepOptions', () => {
  it('accepts defaultStepOptions and reports every bad field at once', () => {
    expect(checkStepOptions(defaultStepOptions)).toEqual(E.right(defaultStepOptions));
    const r = checkStepOptions({ ...defaultStepOptions, predictionType: 'eps', clipSampleRange: -1, thresholding: 'yes' });
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidConfig');
    const parameters = E.isLeft(r) && r.left._tag === 'InvalidConfig' ? r.left.errors.map((e) => e.parameter) : [];
    expect(parameters).toEqual(['options.predictionType', 'options.clipSampleRange', 'options.thresholding']);
    expect(leftOf(checkStepOptions({ ...defaultStepOptions, varianceType: 'bogus' }))).toEqual(['InvalidOption', 'options.varianceType']);
    expect(leftOf(checkStepOptions(null))).toEqual(['InvalidOption', 'options']);
    expect(leftOf(checkStepOptions({ ...defaultStepOptions, sampleMaxValue: Infinity }))).toEqual(['InvalidNumber', 'options.sampleMaxValue']);
  });
});

describe('checkVarianceType and checkObject', () => {
  it('name their parameter', () => {
    expect(leftOf(checkVarianceType('bogus', 'varianceType'))).toEqual(['InvalidOption', 'varianceType']);
    expect(leftOf(checkObject(null, 'inputs', 'an object'))).toEqual(['InvalidOption', 'inputs']);
  });
});

describe('the primitives check what they take', () => {
  const table = Float32Array.from({ length: 10 }, (_, i) => 1 - 0.05 * (i + 1));
  const t = tensor(new Float32Array(4), [1, 4]);

  it("posteriorCoefficients refuses an unknown variance type (it used to return NaN coefficients)", () => {
    expect(leftOf(posteriorCoefficients(table, 5, 4, 'bogus' as never))).toEqual(['InvalidOption', 'varianceType']);
  });

  it('posteriorStep takes changed coefficients (custom samplers) but refuses unusable ones, options with a bogus mode, and coefficients made for another variance type', () => {
    const k = E.getOrElseW(() => { throw new Error('k'); })(posteriorCoefficients(table, 5, 4));
    const inputs = { modelOutput: t, sample: t, noise: t };
    // the DDIM recipe's x0-only step: the noise switched off
    expect(E.isRight(posteriorStep(inputs, { ...k, addsNoise: false, noiseScale: 0 }, defaultStepOptions))).toBe(true);
    expect(leftOf(posteriorStep(inputs, {} as never, defaultStepOptions))).toEqual(['InvalidOption', 'coefficients.precision']);
    expect(leftOf(posteriorStep(inputs, { ...k, currentSampleCoeff: NaN }, defaultStepOptions))).toEqual(['InvalidNumber', 'coefficients.currentSampleCoeff']);
    expect(leftOf(posteriorStep(inputs, { ...k, sqrtAlphaProdT: 0 }, defaultStepOptions))).toEqual(['InvalidNumber', 'coefficients.sqrtAlphaProdT']);
    expect(leftOf(posteriorStep(inputs, [k, { ...k, alphaProdT: 2 }], defaultStepOptions))).toEqual(['InvalidTimestep', 'coefficients']);
    expect(leftOf(posteriorStep(inputs, k, { ...defaultStepOptions, predictionType: 'eps' as never }))).toEqual(['InvalidOption', 'options.predictionType']);
    const learned = E.getOrElseW(() => { throw new Error('learned'); })(posteriorCoefficients(table, 5, 4, 'learned'));
    expect(leftOf(posteriorStep(inputs, learned, defaultStepOptions))).toEqual(['InvalidNumber', 'coefficients.noiseScale']);
    expect(E.isRight(posteriorStep(inputs, k, defaultStepOptions))).toBe(true);
  });
});

describe('checkThresholdIn', () => {
  const tiny = { ...defaultStepOptions, thresholding: true, sampleMaxValue: 1e-46 };
  const x = tensor(new Float32Array(8).fill(0.5), [2, 4]);

  it('refuses a largest threshold that is 0 in float32, only when thresholding in float32', () => {
    expect(leftOf(checkThresholdIn(tiny, 'float32'))).toEqual(['InvalidNumber', 'options.sampleMaxValue']);
    expect(E.isRight(checkThresholdIn(tiny, 'float64'))).toBe(true);
    expect(E.isRight(checkThresholdIn({ ...tiny, thresholding: false }, 'float32'))).toBe(true);
    expect(E.isRight(checkThresholdIn({ ...tiny, sampleMaxValue: 2 ** -149 }, 'float32'))).toBe(true);
  });

  it('posteriorStep and ddpmStep give that error instead of NaN outputs', () => {
    const alphasCumprod = makeTables(new Float32Array(10).fill(0.01)).alphasCumprod;
    const k = E.getOrElseW(() => { throw new Error('coefficients'); })(posteriorCoefficients(alphasCumprod, 5, 4));
    expect(leftOf(posteriorStep({ modelOutput: x, sample: x, noise: x }, k, tiny))).toEqual(['InvalidNumber', 'options.sampleMaxValue']);
    expect(leftOf(ddpmStep(alphasCumprod, tiny, { modelOutput: x, sample: x, timestep: 5, prevTimestep: 4, noise: x }))).toEqual([
      'InvalidNumber',
      'options.sampleMaxValue',
    ]);
  });
});
