import * as E from 'fp-ts/lib/Either.js';
import { DIFFUSERS_KEYS, MAX_TRAINED_BETAS, parseDiffusersConfig } from './diffusersConfig.js';
import { SD15_SCHEDULER_CONFIG } from '../../test-utils/diffusersConfigs.js';

const parsed = (json: unknown) => {
  const r = parseDiffusersConfig(json);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
const failed = (json: unknown) => {
  const r = parseDiffusersConfig(json);
  if (E.isRight(r)) throw new Error('expected an error');
  return r.left;
};

const sd15 = SD15_SCHEDULER_CONFIG;

describe('parseDiffusersConfig', () => {
  it('maps every DDPMScheduler key from snake_case to camelCase', () => {
    const json = {
      num_train_timesteps: 500,
      beta_start: 0.001,
      beta_end: 0.03,
      beta_schedule: 'sigmoid',
      trained_betas: [0.1, 0.2],
      variance_type: 'learned_range',
      clip_sample: false,
      prediction_type: 'v_prediction',
      thresholding: true,
      dynamic_thresholding_ratio: 0.9,
      clip_sample_range: 2,
      sample_max_value: 3,
      timestep_spacing: 'trailing',
      steps_offset: 1,
      rescale_betas_zero_snr: true,
    };
    expect(parsed(json)).toEqual({
      fields: {
        numTrainTimesteps: 500,
        betaStart: 0.001,
        betaEnd: 0.03,
        betaSchedule: 'sigmoid',
        trainedBetas: [0.1, 0.2],
        varianceType: 'learned_range',
        clipSample: false,
        predictionType: 'v_prediction',
        thresholding: true,
        dynamicThresholdingRatio: 0.9,
        clipSampleRange: 2,
        sampleMaxValue: 3,
        timestepSpacing: 'trailing',
        stepsOffset: 1,
        rescaleBetasZeroSnr: true,
      },
      warnings: [],
    });
    expect(DIFFUSERS_KEYS).toHaveLength(15);
  });

  it("reads Stable Diffusion 1.5's PNDMScheduler config and names what it ignores", () => {
    const { fields, warnings } = parsed(sd15);
    expect(fields).toEqual({
      numTrainTimesteps: 1000,
      betaStart: 0.00085,
      betaEnd: 0.012,
      betaSchedule: 'scaled_linear',
      trainedBetas: null,
      clipSample: false,
      stepsOffset: 1,
    });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toContain('PNDMScheduler');
    expect(warnings.some((w) => w.startsWith('set_alpha_to_one:'))).toBe(true);
    expect(warnings.some((w) => w.startsWith('skip_prk_steps:'))).toBe(true);
  });

  it('drops the keys listed in _use_default_values, as diffusers does', () => {
    const { fields, warnings } = parsed({ steps_offset: 1, beta_end: 0.03, _use_default_values: ['steps_offset'] });
    expect(fields).toEqual({ betaEnd: 0.03 });
    expect(warnings).toEqual(['steps_offset: listed in _use_default_values, the default is used']);
  });

  it('reads our own _precision key', () => {
    expect(parsed({ _precision: 'float64' }).fields).toEqual({ precision: 'float64' });
  });

  it('copies trained_betas instead of keeping the caller array', () => {
    const betas = [0.1, 0.2];
    const { fields } = parsed({ trained_betas: betas });
    betas[0] = 0.5;
    expect(fields.trainedBetas).toEqual([0.1, 0.2]);
    expect(Object.isFrozen(fields.trainedBetas)).toBe(true);
  });

  it.each([null, 42, 'text', [1, 2], true, undefined, new Float32Array(2)])('refuses %p: a config is a JSON object', (json) => {
    const e = failed(json);
    expect(e._tag).toBe('InvalidConfig');
    expect(e.parameter).toBe('scheduler_config');
    expect(e.allowed).toBe('a JSON object');
  });

  it.each([
    ['num_train_timesteps', '1000', 'InvalidNumber'],
    ['beta_start', null, 'InvalidNumber'],
    ['beta_schedule', 3, 'InvalidOption'],
    ['clip_sample', 'true', 'InvalidOption'],
    ['thresholding', 0, 'InvalidOption'],
    ['trained_betas', 'abc', 'InvalidBetas'],
    ['trained_betas', { length: 2 }, 'InvalidBetas'],
  ] as const)('refuses %s = %p with %s', (key, value, tag) => {
    const e = failed({ [key]: value });
    expect(e._tag).toBe(tag);
    expect(e.parameter).toBe(key);
    expect(e.message).toContain(key);
  });

  it('names the element of trained_betas that is not a number', () => {
    const e = failed({ trained_betas: [0.1, '0.2'] });
    expect(e.parameter).toBe('trained_betas[1]');
  });

  it('refuses trained_betas longer than the limit without reading it', () => {
    const e = failed({ trained_betas: new Array(MAX_TRAINED_BETAS + 1).fill(0.01) });
    expect(e._tag).toBe('InvalidBetas');
    expect(e.message.length).toBeLessThan(200);
  });

  it('reports every wrongly typed value at once', () => {
    const e = failed({ num_train_timesteps: 'x', beta_schedule: 1, clip_sample: 'no' });
    expect(e._tag).toBe('InvalidConfig');
    expect(e._tag === 'InvalidConfig' && e.errors.map((x) => x.parameter)).toEqual(['num_train_timesteps', 'beta_schedule', 'clip_sample']);
  });

  it('ignores __proto__ and constructor keys and leaves Object.prototype alone', () => {
    const json = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "beta_end": 0.03}');
    const { fields, warnings } = parsed(json);
    expect(fields).toEqual({ betaEnd: 0.03 });
    expect(warnings).toHaveLength(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it('does not read inherited keys', () => {
    const json = Object.create({ beta_end: 0.5 }) as Record<string, unknown>;
    expect(parsed(json).fields).toEqual({});
  });
});

describe('DIFFUSERS_KEYS', () => {
  it('is frozen, rows included, so that no caller can change what later messages say', () => {
    expect(Object.isFrozen(DIFFUSERS_KEYS)).toBe(true);
    expect(DIFFUSERS_KEYS.every((row) => Object.isFrozen(row))).toBe(true);
  });
});
