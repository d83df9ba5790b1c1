import { unwrap } from '../../test-utils/diffusersTest.js';
import { fromDiffusersConfig } from './fromDiffusersConfig.js';
import { createScheduler } from './scheduler.js';
import { toDiffusersConfig } from './toDiffusersConfig.js';

describe('toDiffusersConfig', () => {
  it('writes every DDPMScheduler key in snake_case with _class_name DDPMScheduler', () => {
    expect(toDiffusersConfig(unwrap(createScheduler()))).toEqual({
      _class_name: 'DDPMScheduler',
      num_train_timesteps: 1000,
      beta_start: 0.0001,
      beta_end: 0.02,
      beta_schedule: 'linear',
      trained_betas: null,
      variance_type: 'fixed_small',
      clip_sample: true,
      prediction_type: 'epsilon',
      thresholding: false,
      dynamic_thresholding_ratio: 0.995,
      clip_sample_range: 1,
      sample_max_value: 1,
      timestep_spacing: 'leading',
      steps_offset: 0,
      rescale_betas_zero_snr: false,
    });
  });

  it('writes _precision only when it is float64', () => {
    expect(toDiffusersConfig(unwrap(createScheduler({ precision: 'float64' })))._precision).toBe('float64');
    expect('_precision' in toDiffusersConfig(unwrap(createScheduler()))).toBe(false);
  });

  it('round-trips through JSON text to the same config', () => {
    const s = unwrap(
      createScheduler({ numTrainTimesteps: 4, trainedBetas: [0.1, 0.2, 0.3, 0.4], varianceType: 'learned_range', timestepSpacing: 'trailing', precision: 'float64' }),
    );
    const back = unwrap(fromDiffusersConfig(JSON.parse(JSON.stringify(toDiffusersConfig(s)))));
    expect(back.config).toEqual(s.config);
    expect(back.warnings).toEqual([]);
    expect(Array.from(back.alphasCumprod)).toEqual(Array.from(s.alphasCumprod));
  });
});
