import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { torchGenerator } from '../random/index.js';
import type { Tensor } from '../tensor/index.js';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { left, runBadInputs, throws, type BadInput } from '../../test-utils/badInputs.js';
import {
  addNoise,
  createScheduler,
  DEFAULT_DDPM_CONFIG,
  fromDiffusersConfig,
  getVelocity,
  parseDiffusersConfig,
  previousTimestep,
  scaleModelInput,
  setTimesteps,
  step,
  stepOptionsOf,
  toDiffusersConfig,
  validateConfig,
} from '../scheduler/index.js';

// The scheduler API: configs, scheduler_config.json, setTimesteps, previousTimestep, step, addNoise,
// getVelocity. Every bad input is a typed error that names the parameter, shows the value and says
// what is allowed.

const base = unwrap(createScheduler());
const set = unwrap(setTimesteps(base, 10));
const learnedS = unwrap(createScheduler({ varianceType: 'learned_range' }));
const zeroSnr = unwrap(createScheduler({ rescaleBetasZeroSnr: true }));
const avx2 = unwrap(createScheduler({ cpuCapability: 'avx2' }));
const tensor = (shape: number[], fill = 0.5): Tensor => ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill), shape);
const x = tensor([2, 3, 4]);
const eps = tensor([2, 3, 4], 0.1);
const forged = { ...base };
const roundTrip = JSON.parse(JSON.stringify({ ...base, betas: [...base.betas] })) as unknown;

const config = (c: Record<string, unknown>) => () => createScheduler(c as never);
const json = (j: unknown, options?: unknown) => () => fromDiffusersConfig(j, options as never);
const timesteps = (r: unknown, s: unknown = base) => () => setTimesteps(s as never, r as never);
const stepWith = (args: Record<string, unknown>, s: unknown = base) => () =>
  step(s as never, { modelOutput: eps, timestep: 10, sample: x, noise: eps, ...args } as never);

const rows: ReadonlyArray<BadInput> = [
  // createScheduler
  left('numTrainTimesteps 0', config({ numTrainTimesteps: 0 }), 'InvalidNumber', 'numTrainTimesteps'),
  left('numTrainTimesteps 2.5', config({ numTrainTimesteps: 2.5 }), 'InvalidNumber', 'numTrainTimesteps'),
  left('numTrainTimesteps NaN', config({ numTrainTimesteps: NaN }), 'InvalidNumber', 'numTrainTimesteps'),
  left('numTrainTimesteps "1000"', config({ numTrainTimesteps: '1000' }), 'InvalidNumber', 'numTrainTimesteps'),
  left('numTrainTimesteps 2^31 - 1 (past the documented bound)', config({ numTrainTimesteps: 2147483647 }), 'InvalidNumber', 'numTrainTimesteps'),
  left('betaStart 0', config({ betaStart: 0 }), 'InvalidBetas', 'betaStart'),
  left('betaStart -0.1', config({ betaStart: -0.1 }), 'InvalidBetas', 'betaStart'),
  left('betaEnd 2 (diffusers accepts it)', config({ betaEnd: 2 }), 'InvalidBetas', 'betaEnd'),
  left('betaEnd NaN', config({ betaEnd: NaN }), 'InvalidBetas', 'betaEnd'),
  left('betaSchedule cosine', config({ betaSchedule: 'cosine' }), 'InvalidOption', 'betaSchedule'),
  left('trainedBetas empty', config({ trainedBetas: [] }), 'InvalidBetas', 'trainedBetas'),
  left('trainedBetas with NaN', config({ numTrainTimesteps: 2, trainedBetas: [0.1, NaN] }), 'InvalidBetas', 'trainedBetas[1]'),
  left('trainedBetas above 1', config({ numTrainTimesteps: 2, trainedBetas: [0.1, 1.5] }), 'InvalidBetas', 'trainedBetas[1]'),
  left('trainedBetas of the wrong length', config({ numTrainTimesteps: 3, trainedBetas: [0.1, 0.2] }), 'InvalidBetas', 'trainedBetas.length'),
  left('trainedBetas { length: -1 }', config({ trainedBetas: { length: -1 } }), 'InvalidBetas', 'trainedBetas.length'),
  left('trainedBetas { length: 2^32 }', config({ trainedBetas: { length: 2 ** 32 } }), 'InvalidBetas', 'trainedBetas.length'),
  left('varianceType huge', config({ varianceType: 'huge' }), 'InvalidOption', 'varianceType'),
  left('predictionType noise', config({ predictionType: 'noise' }), 'InvalidOption', 'predictionType'),
  left('clipSample "true"', config({ clipSample: 'true' }), 'InvalidOption', 'clipSample'),
  left('clipSampleRange 0', config({ clipSampleRange: 0 }), 'InvalidNumber', 'clipSampleRange'),
  left('dynamicThresholdingRatio 1.5', config({ dynamicThresholdingRatio: 1.5 }), 'InvalidNumber', 'dynamicThresholdingRatio'),
  left('sampleMaxValue -1', config({ sampleMaxValue: -1 }), 'InvalidNumber', 'sampleMaxValue'),
  left('timestepSpacing even', config({ timestepSpacing: 'even' }), 'InvalidOption', 'timestepSpacing'),
  left('stepsOffset -1', config({ stepsOffset: -1 }), 'InvalidNumber', 'stepsOffset'),
  left('stepsOffset 0.5', config({ stepsOffset: 0.5 }), 'InvalidNumber', 'stepsOffset'),
  left('precision float16', config({ precision: 'float16' }), 'InvalidOption', 'precision'),
  left('an unknown key (a typo)', config({ betaShedule: 'linear' }), 'InvalidOption', 'betaShedule'),
  left('rescaleBetasZeroSnr 1', config({ rescaleBetasZeroSnr: 1 }), 'InvalidOption', 'rescaleBetasZeroSnr'),
  left('cpuCapability avx', config({ cpuCapability: 'avx' }), 'InvalidOption', 'cpuCapability'),
  left('cpuCapability AVX2 (case matters)', config({ cpuCapability: 'AVX2' }), 'InvalidOption', 'cpuCapability'),
  left('config null', () => createScheduler(null as never), 'InvalidConfig', 'config'),
  left('config a string', () => createScheduler('linear' as never), 'InvalidConfig', 'config'),
  // validateConfig
  left('validateConfig numTrainTimesteps -5', () => validateConfig({ numTrainTimesteps: -5 }), 'InvalidNumber', 'numTrainTimesteps'),
  left('validateConfig an array', () => validateConfig([]), 'InvalidConfig', 'config'),
  // stepOptionsOf (a throwing convenience)
  throws('stepOptionsOf null', () => stepOptionsOf(null as never), 'InvalidOption', 'config'),
  throws('stepOptionsOf a string', () => stepOptionsOf('epsilon' as never), 'InvalidOption', 'config'),
  // scheduler_config.json: a wrongly typed value names the JSON key; an invalid value of the right type is
  // reported by createScheduler under the camelCase name (as loadScheduler's tests assert)
  left('a JSON array', json([]), 'InvalidConfig', 'scheduler_config'),
  left('a JSON string', json('{"num_train_timesteps": 10}'), 'InvalidConfig', 'scheduler_config'),
  left('num_train_timesteps as a string', json({ num_train_timesteps: '1000' }), 'InvalidNumber', 'num_train_timesteps'),
  left('num_train_timesteps a huge number', json({ num_train_timesteps: 1e308 }), 'InvalidNumber', 'numTrainTimesteps'),
  left('num_train_timesteps 2^31 - 1', json({ num_train_timesteps: 2147483647 }), 'InvalidNumber', 'numTrainTimesteps'),
  left('trained_betas as a string', json({ trained_betas: '0.1' }), 'InvalidBetas', 'trained_betas'),
  left('trained_betas with a string inside', json({ num_train_timesteps: 2, trained_betas: [0.1, '0.2'] }), 'InvalidBetas', 'trained_betas[1]'),
  left('clip_sample as a number', json({ clip_sample: 1 }), 'InvalidOption', 'clip_sample'),
  left('beta_schedule squaredcos_cap_v3 misspelt', json({ beta_schedule: 'squaredcos' }), 'InvalidOption', 'betaSchedule'),
  left('prediction_type null', json({ prediction_type: null }), 'InvalidOption', 'prediction_type'),
  left('a __proto__ key holding a config', json(JSON.parse('{"__proto__": {"num_train_timesteps": 0}, "num_train_timesteps": 0}')), 'InvalidNumber', 'numTrainTimesteps'),
  left('fromDiffusersConfig options a string', json({}, 'avx2'), 'InvalidOption', 'options'),
  left('fromDiffusersConfig cpuCapability avx', json({}, { cpuCapability: 'avx' }), 'InvalidOption', 'cpuCapability'),
  left('fromDiffusersConfig precision float16', json({}, { precision: 'float16' }), 'InvalidOption', 'precision'),
  left('parseDiffusersConfig null', () => parseDiffusersConfig(null), 'InvalidConfig', 'scheduler_config'),
  left('parseDiffusersConfig steps_offset a string', () => parseDiffusersConfig({ steps_offset: '1' }), 'InvalidNumber', 'steps_offset'),
  left('fromDiffusersConfig an unknown option', json({}, { precison: 'float64' }), 'InvalidOption', 'options.precison'),
  // toDiffusersConfig (a throwing convenience)
  throws('toDiffusersConfig a copy of a scheduler', () => toDiffusersConfig(forged as never), 'InvalidConfig', 'scheduler'),
  throws('toDiffusersConfig a JSON round trip of a scheduler', () => toDiffusersConfig(roundTrip as never), 'InvalidConfig', 'scheduler'),
  // setTimesteps
  left('n = 0', timesteps(0), 'InvalidNumber', 'numInferenceSteps'),
  left('n > numTrainTimesteps', timesteps(1001), 'InvalidTimesteps', 'numInferenceSteps'),
  left('n fractional', timesteps(2.5), 'InvalidNumber', 'numInferenceSteps'),
  left('n "10"', timesteps('10'), 'InvalidTimesteps', 'request'),
  left('both n and timesteps', timesteps({ numInferenceSteps: 3, timesteps: [2, 1] }), 'InvalidTimesteps', 'request'),
  left('request null', timesteps(null), 'InvalidTimesteps', 'request'),
  left('custom timesteps empty', timesteps({ timesteps: [] }), 'InvalidTimesteps', 'timesteps'),
  left('custom timesteps ascending', timesteps({ timesteps: [1, 2] }), 'InvalidTimesteps', 'timesteps[1]'),
  left('custom timesteps >= numTrainTimesteps', timesteps({ timesteps: [1000, 1] }), 'InvalidTimesteps', 'timesteps[0]'),
  left('custom timesteps negative', timesteps({ timesteps: [5, -1] }), 'InvalidTimesteps', 'timesteps[1]'),
  left('custom timesteps { length: -1 }', timesteps({ timesteps: { length: -1 } }), 'InvalidTimesteps', 'timesteps.length'),
  left('custom timesteps { length: 2^32 }', timesteps({ timesteps: { length: 2 ** 32 } }), 'InvalidTimesteps', 'timesteps.length'),
  left('offset pushing past numTrainTimesteps', timesteps(10, unwrap(createScheduler({ numTrainTimesteps: 10, stepsOffset: 1 }))), 'InvalidTimesteps', 'stepsOffset'),
  left('setTimesteps on a copy of a scheduler', timesteps(10, forged), 'InvalidConfig', 'scheduler'),
  left('setTimesteps on { _tag: DDPMScheduler }', timesteps(10, { _tag: 'DDPMScheduler' }), 'InvalidConfig', 'scheduler'),
  // previousTimestep (a throwing convenience)
  throws('previousTimestep t "5"', () => previousTimestep(base, '5' as never), 'InvalidTimestep', 't'),
  throws('previousTimestep t 2.5', () => previousTimestep(base, 2.5), 'InvalidTimestep', 't'),
  throws('previousTimestep t 1000', () => previousTimestep(base, 1000), 'InvalidTimestep', 't'),
  throws('previousTimestep t not in the set schedule', () => previousTimestep(set, 550), 'InvalidTimestep', 't'),
  throws('previousTimestep on a forged scheduler', () => previousTimestep(forged as never, 5), 'InvalidConfig', 'scheduler'),
  // scaleModelInput
  throws('scaleModelInput on a forged scheduler', () => scaleModelInput(forged as never, x), 'InvalidConfig', 'scheduler'),
  throws('scaleModelInput sample null', () => scaleModelInput(base, null as never), 'InvalidTensor', 'sample'),
  // step
  left('timestep 1000', stepWith({ timestep: 1000 }), 'InvalidTimestep', 'timestep'),
  left('timestep -1', stepWith({ timestep: -1 }), 'InvalidTimestep', 'timestep'),
  left('timestep 1.5', stepWith({ timestep: 1.5 }), 'InvalidTimestep', 'timestep'),
  left('timestep "10"', stepWith({ timestep: '10' }), 'InvalidTimestep', 'timestep'),
  left('timestep not in the set schedule', stepWith({ timestep: 901 }, set), 'InvalidTimestep', 'timestep'),
  left('per-sample timesteps of the wrong length', stepWith({ timestep: [1, 2, 3] }), 'InvalidTimestep', 'timestep.length'),
  left('per-sample timesteps with NaN', stepWith({ timestep: [1, NaN] }), 'InvalidTimestep', 'timestep[1]'),
  left('mismatched shapes', stepWith({ modelOutput: tensor([2, 3, 5]) }), 'InvalidTensor', 'modelOutput.shape'),
  left('rank 1', stepWith({ sample: tensor([4]), modelOutput: tensor([4]), noise: tensor([4]) }), 'InvalidTensor', 'sample.shape'),
  left('a Float64Array tensor', stepWith({ sample: ndarray(new Float64Array(24), [2, 3, 4]) }), 'InvalidTensor', 'sample'),
  left('a plain array', stepWith({ modelOutput: [1, 2, 3] }), 'InvalidTensor', 'modelOutput'),
  left('noise of the wrong shape', stepWith({ noise: tensor([2, 3, 3]) }), 'InvalidTensor', 'noise.shape'),
  left('learned variance without the extra channels', stepWith({}, learnedS), 'InvalidTensor', 'modelOutput.shape'),
  left('epsilon at zero terminal SNR', stepWith({ timestep: 999 }, zeroSnr), 'ZeroTerminalSnr', 'timestep'),
  left('step args null', () => step(base, null as never), 'InvalidOption', 'args'),
  left('step on a forged scheduler', stepWith({}, forged), 'InvalidConfig', 'scheduler'),
  left('step on a JSON round trip of a scheduler', stepWith({}, roundTrip), 'InvalidConfig', 'scheduler'),
  left('step generator a copy of a generator', stepWith({ noise: undefined, generator: { ...torchGenerator(0) } }), 'InvalidGeneratorState', 'generator'),
  left('step generator of another cpuCapability', stepWith({ noise: undefined, generator: torchGenerator(0) }, avx2), 'InvalidGeneratorState', 'generator'),
  left('step generators one fewer than the batch', stepWith({ noise: undefined, generator: [torchGenerator(0)] }), 'InvalidGeneratorState', 'generator'),
  left('step generators with a forgery', stepWith({ noise: undefined, generator: [torchGenerator(0), {}] }), 'InvalidGeneratorState', 'generator[1]'),
  // addNoise, getVelocity
  left('addNoise timestep 1000', () => addNoise(base, x, eps, 1000), 'InvalidTimestep', 'timesteps'),
  left('addNoise noise of the wrong shape', () => addNoise(base, x, tensor([2, 3, 5]), 5), 'InvalidTensor', 'noise.shape'),
  left('addNoise per-sample timesteps of the wrong length', () => addNoise(base, x, eps, [1, 2, 3]), 'InvalidTimestep', 'timesteps.length'),
  left('addNoise original null', () => addNoise(base, null as never, eps, 5), 'InvalidTensor', 'original'),
  left('addNoise on a forged scheduler', () => addNoise(forged as never, x, eps, 5), 'InvalidConfig', 'scheduler'),
  left('getVelocity timestep -1', () => getVelocity(base, x, eps, -1), 'InvalidTimestep', 'timesteps'),
  left('getVelocity noise a Float64Array tensor', () => getVelocity(base, x, ndarray(new Float64Array(24), [2, 3, 4]) as never, 5), 'InvalidTensor', 'noise'),
  left('getVelocity on a forged scheduler', () => getVelocity(forged as never, x, eps, 5), 'InvalidConfig', 'scheduler'),
];

runBadInputs('the scheduler API: every bad input is a typed error naming the parameter', rows);

describe('the scheduler API table', () => {
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

  it('a __proto__ key pollutes no prototype', () => {
    fromDiffusersConfig(JSON.parse('{"__proto__": {"polluted": 1}}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(DEFAULT_DDPM_CONFIG).not.toHaveProperty('polluted');
  });
});
