import { defaultStepOptions } from './types.js';

describe('defaultStepOptions', () => {
  it("are diffusers' DDPMScheduler defaults, frozen", () => {
    expect(defaultStepOptions).toEqual({
      predictionType: 'epsilon',
      varianceType: 'fixed_small',
      clipSample: true,
      clipSampleRange: 1,
      thresholding: false,
      dynamicThresholdingRatio: 0.995,
      sampleMaxValue: 1,
    });
    expect(Object.isFrozen(defaultStepOptions)).toBe(true);
  });
});
