import * as E from 'fp-ts/lib/Either.js';
import { CPU_CAPABILITIES, DEFAULT_CPU_CAPABILITY, validateCpuCapability } from './cpuCapability.js';
import { SchedulerException } from './errors.js';
import { fromGeneratorState, generatorState, torchGenerator, tryTorchGenerator } from './random/index.js';
import { createScheduler, fromDiffusersConfig, toDiffusersConfig } from './scheduler/index.js';

const leftOf = <A>(r: E.Either<{ _tag: string; parameter: string; message: string }, A>) => {
  if (E.isRight(r)) throw new Error('expected an error');
  return r.left;
};

describe('cpuCapability', () => {
  it('names torch.backends.cpu.get_cpu_capability() in lowercase; the default is avx512', () => {
    expect(CPU_CAPABILITIES).toEqual(['default', 'avx2', 'avx512']);
    expect(DEFAULT_CPU_CAPABILITY).toBe('avx512');
    for (const c of CPU_CAPABILITIES) expect(validateCpuCapability(c)).toEqual(E.right(c));
    expect(validateCpuCapability(undefined)).toEqual(E.right('avx512'));
  });

  it('refuses anything else with a typed error naming the parameter and the choices', () => {
    for (const bad of ['AVX2', 'neon', '', null, 2, {}, ['avx2']]) {
      const e = leftOf(validateCpuCapability(bad, 'x.cpuCapability'));
      expect(e._tag).toBe('InvalidOption');
      expect(e.parameter).toBe('x.cpuCapability');
      expect(e.message).toContain("'default', 'avx2', 'avx512'");
    }
  });

  it('is a generator option, kept by draws and by the state', () => {
    expect(torchGenerator(0).cpuCapability).toBe('avx512');
    const g = torchGenerator(5, { cpuCapability: 'avx2' });
    expect(g.cpuCapability).toBe('avx2');
    const state = generatorState(g);
    expect(state.cpuCapability).toBe('avx2');
    const back = fromGeneratorState(JSON.parse(JSON.stringify(state)));
    expect(E.isRight(back) && back.right.cpuCapability).toBe('avx2');
    // a state written before the field existed reads as the default
    const { cpuCapability: _omitted, ...old } = state;
    const legacy = fromGeneratorState(old);
    expect(E.isRight(legacy) && legacy.right.cpuCapability).toBe('avx512');
    expect(leftOf(fromGeneratorState({ ...state, cpuCapability: 'sse' })).parameter).toBe('state.cpuCapability');
  });

  it('refuses bad generator options', () => {
    expect(leftOf(tryTorchGenerator(0, 'avx2')).parameter).toBe('options');
    expect(leftOf(tryTorchGenerator(0, { cpuCapability: 'avx' })).parameter).toBe('options.cpuCapability');
    expect(() => torchGenerator(0, { cpuCapability: 'x' as never })).toThrow(SchedulerException);
  });

  it('is a scheduler config field that toDiffusersConfig never writes; fromDiffusersConfig takes it as an option', () => {
    const s = createScheduler({ cpuCapability: 'default' });
    if (E.isLeft(s)) throw new Error(s.left.message);
    expect(s.right.config.cpuCapability).toBe('default');
    const json = toDiffusersConfig(s.right);
    expect(JSON.stringify(json)).not.toMatch(/capability/i);
    const back = fromDiffusersConfig(json, { cpuCapability: 'default' });
    expect(E.isRight(back) && back.right.config).toEqual(s.right.config);
    const plain = fromDiffusersConfig(json);
    expect(E.isRight(plain) && plain.right.config.cpuCapability).toBe('avx512');
    expect(leftOf(createScheduler({ cpuCapability: 'arm' as never })).parameter).toBe('cpuCapability');
    expect(leftOf(fromDiffusersConfig(json, { cpuCapability: 'arm' as never })).parameter).toBe('cpuCapability');
    expect(leftOf(fromDiffusersConfig(json, 'avx2' as never)).parameter).toBe('options');
    expect(leftOf(fromDiffusersConfig(json, { cpu: 'avx2' } as never)).parameter).toBe('options.cpu');
  });

  it('lets the precision option of fromDiffusersConfig win over _precision', () => {
    const r = fromDiffusersConfig({ _precision: 'float64' }, { precision: 'float32' });
    expect(E.isRight(r) && r.right.config.precision).toBe('float32');
    const f64 = fromDiffusersConfig({}, { precision: 'float64' });
    expect(E.isRight(f64) && f64.right.alphasCumprod instanceof Float64Array).toBe(true);
  });
});
