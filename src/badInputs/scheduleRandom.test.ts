import { unwrap } from '../../test-utils/diffusersTest.js';
import { left, runBadInputs, throws, type BadInput } from '../../test-utils/badInputs.js';
import { validateCpuCapability } from '../cpuCapability.js';
import {
  fromGeneratorState,
  generatorState,
  nextUint32,
  nextUint64,
  rand,
  randInto,
  randn,
  randnInto,
  torchGenerator,
  tryRand,
  tryRandn,
  tryTorchGenerator,
} from '../random/index.js';
import {
  customTimesteps,
  makeBetaSchedule,
  makeTables,
  previousTimestepIn,
  rescaleZeroSnr,
  timestepsFor,
  validateBetaBound,
  validateBetaSchedule,
  validateNumTrainTimesteps,
  validatePrecision,
  validateStepsOffset,
  validateTables,
  validateTimestepSpacing,
  validateTrainedBetas,
} from '../schedule/index.js';

// The schedule primitives, the CPU capability and the random generators: every bad input is a typed
// error naming the parameter; the throwing conveniences throw a SchedulerException carrying it.

const g = torchGenerator(0);
const state = generatorState(g);
const linear = { numTrainTimesteps: 10, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear' };
const use = { source: 'trainedBetas', learnedRange: false, epsilonPrediction: true };
const tables = makeTables(new Float32Array([0.1, 0.2]));
const beta = (spec: Record<string, unknown>) => () => makeBetaSchedule({ ...linear, ...spec } as never);
const fromState = (patch: Record<string, unknown>) => () => fromGeneratorState({ ...state, ...patch });

const rows: ReadonlyArray<BadInput> = [
  // makeBetaSchedule
  left('makeBetaSchedule spec null', () => makeBetaSchedule(null as never), 'InvalidOption', 'spec'),
  left('makeBetaSchedule numTrainTimesteps 1e7', beta({ numTrainTimesteps: 1e7 }), 'InvalidNumber', 'numTrainTimesteps'),
  left('makeBetaSchedule betaEnd Infinity', beta({ betaEnd: Infinity }), 'InvalidBetas', 'betaEnd'),
  left('makeBetaSchedule betaSchedule cosine', beta({ betaSchedule: 'cosine' }), 'InvalidOption', 'betaSchedule'),
  left('makeBetaSchedule precision float16', beta({ precision: 'float16' }), 'InvalidOption', 'precision'),
  left('makeBetaSchedule cpuCapability neon', beta({ cpuCapability: 'neon' }), 'InvalidOption', 'cpuCapability'),
  left('makeBetaSchedule trainedBetas { length: -1 }', beta({ trainedBetas: { length: -1 } }), 'InvalidBetas', 'trainedBetas.length'),
  // rescaleZeroSnr, makeTables (throwing conveniences)
  throws('rescaleZeroSnr a plain array above 1', () => rescaleZeroSnr([1.5, 0.5] as never), 'InvalidBetas', 'betas'),
  throws('rescaleZeroSnr null', () => rescaleZeroSnr(null as never), 'InvalidBetas', 'betas'),
  throws('rescaleZeroSnr a beta above 1', () => rescaleZeroSnr(new Float32Array([1.5, 0.5])), 'InvalidBetas', 'betas[0]'),
  throws('rescaleZeroSnr an empty table', () => rescaleZeroSnr(new Float64Array(0)), 'InvalidBetas', 'betas.length'),
  throws('makeTables a beta of 2', () => makeTables(new Float32Array([2, 0.5])), 'InvalidBetas', 'betas[0]'),
  throws('makeTables a NaN beta', () => makeTables(new Float64Array([0.1, NaN])), 'InvalidBetas', 'betas[1]'),
  throws('makeTables { length: 2^32 }', () => makeTables({ length: 2 ** 32 } as never), 'InvalidBetas', 'betas'),
  // validateTables
  left('validateTables alphasCumprod 0 before the last timestep', () => validateTables(makeTables(new Float32Array([1, 0.5])), use), 'InvalidBetas', 'alphasCumprod[0]'),
  left('validateTables tables null', () => validateTables(null as never, use), 'InvalidTensor', 'tables.alphasCumprod'),
  left('validateTables use null', () => validateTables(tables, null as never), 'InvalidOption', 'use'),
  // timestepsFor
  left('timestepsFor spacing even', () => timestepsFor('even')({ numTrainTimesteps: 10, numInferenceSteps: 2 }), 'InvalidOption', 'timestepSpacing'),
  left('timestepsFor numInferenceSteps 11 of 10', () => timestepsFor('leading')({ numTrainTimesteps: 10, numInferenceSteps: 11 }), 'InvalidTimesteps', 'numInferenceSteps'),
  left('timestepsFor request null', () => timestepsFor('leading')(null as never), 'InvalidOption', 'request'),
  left('timestepsFor stepsOffset 0.5', () => timestepsFor('leading')({ numTrainTimesteps: 10, numInferenceSteps: 2, stepsOffset: 0.5 }), 'InvalidNumber', 'stepsOffset'),
  left('timestepsFor several problems at once', () => timestepsFor('even')({ numTrainTimesteps: 0, numInferenceSteps: 2 }), 'InvalidConfig', 'timestepRequest'),
  // customTimesteps, previousTimestepIn
  left('customTimesteps null', () => customTimesteps(null as never, 10), 'InvalidTimesteps', 'timesteps'),
  left('customTimesteps numTrainTimesteps 0', () => customTimesteps([1], 0), 'InvalidNumber', 'numTrainTimesteps'),
  left('customTimesteps { length: -1 }', () => customTimesteps({ length: -1 }, 10), 'InvalidTimesteps', 'timesteps.length'),
  left('customTimesteps a string inside', () => customTimesteps([5, '3'] as never, 10), 'InvalidTimesteps', 'timesteps[1]'),
  throws('previousTimestepIn timesteps null', () => previousTimestepIn(null as never, 5), 'InvalidTimesteps', 'timesteps'),
  throws('previousTimestepIn timesteps a plain array', () => previousTimestepIn([9, 5] as never, 9), 'InvalidTimesteps', 'timesteps'),
  // the field validators
  left('validateNumTrainTimesteps 2^31 - 1', () => validateNumTrainTimesteps(2147483647), 'InvalidNumber', 'numTrainTimesteps'),
  left('validateStepsOffset -0.5', () => validateStepsOffset(-0.5), 'InvalidNumber', 'stepsOffset'),
  left('validateBetaBound a bigint', () => validateBetaBound('betaStart', 1n), 'InvalidBetas', 'betaStart'),
  left('validateBetaSchedule cosine', () => validateBetaSchedule('cosine'), 'InvalidOption', 'betaSchedule'),
  left('validateBetaSchedule with its own parameter name', () => validateBetaSchedule(null, 'beta_schedule'), 'InvalidOption', 'beta_schedule'),
  left('validateTimestepSpacing uniform', () => validateTimestepSpacing('uniform'), 'InvalidOption', 'timestepSpacing'),
  left('validatePrecision float128', () => validatePrecision('float128'), 'InvalidOption', 'precision'),
  left('validateTrainedBetas of the wrong length', () => validateTrainedBetas([0.1], 2, 'float32'), 'InvalidBetas', 'trainedBetas.length'),
  // cpuCapability
  left('validateCpuCapability null', () => validateCpuCapability(null), 'InvalidOption', 'cpuCapability'),
  left('validateCpuCapability avx512f', () => validateCpuCapability('avx512f'), 'InvalidOption', 'cpuCapability'),
  left('validateCpuCapability with its own parameter name', () => validateCpuCapability(1, 'options.cpuCapability'), 'InvalidOption', 'options.cpuCapability'),
  // torchGenerator and tryTorchGenerator
  throws('torchGenerator seed 0.5', () => torchGenerator(0.5), 'InvalidSeed', 'seed'),
  throws('torchGenerator seed 2^53', () => torchGenerator(2 ** 53), 'InvalidSeed', 'seed'),
  throws('torchGenerator seed 2^64 as a bigint', () => torchGenerator(2n ** 64n), 'InvalidSeed', 'seed'),
  throws('torchGenerator seed "0"', () => torchGenerator('0' as never), 'InvalidSeed', 'seed'),
  throws('torchGenerator options a string', () => torchGenerator(0, 'avx2' as never), 'InvalidOption', 'options'),
  throws('torchGenerator cpuCapability avx', () => torchGenerator(0, { cpuCapability: 'avx' as never }), 'InvalidOption', 'options.cpuCapability'),
  throws('torchGenerator cpuCapability null', () => torchGenerator(0, { cpuCapability: null as never }), 'InvalidOption', 'options.cpuCapability'),
  left('tryTorchGenerator seed -2^63 - 1', () => tryTorchGenerator(-(2n ** 63n) - 1n), 'InvalidSeed', 'seed'),
  left('tryTorchGenerator seed NaN', () => tryTorchGenerator(NaN), 'InvalidSeed', 'seed'),
  left('tryTorchGenerator seed a 10-million-digit string', () => tryTorchGenerator('9'.repeat(10_000_000)), 'InvalidSeed', 'seed'),
  left('tryTorchGenerator options an array', () => tryTorchGenerator(0, []), 'InvalidOption', 'options'),
  // rand, randn, tryRand, tryRandn
  throws('rand shape [2, -1]', () => rand(g, [2, -1]), 'InvalidTensor', 'shape[1]'),
  throws('rand on a copy of a generator', () => rand({ ...g } as never, [2]), 'InvalidGeneratorState', 'g'),
  throws('randn shape [NaN]', () => randn(g, [NaN]), 'InvalidTensor', 'shape[0]'),
  throws('randn shape 3 (not a list)', () => randn(g, 3 as never), 'InvalidTensor', 'shape'),
  throws('randn shape past the size bound', () => randn(g, [2 ** 20, 2 ** 20]), 'InvalidTensor', 'shape'),
  left('tryRand a forged generator', () => tryRand({ seed: 0n } as never, [2]), 'InvalidGeneratorState', 'g'),
  left('tryRandn shape [1.5]', () => tryRandn(g, [1.5]), 'InvalidTensor', 'shape[0]'),
  left('tryRandn generator null', () => tryRandn(null as never, [3]), 'InvalidGeneratorState', 'g'),
  // randInto, randnInto
  throws('randInto generator {} (it used to hang)', () => randInto(new Float32Array(4), {} as never), 'InvalidGeneratorState', 'g'),
  throws('randInto out a Float64Array', () => randInto(new Float64Array(4) as never, g), 'InvalidTensor', 'out'),
  throws('randnInto out a plain array', () => randnInto([0, 0] as never, g), 'InvalidTensor', 'out'),
  throws('randnInto generator a JSON round trip', () => randnInto(new Float32Array(4), JSON.parse(JSON.stringify(state)) as never), 'InvalidGeneratorState', 'g'),
  // nextUint32, nextUint64
  throws('nextUint32 a copy of a generator', () => nextUint32({ ...g } as never), 'InvalidGeneratorState', 'g'),
  throws('nextUint64 null', () => nextUint64(null as never), 'InvalidGeneratorState', 'g'),
  // generatorState, fromGeneratorState
  throws('generatorState of a state', () => generatorState(state as never), 'InvalidGeneratorState', 'g'),
  left('fromGeneratorState null', () => fromGeneratorState(null), 'InvalidGeneratorState', 'state'),
  left('fromGeneratorState kind cuda', fromState({ kind: 'torch-cuda-philox' }), 'InvalidGeneratorState', 'state.kind'),
  left('fromGeneratorState seed a number', fromState({ seed: 0 }), 'InvalidGeneratorState', 'state.seed'),
  left('fromGeneratorState seed of 21 digits', fromState({ seed: '1'.repeat(21) }), 'InvalidGeneratorState', 'state.seed'),
  left('fromGeneratorState words empty', fromState({ words: [] }), 'InvalidGeneratorState', 'state.words'),
  left('fromGeneratorState a word above 2^32', fromState({ words: [...state.words.slice(0, 623), 2 ** 32] }), 'InvalidGeneratorState', 'state.words[623]'),
  left('fromGeneratorState index NaN', fromState({ index: NaN }), 'InvalidGeneratorState', 'state.index'),
  left('fromGeneratorState index 625', fromState({ index: 625 }), 'InvalidGeneratorState', 'state.index'),
  left('fromGeneratorState cachedNormal a string', fromState({ cachedNormal: '0.5' }), 'InvalidGeneratorState', 'state.cachedNormal'),
  left('fromGeneratorState cpuCapability sse', fromState({ cpuCapability: 'sse' }), 'InvalidOption', 'state.cpuCapability'),
];

runBadInputs('the schedule primitives, cpuCapability and random: every bad input is a typed error naming the parameter', rows);

it('previousTimestepIn answers undefined (no such timestep), never NaN, for a t that is not an integer', () => {
  expect(previousTimestepIn(undefined, NaN)).toBeUndefined();
  expect(previousTimestepIn(undefined, '5' as never)).toBeUndefined();
});

it('a valid state still makes a generator (the table rows above differ from it in one field each)', () => {
  expect(unwrap(fromGeneratorState(state))).toBeDefined();
});
