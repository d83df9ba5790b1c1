import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { isGeneratorValue, torchGenerator, tryTorchGenerator } from './generator.js';
import { rand } from './rand.js';
import { generatorState } from './state.js';

const firstDraws = (seed: number | bigint): number[] => Array.from(rand(torchGenerator(seed), [4])[0].data);

const errorOf = (seed: unknown) => {
  const result = tryTorchGenerator(seed);
  if (E.isRight(result)) throw new Error('expected an error');
  return result.left;
};

describe('torchGenerator', () => {
  it('keeps the seed as the unsigned 64-bit integer torch.initial_seed() reports', () => {
    expect(torchGenerator(42).seed).toBe(42n);
    expect(torchGenerator(2n ** 63n).seed).toBe(2n ** 63n);
    expect(torchGenerator(2n ** 64n - 1n).seed).toBe(2n ** 64n - 1n);
  });

  it('maps negative seeds to their two\'s complement, as PyTorch does (-1 is 2^64 - 1)', () => {
    expect(torchGenerator(-1).seed).toBe(2n ** 64n - 1n);
    expect(torchGenerator(-(2n ** 63n)).seed).toBe(2n ** 63n);
    expect(firstDraws(-1)).toEqual(firstDraws(2n ** 64n - 1n));
  });

  it('seeds the twister with the low 32 bits only', () => {
    expect(firstDraws(2 ** 32 + 7)).toEqual(firstDraws(7));
    expect(firstDraws(2n ** 63n)).toEqual(firstDraws(0));
    expect(firstDraws(1)).not.toEqual(firstDraws(0));
  });

  it('treats a number and the equal bigint alike, and -0 as 0', () => {
    expect(generatorState(torchGenerator(123))).toEqual(generatorState(torchGenerator(123n)));
    expect(torchGenerator(-0).seed).toBe(0n);
  });

  it('is a frozen value', () => {
    const g = torchGenerator(0);
    expect(Object.isFrozen(g)).toBe(true);
    expect(isGeneratorValue(g)).toBe(true);
    expect(isGeneratorValue({ seed: 0n })).toBe(false);
  });

  it('throws a SchedulerException carrying the InvalidSeed error', () => {
    expect(() => torchGenerator(0.5)).toThrow(SchedulerException);
    try {
      torchGenerator(2n ** 64n);
    } catch (e) {
      expect(e instanceof SchedulerException && e.error._tag).toBe('InvalidSeed');
    }
    expect.assertions(2);
  });
});

describe('tryTorchGenerator', () => {
  it('accepts the whole range [-2^63, 2^64 - 1]', () => {
    for (const seed of [-(2n ** 63n), -1, 0, 2 ** 53 - 1, 2n ** 64n - 1n]) {
      expect(E.isRight(tryTorchGenerator(seed))).toBe(true);
    }
  });

  it('refuses seeds outside the range, naming the parameter, the value and the range', () => {
    for (const seed of [2n ** 64n, -(2n ** 63n) - 1n]) {
      const error = errorOf(seed);
      expect(error._tag).toBe('InvalidSeed');
      expect(error.parameter).toBe('seed');
      expect(error.received).toBe(seed);
      expect(error.message).toContain('[-2^63, 2^64 - 1]');
    }
  });

  it('refuses fractional, NaN, infinite and unsafe-integer numbers (pass a bigint instead)', () => {
    expect(errorOf(0.5).message).toContain('fractional');
    expect(errorOf(NaN).message).toContain('NaN');
    expect(errorOf(Infinity).message).toContain('infinite');
    expect(errorOf(2 ** 53).message).toContain('bigint');
  });

  it('refuses values that are not numbers or bigints', () => {
    for (const seed of ['0', null, undefined, {}, true]) expect(errorOf(seed)._tag).toBe('InvalidSeed');
  });
});
