import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { DEFAULT_DDPM_CONFIG, PREDICTION_TYPES, stepOptionsOf, validateConfig, type DDPMConfig } from './config.js';
import { createScheduler } from './scheduler.js';
import { step } from './step.js';

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
      cpuCapability: 'avx512',
    });
    expect(stepOptionsOf({ ...DEFAULT_DDPM_CONFIG, cpuCapability: 'avx2' }).cpuCapability).toBe('avx2');
  });
});

describe('validateConfig: an accepted config steps finite inputs to finite outputs (issue 15)', () => {
  const tensor = (values: ReadonlyArray<number>) => ndarray(Float32Array.from(values), [1, values.length]);
  const x = tensor([0.7, -3, 10, 0]);
  const model = tensor([0.5, 10, -10, 2]);
  const noise = tensor([0.3, -1, 10, 0]);
  const finiteStep = (config: Partial<DDPMConfig>, timestep: number, modelOutput = model): boolean => {
    const s = createScheduler(config);
    if (E.isLeft(s)) throw new Error(s.left.message);
    const r = step(s.right, { modelOutput, timestep, sample: x, noise });
    if (E.isLeft(r)) throw new Error(r.left.message);
    return [...r.right.prevSample.data, ...r.right.predOriginalSample.data].every(Number.isFinite);
  };
  const problem = (config: Partial<DDPMConfig>) => {
    const r = validateConfig(config);
    return E.isLeft(r) ? r.left : null;
  };

  it('refuses a sampleMaxValue that is 0 in float32 (1e-46: threshold 0, x0 / 0 = NaN in diffusers); any positive float32 stays finite', () => {
    expect(problem({ thresholding: true, sampleMaxValue: 1e-46 })).toMatchObject({
      _tag: 'InvalidNumber',
      parameter: 'sampleMaxValue',
      received: 1e-46,
      allowed: 'a finite number > 0 that stays > 0 in float32 (>= 2^-149 = 1.4e-45)',
    });
    expect(finiteStep({ thresholding: true, sampleMaxValue: 2 ** -149 }, 500)).toBe(true);
    // a float64 config thresholds in double, where 1e-46 is positive
    expect(finiteStep({ thresholding: true, sampleMaxValue: 1e-46, precision: 'float64' }, 500)).toBe(true);
  });

  it('keeps a clipSampleRange that is 0 in float32: x0 is clamped to 0, finite as in diffusers', () => {
    expect(finiteStep({ clipSampleRange: 1e-46 }, 500)).toBe(true);
  });

  it('refuses betaStart = betaEnd = 1 (alphasCumprod 0 from timestep 0: 0 / 0 at every step) for every prediction type', () => {
    for (const predictionType of PREDICTION_TYPES) {
      expect(problem({ betaStart: 1, betaEnd: 1, predictionType })).toMatchObject({ _tag: 'InvalidBetas', parameter: 'alphasCumprod[0]', received: 0 });
    }
    // with one training timestep, a beta of 1 is a zero terminal SNR, and v_prediction steps it
    expect(finiteStep({ numTrainTimesteps: 1, betaStart: 1, betaEnd: 1, predictionType: 'v_prediction' }, 0)).toBe(true);
  });

  it('refuses betaEnd 0.999, whose float32 alphasCumprod underflows to 0 at timestep 420, for every prediction type, rescaled or not', () => {
    for (const predictionType of PREDICTION_TYPES) {
      for (const rescaleBetasZeroSnr of [false, true]) {
        const e = problem({ betaEnd: 0.999, predictionType, rescaleBetasZeroSnr });
        expect(e?._tag).toBe('InvalidBetas');
        // rescaled, the subnormal tail can first repeat a sqrt(alphasCumprod): the rescale's beta 0 is reported
        expect(e?.parameter).toMatch(rescaleBetasZeroSnr ? /^(alphasCumprod\[\d+\]|rescaleBetasZeroSnr)$/ : /^alphasCumprod\[\d+\]$/);
      }
    }
    expect(problem({ betaEnd: 0.999 })?.parameter).toBe('alphasCumprod[420]');
    expect(problem({ betaEnd: 0.999, rescaleBetasZeroSnr: true })?.message).toMatch(/the rescale makes betas\[419\] 0/);
  });

  it('keeps rescaleBetasZeroSnr (alphasCumprod 0 at the last timestep only): v_prediction is finite there, epsilon is refused by step', () => {
    expect(finiteStep({ rescaleBetasZeroSnr: true, predictionType: 'v_prediction' }, 999)).toBe(true);
    expect(finiteStep({ rescaleBetasZeroSnr: true, predictionType: 'sample' }, 999)).toBe(true);
    const s = createScheduler({ rescaleBetasZeroSnr: true });
    const r = E.isRight(s) ? step(s.right, { modelOutput: model, timestep: 999, sample: x, noise }) : s;
    expect(E.isLeft(r) && r.left._tag).toBe('ZeroTerminalSnr');
  });

  it('refuses a zero-SNR rescale that turns a beta into 0 (betas too small to change sqrt(alphasCumprod))', () => {
    expect(problem({ numTrainTimesteps: 3, trainedBetas: [0.1, 1e-9, 0.2], rescaleBetasZeroSnr: true })).toMatchObject({
      _tag: 'InvalidBetas',
      parameter: 'rescaleBetasZeroSnr',
      received: true,
    });
  });

  it('refuses learned_range with tiny trained betas (beta_t = 0 in float32, log = -inf, NaN at v = -1); other variance types stay finite', () => {
    const trainedBetas = [0.01, 1e-9, 1e-9, 0.02];
    expect(problem({ numTrainTimesteps: 4, trainedBetas, varianceType: 'learned_range' })).toMatchObject({
      _tag: 'InvalidBetas',
      parameter: 'alphasCumprod[1]',
    });
    for (const varianceType of ['fixed_small', 'fixed_small_log', 'fixed_large', 'fixed_large_log'] as const) {
      expect(finiteStep({ numTrainTimesteps: 4, trainedBetas, varianceType }, 2)).toBe(true);
    }
    // learned_range at the ends of its interpolation, v = -1 and v = 1, on an ordinary schedule
    const learned = ndarray(Float32Array.from([0.5, 10, -10, 2, -1, 1, -1, 1]), [1, 8]);
    expect(finiteStep({ varianceType: 'learned_range' }, 500, learned)).toBe(true);
  });

  it('refuses epsilon on a float64 table below 2^-149 (x0 overflows float32); v_prediction keeps it', () => {
    // alphasCumprod[t] = (3e-13)^(t + 1): 8e-51 at t = 3
    const config = { numTrainTimesteps: 6, betaStart: 1 - 3e-13, betaEnd: 1 - 3e-13, precision: 'float64' } as const;
    expect(problem({ ...config, predictionType: 'epsilon' })).toMatchObject({ _tag: 'InvalidBetas', parameter: 'alphasCumprod[3]' });
    expect(finiteStep({ ...config, predictionType: 'v_prediction' }, 5)).toBe(true);
  });
});
