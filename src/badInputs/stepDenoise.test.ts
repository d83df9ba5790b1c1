import { unwrap } from '../../test-utils/diffusersTest.js';
import { left, runBadInputs, type BadInput } from '../../test-utils/badInputs.js';
import { torchGenerator } from '../random/index.js';
import { createScheduler, denoise, denoiseAsync, setTimesteps } from '../scheduler/index.js';
import { addNoiseWith, ddpmStep, defaultStepOptions, posteriorCoefficients, posteriorStep, posteriorStepInto, velocityWith } from '../step/index.js';
import { allocate, tensor, type Tensor } from '../tensor/index.js';

// The step primitives and the sampling loops: every bad input is a typed error naming the parameter.

const s = unwrap(createScheduler());
const table = s.alphasCumprod;
const k = unwrap(posteriorCoefficients(table, 5, 4));
const options = defaultStepOptions;
const t = (shape: number[], fill = 0.5): Tensor => tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill), shape);
const x = t([2, 4]);
const inputs = { modelOutput: x, sample: x, noise: x };
const stepInputs = { modelOutput: x, sample: x, timestep: 5, prevTimestep: 4, noise: x };
const out = () => ({ prevSample: allocate([2, 4]), predOriginalSample: allocate([2, 4]) });
const posterior = (patch: Record<string, unknown>) => () => posteriorStep(inputs, k, { ...options, ...patch } as never);
const ddpm = (patch: Record<string, unknown>, opts: Record<string, unknown> = {}) => () =>
  ddpmStep(table, { ...options, ...opts } as never, { ...stepInputs, ...patch } as never);
const identity = (sample: Tensor): Tensor => sample;
const s3 = unwrap(setTimesteps(unwrap(createScheduler()), 3));
const avx2 = unwrap(setTimesteps(unwrap(createScheduler({ cpuCapability: 'avx2' })), 3));
const loop = (o: unknown, sched = s3) => () => denoise(sched, identity, x, o as never);
const loopAsync = (o: unknown, sched = s3) => () => denoiseAsync(sched, async (v: Tensor) => v, x, o as never);

const rows: ReadonlyArray<BadInput> = [
  // posteriorCoefficients
  left('posteriorCoefficients table null', () => posteriorCoefficients(null as never, 5, 4), 'InvalidTensor', 'alphasCumprod'),
  left('posteriorCoefficients table a plain array', () => posteriorCoefficients([0.9, 0.8] as never, 1, 0), 'InvalidTensor', 'alphasCumprod'),
  left('posteriorCoefficients table with a value above 1', () => posteriorCoefficients(new Float32Array([0.9, 1.5]), 1, 0), 'InvalidTensor', 'alphasCumprod[1]'),
  left('posteriorCoefficients timestep past the table', () => posteriorCoefficients(table, 1000, 999), 'InvalidTimestep', 'timestep'),
  left('posteriorCoefficients prevTimestep not below timestep', () => posteriorCoefficients(table, 5, 5), 'InvalidTimestep', 'prevTimestep'),
  left('posteriorCoefficients prevTimestep -2', () => posteriorCoefficients(table, 5, -2), 'InvalidTimestep', 'prevTimestep'),
  left('posteriorCoefficients varianceType bogus', () => posteriorCoefficients(table, 5, 4, 'bogus' as never), 'InvalidOption', 'varianceType'),
  left('posteriorCoefficients cpuCapability neon', () => posteriorCoefficients(table, 5, 4, 'fixed_small', 'neon' as never), 'InvalidOption', 'cpuCapability'),
  // posteriorStep
  left('posteriorStep predictionType eps', posterior({ predictionType: 'eps' }), 'InvalidOption', 'options.predictionType'),
  left('posteriorStep varianceType bogus', posterior({ varianceType: 'bogus' }), 'InvalidOption', 'options.varianceType'),
  left('posteriorStep clipSampleRange -1', posterior({ clipSample: true, clipSampleRange: -1 }), 'InvalidNumber', 'options.clipSampleRange'),
  left('posteriorStep sampleMaxValue 1e-46 (0 in float32)', posterior({ thresholding: true, sampleMaxValue: 1e-46 }), 'InvalidNumber', 'options.sampleMaxValue'),
  left('posteriorStep options null', () => posteriorStep(inputs, k, null as never), 'InvalidOption', 'options'),
  left('posteriorStep coefficients {}', () => posteriorStep(inputs, {} as never, options), 'InvalidOption', 'coefficients.precision'),
  left('posteriorStep coefficients an empty list', () => posteriorStep(inputs, [] as never, options), 'InvalidTimestep', 'coefficients'),
  left('posteriorStep inputs null', () => posteriorStep(null as never, k, options), 'InvalidOption', 'inputs'),
  left('posteriorStep noise missing where noise is due', () => posteriorStep({ modelOutput: x, sample: x } as never, k, options), 'InvalidTensor', 'noise'),
  left('posteriorStep sample a Float64Array tensor', () => posteriorStep({ ...inputs, sample: { ...x, data: new Float64Array(8) } } as never, k, options), 'InvalidTensor', 'sample'),
  // posteriorStepInto
  left('posteriorStepInto out null', () => posteriorStepInto(null as never, inputs, k, options), 'InvalidOption', 'out'),
  left('posteriorStepInto out.prevSample of the wrong shape', () => posteriorStepInto({ ...out(), prevSample: allocate([2, 3]) }, inputs, k, options), 'InvalidTensor', 'out.prevSample.shape'),
  left('posteriorStepInto out.predOriginalSample missing', () => posteriorStepInto({ prevSample: allocate([2, 4]) } as never, inputs, k, options), 'InvalidTensor', 'out.predOriginalSample'),
  // ddpmStep
  left('ddpmStep table null', () => ddpmStep(null as never, options, stepInputs), 'InvalidTensor', 'alphasCumprod'),
  left('ddpmStep inputs null', () => ddpmStep(table, options, null as never), 'InvalidOption', 'inputs'),
  left('ddpmStep prevTimestep above timestep', ddpm({ prevTimestep: 6 }), 'InvalidTimestep', 'prevTimestep'),
  left('ddpmStep timestep NaN', ddpm({ timestep: NaN }), 'InvalidTimestep', 'timestep'),
  left('ddpmStep cpuCapability avx', ddpm({}, { cpuCapability: 'avx' }), 'InvalidOption', 'options.cpuCapability'),
  left('ddpmStep generator of another cpuCapability', ddpm({ noise: undefined, generator: torchGenerator(0, { cpuCapability: 'avx2' }) }), 'InvalidGeneratorState', 'generator'),
  left('ddpmStep sampleMaxValue 1e-46 on a float32 table', ddpm({}, { thresholding: true, sampleMaxValue: 1e-46 }), 'InvalidNumber', 'options.sampleMaxValue'),
  left('ddpmStep generators for a batch of 2, three given', ddpm({ noise: undefined, generator: [torchGenerator(0), torchGenerator(1), torchGenerator(2)] }), 'InvalidGeneratorState', 'generator'),
  // addNoiseWith, velocityWith
  left('addNoiseWith table null', () => addNoiseWith(null as never, x, x, 5), 'InvalidTensor', 'alphasCumprod'),
  left('addNoiseWith timestep 2.5', () => addNoiseWith(table, x, x, 2.5), 'InvalidTimestep', 'timesteps'),
  left('addNoiseWith timesteps { length: -1 }', () => addNoiseWith(table, x, x, { length: -1 }), 'InvalidTimestep', 'timesteps.length'),
  left('addNoiseWith original a plain array', () => addNoiseWith(table, [1, 2] as never, x, 5), 'InvalidTensor', 'original'),
  left('velocityWith table a Float64Array with NaN', () => velocityWith(new Float64Array([0.9, NaN]), x, x, 0), 'InvalidTensor', 'alphasCumprod[1]'),
  left('velocityWith noise of another shape', () => velocityWith(table, x, t([2, 5]), 5), 'InvalidTensor', 'sample.shape'),
  // denoise
  left('denoise model a string', () => denoise(s3, 'notAFunction' as never, x, { generator: torchGenerator(0) }), 'InvalidOption', 'model'),
  left('denoise xT null', () => denoise(s3, identity, null as never, { generator: torchGenerator(0) }), 'InvalidTensor', 'xT'),
  left('denoise options null', loop(null), 'InvalidOption', 'options'),
  left('denoise onStep a string', loop({ generator: torchGenerator(0), onStep: 'x' }), 'InvalidOption', 'options.onStep'),
  left('denoise signal a string', loop({ generator: torchGenerator(0), signal: 'abort' }), 'InvalidOption', 'options.signal'),
  left('denoise no generator where noise is due', loop({}), 'InvalidGeneratorState', 'options.generator'),
  left('denoise generator a copy of a generator', loop({ generator: { ...torchGenerator(0) } }), 'InvalidGeneratorState', 'options.generator'),
  left('denoise generator [g0] for a batch of 2', loop({ generator: [torchGenerator(0)] }), 'InvalidGeneratorState', 'options.generator'),
  left('denoise generator [g0, {}]', loop({ generator: [torchGenerator(0), {}] }), 'InvalidGeneratorState', 'options.generator[1]'),
  left('denoise generator [g0, g1] of avx512 for an avx2 scheduler', loop({ generator: [torchGenerator(0), torchGenerator(1)] }, avx2), 'InvalidGeneratorState', 'options.generator[0]'),
  left('denoise generator [g0 avx2, g1] for an avx2 scheduler', loop({ generator: [torchGenerator(0, { cpuCapability: 'avx2' }), torchGenerator(1)] }, avx2), 'InvalidGeneratorState', 'options.generator[1]'),
  left('denoise on a forged scheduler', () => denoise({ ...s3 } as never, identity, x, { generator: torchGenerator(0) }), 'InvalidConfig', 'scheduler'),
  left('denoise a model returning null', () => denoise(s3, () => null as never, x, { generator: torchGenerator(0) }), 'InvalidTensor', 'modelOutput'),
  left('denoise signal already aborted', loop({ generator: torchGenerator(0), signal: { aborted: true, reason: 'stop' } }), 'Aborted', 'options.signal'),
  // denoiseAsync
  left('denoiseAsync model a number', () => denoiseAsync(s3, 1 as never, x, { generator: torchGenerator(0) }), 'InvalidOption', 'model'),
  left('denoiseAsync generator [g0, g0 copy]', loopAsync({ generator: [torchGenerator(0), { ...torchGenerator(0) }] }), 'InvalidGeneratorState', 'options.generator[1]'),
  left('denoiseAsync generator of three for a batch of 2', loopAsync({ generator: [torchGenerator(0), torchGenerator(1), torchGenerator(2)] }), 'InvalidGeneratorState', 'options.generator'),
  left('denoiseAsync a model resolving to a Float64Array tensor', () => denoiseAsync(s3, async () => ({ ...x, data: new Float64Array(8) }) as never, x, { generator: torchGenerator(0) }), 'InvalidTensor', 'modelOutput'),
  left('denoiseAsync signal aborted', loopAsync({ generator: torchGenerator(0), signal: { aborted: true } }), 'Aborted', 'options.signal'),
];

runBadInputs('the step primitives and the loops: every bad input is a typed error naming the parameter', rows);
