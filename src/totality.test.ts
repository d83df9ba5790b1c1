// Every exported function is total: over hostile arguments it returns a typed Left whose error names
// a parameter, or (the documented throwing conveniences) throws a SchedulerException carrying one;
// never a TypeError or RangeError from inside, never a non-finite number for a finite question.
import * as E from 'fp-ts/lib/Either.js';
import * as lib from './index.js';
import { SchedulerException, type SchedulerError } from './errors.js';

const s = E.getOrElseW(() => { throw new Error('scheduler'); })(lib.createScheduler());
const t = lib.tensor(new Float32Array(8), [1, 8]);
const table = s.alphasCumprod;
const k = E.getOrElseW(() => { throw new Error('coefficients'); })(lib.posteriorCoefficients(table, 5, 4));
const options = lib.defaultStepOptions;

const hostile: ReadonlyArray<readonly [string, unknown]> = [
  ['undefined', undefined], ['null', null], ['0', 0], ['NaN', NaN], ['-1', -1], ['Infinity', Infinity], ["'x'", 'x'],
  ['{}', {}], ['[]', []], ['{ length: -1 }', { length: -1 }], ['{ length: 2^32 }', { length: 2 ** 32 }],
  ['a function', () => 1], ['a symbol', Symbol('s')], ['10n', 10n], ['a scheduler copy', { ...s }],
];

// Each export, with one argument replaced by the hostile value (the others valid).
const calls: ReadonlyArray<readonly [string, (v: never) => unknown]> = [
  ['createScheduler(v)', (v) => lib.createScheduler(v)],
  ['fromDiffusersConfig(v)', (v) => lib.fromDiffusersConfig(v)],
  ['toDiffusersConfig(v)', (v) => lib.toDiffusersConfig(v)],
  ['setTimesteps(s, v)', (v) => lib.setTimesteps(s, v)],
  ['setTimesteps(v, 10)', (v) => lib.setTimesteps(v, 10)],
  ['previousTimestep(s, v)', (v) => lib.previousTimestep(s, v)],
  ['previousTimestep(v, 5)', (v) => lib.previousTimestep(v, 5)],
  ['step(s, v)', (v) => lib.step(s, v)],
  ['step(v, args)', (v) => lib.step(v, { modelOutput: t, sample: t, timestep: 5, noise: t })],
  ['step(s, { timestep: v })', (v) => lib.step(s, { modelOutput: t, sample: t, timestep: v, noise: t })],
  ['step(s, { modelOutput: v })', (v) => lib.step(s, { modelOutput: v, sample: t, timestep: 5, noise: t })],
  ['step(s, { generator: v })', (v) => lib.step(s, { modelOutput: t, sample: t, timestep: 5, generator: v })],
  ['addNoise(s, v, noise, 5)', (v) => lib.addNoise(s, v, t, 5)],
  ['addNoise(s, x, noise, v)', (v) => lib.addNoise(s, t, t, v)],
  ['getVelocity(s, x, v, 5)', (v) => lib.getVelocity(s, t, v, 5)],
  ['torchGenerator(v)', (v) => lib.torchGenerator(v)],
  ['torchGenerator(0, v)', (v) => lib.torchGenerator(0, v)],
  ['tryTorchGenerator(0, v)', (v) => lib.tryTorchGenerator(0, v)],
  ['torchGenerator(0, { cpuCapability: v })', (v) => lib.torchGenerator(0, { cpuCapability: v })],
  ['validateCpuCapability(v)', (v) => lib.validateCpuCapability(v)],
  ['fromDiffusersConfig({}, v)', (v) => lib.fromDiffusersConfig({}, v)],
  ['fromDiffusersConfig({}, { cpuCapability: v })', (v) => lib.fromDiffusersConfig({}, { cpuCapability: v })],
  ['createScheduler({ cpuCapability: v })', (v) => lib.createScheduler({ cpuCapability: v })],
  ['posteriorCoefficients(table, 5, 4, fixed_small, v)', (v) => lib.posteriorCoefficients(table, 5, 4, 'fixed_small', v)],
  ['step(s, { generator: [v] })', (v) => lib.step(s, { modelOutput: t, sample: t, timestep: 5, generator: [v] as never })],
  ['denoise(s, model, x, { generator: [v] })', (v) => lib.denoise(s, (x) => x, t, { generator: [v] as never })],
  ['ddpmStep(table, { ...options, cpuCapability: v }, inputs)', (v) => lib.ddpmStep(table, { ...options, cpuCapability: v }, { modelOutput: t, sample: t, timestep: 5, prevTimestep: 4, noise: t })],
  ['tryTorchGenerator(v)', (v) => lib.tryTorchGenerator(v)],
  ['randn(g, v)', (v) => lib.randn(lib.torchGenerator(0), v)],
  ['tryRandn(v, [3])', (v) => lib.tryRandn(v, [3])],
  ['rand(v, [2])', (v) => lib.rand(v, [2])],
  ['randInto(v, g)', (v) => lib.randInto(v, lib.torchGenerator(0))],
  ['randnInto(out, v)', (v) => lib.randnInto(new Float32Array(32), v)],
  ['nextUint32(v)', (v) => lib.nextUint32(v)],
  ['generatorState(v)', (v) => lib.generatorState(v)],
  ['fromGeneratorState(v)', (v) => lib.fromGeneratorState(v)],
  ['makeBetaSchedule(v)', (v) => lib.makeBetaSchedule(v)],
  ['rescaleZeroSnr(v)', (v) => lib.rescaleZeroSnr(v)],
  ['makeTables(v)', (v) => lib.makeTables(v)],
  ['timestepsFor(v)', (v) => lib.timestepsFor(v)],
  ['posteriorCoefficients(v, 5, 4)', (v) => lib.posteriorCoefficients(v, 5, 4)],
  ['posteriorCoefficients(table, v, 4)', (v) => lib.posteriorCoefficients(table, v, 4)],
  ['posteriorCoefficients(table, 5, 4, v)', (v) => lib.posteriorCoefficients(table, 5, 4, v)],
  ['posteriorStep(v, k, options)', (v) => lib.posteriorStep(v, k, options)],
  ['posteriorStep(inputs, v, options)', (v) => lib.posteriorStep({ modelOutput: t, sample: t, noise: t }, v, options)],
  ['posteriorStep(inputs, k, v)', (v) => lib.posteriorStep({ modelOutput: t, sample: t, noise: t }, k, v)],
  ['posteriorStepInto(v, inputs, k, options)', (v) => lib.posteriorStepInto(v, { modelOutput: t, sample: t, noise: t }, k, options)],
  ['ddpmStep(v, options, inputs)', (v) => lib.ddpmStep(v, options, { modelOutput: t, sample: t, timestep: 5, prevTimestep: 4, noise: t })],
  ['ddpmStep(table, options, v)', (v) => lib.ddpmStep(table, options, v)],
  ['ddpmStep(table, v, inputs)', (v) => lib.ddpmStep(table, v, { modelOutput: t, sample: t, timestep: 5, prevTimestep: 4, noise: t })],
  ['addNoiseWith(v, x, noise, 5)', (v) => lib.addNoiseWith(v, t, t, 5)],
  ['velocityWith(v, x, noise, 5)', (v) => lib.velocityWith(v, t, t, 5)],
  ['denoise(s, model, v)', (v) => lib.denoise(s, (x) => x, v)],
  ['denoise(s, v, x)', (v) => lib.denoise(s, v, t)],
  ['denoise(s, model, x, v)', (v) => lib.denoise(s, (x) => x, t, v)],
  ['allocate(v)', (v) => lib.allocate(v)],
  ['allocTensor(v)', (v) => lib.allocTensor(v)],
  ['freeTensor(v)', (v) => lib.freeTensor(v)],
  ['setBackend(v)', (v) => lib.setBackend(v)],
  ['reserveTensorMemory(v)', (v) => lib.reserveTensorMemory(v)],
  ['parseDiffusersConfig(v)', (v) => lib.parseDiffusersConfig(v)],
  ['validateConfig(v)', (v) => lib.validateConfig(v)],
  ['stepOptionsOf(v)', (v) => lib.stepOptionsOf(v)],
  ['float16ToFloat32(v)', (v) => lib.float16ToFloat32(v)],
  ['float32ToFloat16(v)', (v) => lib.float32ToFloat16(v)],
  ['float16Into(v, bits)', (v) => lib.float16Into(v, new Uint16Array(8))],
  ['float16Into(out, v)', (v) => lib.float16Into(lib.allocate([1, 8]), v)],
  ['fromFloat16(v, shape)', (v) => lib.fromFloat16(v, [1, 8])],
  ['fromFloat16(bits, v)', (v) => lib.fromFloat16(new Uint16Array(8), v)],
  ['toFloat16Into(v, x)', (v) => lib.toFloat16Into(v, t)],
  ['toFloat16Into(out, v)', (v) => lib.toFloat16Into(new Uint16Array(8), v)],
  ['validateTables(v, use)', (v) => lib.validateTables(v, { source: 'betas', learnedRange: false, epsilonPrediction: true } as never)],
  ['validateTables(tables, v)', (v) => lib.validateTables(lib.makeTables(s.betas), v)],
  ['chooseBackend(v, true)', (v) => lib.chooseBackend(v, true)],
  ['isWasmTensor(v)', (v) => lib.isWasmTensor(v)],
  // takes no argument: one passed anyway changes nothing, and the answer is a build name
  ['wasmBuild(v)', (v) => {
    const build = (lib.wasmBuild as (x: unknown) => unknown)(v);
    if (build !== 'simd' && build !== 'relaxed-simd' && build !== null) throw new Error(`wasmBuild gave ${String(build)}`);
    return build;
  }],
  ['denoiseAsync(s, model, v)', (v) => lib.denoiseAsync(s, async (x) => x, v)],
];

const isError = (e: unknown): e is SchedulerError =>
  typeof e === 'object' && e !== null && typeof (e as SchedulerError)._tag === 'string' && typeof (e as SchedulerError).parameter === 'string';

/** What a call did: 'ok', a typed error with its parameter, or how it failed otherwise. */
const outcome = (f: () => unknown): string => {
  try {
    const r = f();
    if (E.isLeft(r as E.Either<unknown, unknown>)) {
      const left = (r as E.Left<unknown>).left;
      return isError(left) && left.parameter !== '' ? 'typed' : `untyped Left ${String(left)}`;
    }
    if (typeof r === 'number' && !Number.isFinite(r)) return `a non-finite number ${r}`;
    return 'ok';
  } catch (e) {
    if (e instanceof SchedulerException && isError(e.error) && e.error.parameter !== '') return 'typed';
    return `threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`;
  }
};

describe('every export is total over hostile arguments', () => {
  it.each(calls)('%s: a typed error naming a parameter (or a value), never a throw from inside', (_name, call) => {
    const bad = hostile.map(([label, v]) => [label, outcome(() => call(v as never))] as const).filter(([, o]) => o !== 'ok' && o !== 'typed');
    expect(bad).toEqual([]);
  });

  it('covers several hundred (export, argument) pairs', () => {
    expect(calls.length * hostile.length).toBeGreaterThan(600);
  });
});
