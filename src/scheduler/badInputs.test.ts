import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import type { SchedulerError, SchedulerErrorTag } from '../errors.js';
import { torchGenerator } from '../random/index.js';
import type { Tensor } from '../tensor/index.js';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { addNoise } from './addNoise.js';
import { createScheduler } from './scheduler.js';
import { fromDiffusersConfig } from './fromDiffusersConfig.js';
import { setTimesteps } from './setTimesteps.js';
import { step } from './step.js';

// Every bad input at a boundary is answered by a typed error that names the parameter, shows the value
// and says what is allowed. One row per input: what is called, the tag, and the parameter named.

const base = unwrap(createScheduler());
const set = unwrap(setTimesteps(base, 10));
const learnedS = unwrap(createScheduler({ varianceType: 'learned_range' }));
const zeroSnr = unwrap(createScheduler({ rescaleBetasZeroSnr: true }));
const tensor = (shape: number[], fill = 0.5): Tensor => ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill), shape);
const x = tensor([2, 3, 4]);
const eps = tensor([2, 3, 4], 0.1);

type Row = readonly [string, () => E.Either<SchedulerError, unknown>, SchedulerErrorTag, string];

const config = (c: Record<string, unknown>) => () => createScheduler(c as never);
const json = (j: unknown) => () => fromDiffusersConfig(j);
const timesteps = (r: unknown, s = base) => () => setTimesteps(s, r as never);
const stepWith = (args: Record<string, unknown>, s = base) => () =>
  step(s, { modelOutput: eps, timestep: 10, sample: x, noise: eps, ...args } as never);

const rows: ReadonlyArray<Row> = [
  // config
  ['numTrainTimesteps 0', config({ numTrainTimesteps: 0 }), 'InvalidNumber', 'numTrainTimesteps'],
  ['numTrainTimesteps 2.5', config({ numTrainTimesteps: 2.5 }), 'InvalidNumber', 'numTrainTimesteps'],
  ['numTrainTimesteps NaN', config({ numTrainTimesteps: NaN }), 'InvalidNumber', 'numTrainTimesteps'],
  ['numTrainTimesteps "1000"', config({ numTrainTimesteps: '1000' }), 'InvalidNumber', 'numTrainTimesteps'],
  ['betaStart 0', config({ betaStart: 0 }), 'InvalidBetas', 'betaStart'],
  ['betaStart -0.1', config({ betaStart: -0.1 }), 'InvalidBetas', 'betaStart'],
  ['betaEnd 2 (diffusers accepts it)', config({ betaEnd: 2 }), 'InvalidBetas', 'betaEnd'],
  ['betaEnd NaN', config({ betaEnd: NaN }), 'InvalidBetas', 'betaEnd'],
  ['betaSchedule cosine', config({ betaSchedule: 'cosine' }), 'InvalidOption', 'betaSchedule'],
  ['trainedBetas empty', config({ trainedBetas: [] }), 'InvalidBetas', 'trainedBetas'],
  ['trainedBetas with NaN', config({ numTrainTimesteps: 2, trainedBetas: [0.1, NaN] }), 'InvalidBetas', 'trainedBetas[1]'],
  ['trainedBetas above 1', config({ numTrainTimesteps: 2, trainedBetas: [0.1, 1.5] }), 'InvalidBetas', 'trainedBetas[1]'],
  ['trainedBetas of the wrong length', config({ numTrainTimesteps: 3, trainedBetas: [0.1, 0.2] }), 'InvalidBetas', 'trainedBetas.length'],
  ['varianceType huge', config({ varianceType: 'huge' }), 'InvalidOption', 'varianceType'],
  ['predictionType noise', config({ predictionType: 'noise' }), 'InvalidOption', 'predictionType'],
  ['clipSample "true"', config({ clipSample: 'true' }), 'InvalidOption', 'clipSample'],
  ['clipSampleRange 0', config({ clipSampleRange: 0 }), 'InvalidNumber', 'clipSampleRange'],
  ['dynamicThresholdingRatio 1.5', config({ dynamicThresholdingRatio: 1.5 }), 'InvalidNumber', 'dynamicThresholdingRatio'],
  ['sampleMaxValue -1', config({ sampleMaxValue: -1 }), 'InvalidNumber', 'sampleMaxValue'],
  ['timestepSpacing even', config({ timestepSpacing: 'even' }), 'InvalidOption', 'timestepSpacing'],
  ['stepsOffset -1', config({ stepsOffset: -1 }), 'InvalidNumber', 'stepsOffset'],
  ['stepsOffset 0.5', config({ stepsOffset: 0.5 }), 'InvalidNumber', 'stepsOffset'],
  ['precision float16', config({ precision: 'float16' }), 'InvalidOption', 'precision'],
  ['an unknown key (a typo)', config({ betaShedule: 'linear' }), 'InvalidOption', 'betaShedule'],
  ['rescaleBetasZeroSnr 1', config({ rescaleBetasZeroSnr: 1 }), 'InvalidOption', 'rescaleBetasZeroSnr'],
  // scheduler_config.json
  ['a JSON array', json([]), 'InvalidConfig', 'scheduler_config'],
  ['num_train_timesteps as a string', json({ num_train_timesteps: '1000' }), 'InvalidNumber', 'num_train_timesteps'],
  ['trained_betas as a string', json({ trained_betas: '0.1' }), 'InvalidBetas', 'trained_betas'],
  ['clip_sample as a number', json({ clip_sample: 1 }), 'InvalidOption', 'clip_sample'],
  // setTimesteps
  ['n = 0', timesteps(0), 'InvalidNumber', 'numInferenceSteps'],
  ['n > numTrainTimesteps', timesteps(1001), 'InvalidTimesteps', 'numInferenceSteps'],
  ['n fractional', timesteps(2.5), 'InvalidNumber', 'numInferenceSteps'],
  ['both n and timesteps', timesteps({ numInferenceSteps: 3, timesteps: [2, 1] }), 'InvalidTimesteps', 'request'],
  ['custom timesteps empty', timesteps({ timesteps: [] }), 'InvalidTimesteps', 'timesteps'],
  ['custom timesteps ascending', timesteps({ timesteps: [1, 2] }), 'InvalidTimesteps', 'timesteps[1]'],
  ['custom timesteps >= numTrainTimesteps', timesteps({ timesteps: [1000, 1] }), 'InvalidTimesteps', 'timesteps[0]'],
  ['custom timesteps negative', timesteps({ timesteps: [5, -1] }), 'InvalidTimesteps', 'timesteps[1]'],
  ['offset pushing past numTrainTimesteps', timesteps(10, unwrap(createScheduler({ numTrainTimesteps: 10, stepsOffset: 1 }))), 'InvalidTimesteps', 'stepsOffset'],
  // step
  ['timestep 1000', stepWith({ timestep: 1000 }), 'InvalidTimestep', 'timestep'],
  ['timestep -1', stepWith({ timestep: -1 }), 'InvalidTimestep', 'timestep'],
  ['timestep 1.5', stepWith({ timestep: 1.5 }), 'InvalidTimestep', 'timestep'],
  ['timestep not in the set schedule', stepWith({ timestep: 901 }, set), 'InvalidTimestep', 'timestep'],
  ['per-sample timesteps of the wrong length', stepWith({ timestep: [1, 2, 3] }), 'InvalidTimestep', 'timestep.length'],
  ['mismatched shapes', stepWith({ modelOutput: tensor([2, 3, 5]) }), 'InvalidTensor', 'modelOutput.shape'],
  ['rank 1', stepWith({ sample: tensor([4]), modelOutput: tensor([4]), noise: tensor([4]) }), 'InvalidTensor', 'sample.shape'],
  ['a Float64Array tensor', stepWith({ sample: ndarray(new Float64Array(24), [2, 3, 4]) }), 'InvalidTensor', 'sample'],
  ['a plain array', stepWith({ modelOutput: [1, 2, 3] }), 'InvalidTensor', 'modelOutput'],
  ['noise of the wrong shape', stepWith({ noise: tensor([2, 3, 3]) }), 'InvalidTensor', 'noise.shape'],
  ['learned variance without the extra channels', stepWith({}, learnedS), 'InvalidTensor', 'modelOutput.shape'],
  ['epsilon at zero terminal SNR', stepWith({ timestep: 999 }, zeroSnr), 'ZeroTerminalSnr', 'timestep'],
  // addNoise
  ['addNoise timestep 1000', () => addNoise(base, x, eps, 1000), 'InvalidTimestep', 'timesteps'],
  ['addNoise noise of the wrong shape', () => addNoise(base, x, tensor([2, 3, 5]), 5), 'InvalidTensor', 'noise.shape'],
  ['addNoise per-sample timesteps of the wrong length', () => addNoise(base, x, eps, [1, 2, 3]), 'InvalidTimestep', 'timesteps.length'],
];

describe('every bad input is a typed error naming the parameter', () => {
  it('covers at least 40 distinct bad inputs', () => {
    expect(new Set(rows.map(([name]) => name)).size).toBeGreaterThanOrEqual(40);
  });

  it.each(rows)('%s', (_name, call, tag, parameter) => {
    const r = call();
    expect(E.isLeft(r)).toBe(true);
    if (E.isRight(r)) return;
    expect(r.left._tag).toBe(tag);
    expect(r.left.parameter).toBe(parameter);
    expect(r.left.message.startsWith(`${parameter}: `)).toBe(true);
    expect(r.left.allowed.length).toBeGreaterThan(0);
  });

  it('names v_prediction as the remedy at zero terminal SNR', () => {
    const r = step(zeroSnr, { modelOutput: eps, timestep: 999, sample: x, noise: eps });
    expect(E.isLeft(r) && r.left.message).toContain('v_prediction');
  });

  it('steps without a generator only when no noise is due', () => {
    const r = step(base, { modelOutput: eps, timestep: 10, sample: x });
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidTensor', parameter: 'noise' });
    expect(E.isRight(step(base, { modelOutput: eps, timestep: 0, sample: x }))).toBe(true);
    expect(E.isRight(step(base, { modelOutput: eps, timestep: 10, sample: x, generator: torchGenerator(0) }))).toBe(true);
  });
});
