import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { nextUint32, nextUint64 } from './bits.js';
import { isGeneratorValue, torchGenerator, type GeneratorValue } from './generator.js';
import { randInto, tryRand } from './rand.js';
import { randnInto, tryRandn } from './randn.js';
import { fromGeneratorState, generatorState } from './state.js';

// Forgeries of a generator: none is one the library made, whatever it looks like.
const real = torchGenerator(0) as GeneratorValue;
const Construct = real.constructor as new (seed: bigint, words: Uint32Array, index: number, cached: number | null) => GeneratorValue;
const forgeries: ReadonlyArray<readonly [string, unknown]> = [
  ['a look-alike object', { seed: 0n }],
  ['a spread copy', { ...real }],
  ['a JSON round trip', JSON.parse(JSON.stringify({ ...real, seed: '0' }))],
  ['a value made with the class constructor and a NaN index', new Construct(0n, real.words, NaN, null)],
  ['a value made with the class constructor and empty words', new Construct(0n, new Uint32Array(0), 0, null)],
  ['null', null],
  ['a number', 7],
];

/** The error a throwing convenience threw. */
const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof SchedulerException ? [e.error._tag, e.error.parameter] : ['not a SchedulerException', String(e)];
  }
  return ['no throw'];
};

describe('generators are branded: only values the library made are generators', () => {
  it.each(forgeries)('%s is refused by every draw, with InvalidGeneratorState naming the parameter', (_name, fake) => {
    expect(isGeneratorValue(fake)).toBe(false);
    for (const r of [tryRandn(fake as never, [4]), tryRand(fake as never, [4]), tryRandn(fake as never, [64])]) {
      expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidGeneratorState', 'g']);
    }
    expect(thrown(() => randInto(new Float32Array(4), fake as never))).toEqual(['InvalidGeneratorState', 'g']);
    expect(thrown(() => randnInto(new Float32Array(64), fake as never))).toEqual(['InvalidGeneratorState', 'g']);
    expect(thrown(() => nextUint32(fake as never))).toEqual(['InvalidGeneratorState', 'g']);
    expect(thrown(() => nextUint64(fake as never))).toEqual(['InvalidGeneratorState', 'g']);
    expect(thrown(() => generatorState(fake as never))).toEqual(['InvalidGeneratorState', 'g']);
  });

  it('the message says how to make a real one', () => {
    const r = tryRandn({ seed: 0n } as never, [4]);
    expect(E.isLeft(r) && r.left.message).toMatch(/torchGenerator\(seed\) or fromGeneratorState\(state\)/);
  });

  it('every value a draw or a restore returns is a generator', () => {
    const [, a] = E.getOrElseW(() => { throw new Error('draw'); })(tryRandn(real, [100]));
    const [, b] = nextUint32(a);
    const c = E.getOrElseW(() => { throw new Error('restore'); })(fromGeneratorState(generatorState(b)));
    expect([a, b, c].every(isGeneratorValue)).toBe(true);
  });

  it('randInto and randnInto refuse an output that is not a Float32Array, instead of hanging or throwing from inside', () => {
    for (const out of [{}, [0, 0, 0, 0], new Float64Array(4), null]) {
      expect(thrown(() => randInto(out as never, real))).toEqual(['InvalidTensor', 'out']);
      expect(thrown(() => randnInto(out as never, real))).toEqual(['InvalidTensor', 'out']);
    }
  });
});
