import * as E from 'fp-ts/lib/Either.js';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { fromDiffusersConfig } from './fromDiffusersConfig.js';
import { setTimesteps } from './setTimesteps.js';
import { SD15_SCHEDULER_CONFIG } from '../../test-utils/diffusersConfigs.js';

const sd15 = SD15_SCHEDULER_CONFIG;

// A DDPM CIFAR-10 style config (google/ddpm-cifar10-32).
const cifar10 = {
  _class_name: 'DDPMScheduler',
  _diffusers_version: '0.1.1',
  beta_end: 0.02,
  beta_schedule: 'linear',
  beta_start: 0.0001,
  clip_sample: true,
  num_train_timesteps: 1000,
  trained_betas: null,
  variance_type: 'fixed_large',
};

describe('fromDiffusersConfig', () => {
  it("loads Stable Diffusion 1.5's config; 50 steps give 981, 961, ..., 1", () => {
    const s = unwrap(fromDiffusersConfig(sd15));
    expect(s.config).toMatchObject({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, stepsOffset: 1, clipSample: false, trainedBetas: null });
    expect(s.warnings).toHaveLength(3);
    const t = unwrap(setTimesteps(s, 50)).timesteps;
    expect(t[0]).toBe(981);
    expect(t[1]).toBe(961);
    expect(t[49]).toBe(1);
  });

  it('loads a DDPM CIFAR-10 config with fixed_large variance and clipping, without warnings', () => {
    const s = unwrap(fromDiffusersConfig(cifar10));
    expect(s.config).toMatchObject({ varianceType: 'fixed_large', clipSample: true, betaSchedule: 'linear' });
    expect(s.warnings).toEqual([]);
  });

  it('checks JSON types first, then reports every invalid value at once', () => {
    const r = fromDiffusersConfig({ beta_end: 'x', variance_type: 'huge' });
    // the JSON types are checked first: a type error stops before the values are judged
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidNumber', parameter: 'beta_end' });
    const v = fromDiffusersConfig({ beta_end: 3, variance_type: 'huge' });
    expect(E.isLeft(v) && v.left._tag === 'InvalidConfig' && v.left.errors.map((e) => e.parameter)).toEqual(['betaEnd', 'varianceType']);
  });

  it('refuses a non-object', () => {
    expect(E.isLeft(fromDiffusersConfig('{}'))).toBe(true);
  });
});

describe('fromDiffusersConfig: bounded resources', () => {
  it('refuses num_train_timesteps past 1 000 000 at once, instead of building tables until memory runs out', () => {
    const r = fromDiffusersConfig({ num_train_timesteps: 2147483647 });
    expect(E.isLeft(r) && r.left.message).toMatch(/numTrainTimesteps: received 2147483647; allowed: an integer in \[1, 1000000\]/);
  });
});
