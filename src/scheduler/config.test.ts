import * as E from 'fp-ts/lib/Either.js';
import { DEFAULT_DDPM_CONFIG, stepOptionsOf, validateConfig } from './config.js';

describe('validateConfig', () => {
  it("fills in diffusers' defaults", () => {
    const r = validateConfig({});
    expect(E.isRight(r) && r.right.config).toEqual(DEFAULT_DDPM_CONFIG);
    expect(E.isRight(r) && r.right.betas).toBeInstanceOf(Float32Array);
    expect(E.isRight(r) && r.right.betas.length).toBe(1000);
  });

  it('keeps what it is given and freezes the result', () => {
    const r = validateConfig({ betaSchedule: 'scaled_linear', stepsOffset: 1, precision: 'float64' });
    expect(E.isRight(r) && r.right.config).toMatchObject({ betaSchedule: 'scaled_linear', stepsOffset: 1, precision: 'float64' });
    expect(E.isRight(r) && Object.isFrozen(r.right.config)).toBe(true);
    expect(E.isRight(r) && r.right.betas).toBeInstanceOf(Float64Array);
  });

  it('copies trained betas into a frozen array', () => {
    const trained = [0.1, 0.2, 0.3];
    const r = validateConfig({ numTrainTimesteps: 3, trainedBetas: trained });
    trained[0] = 0.9;
    expect(E.isRight(r) && r.right.config.trainedBetas).toEqual([0.1, 0.2, 0.3]);
    expect(E.isRight(r) && Object.isFrozen(r.right.config.trainedBetas)).toBe(true);
    expect(E.isRight(r) && Array.from(r.right.betas)).toEqual([0.1, 0.2, 0.3].map(Math.fround));
  });

  it('treats an undefined value as not given', () => {
    const r = validateConfig({ betaEnd: undefined });
    expect(E.isRight(r) && r.right.config.betaEnd).toBe(0.02);
  });

  it('reports every problem at once, beta parameters included', () => {
    const r = validateConfig({ betaEnd: 2, timestepSpacing: 'even', clipSample: 'yes', numTrainTimesteps: 0, betaShedule: 'linear' } as never);
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidConfig');
    const parameters = E.isLeft(r) && r.left._tag === 'InvalidConfig' ? r.left.errors.map((e) => e.parameter).sort() : [];
    expect(parameters).toEqual(['betaEnd', 'betaShedule', 'clipSample', 'numTrainTimesteps', 'timestepSpacing']);
    expect(E.isLeft(r) && r.left.message).toContain('betaShedule');
  });

  it('returns a single problem as itself', () => {
    const r = validateConfig({ predictionType: 'noise' as never });
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidOption', parameter: 'predictionType', received: 'noise' });
    expect(E.isLeft(r) && r.left.message).toContain("'v_prediction'");
  });

  it('refuses a steps offset that leaves no room for a timestep', () => {
    const r = validateConfig({ numTrainTimesteps: 10, stepsOffset: 10 });
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidNumber', parameter: 'stepsOffset' });
  });

  it.each([null, 3, 'linear', [1]])('refuses %p: a config is an object', (input) => {
    const r = validateConfig(input);
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidConfig', parameter: 'config' });
  });
});

describe('stepOptionsOf', () => {
  it('takes the step options of a config', () => {
    expect(stepOptionsOf({ ...DEFAULT_DDPM_CONFIG, thresholding: true, sampleMaxValue: 2 })).toEqual({
      predictionType: 'epsilon',
      varianceType: 'fixed_small',
      clipSample: true,
      clipSampleRange: 1,
      thresholding: true,
      dynamicThresholdingRatio: 0.995,
      sampleMaxValue: 2,
    });
  });
});
