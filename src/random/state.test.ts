import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { readRandomFixture } from '../../test-utils/random-fixture.js';
import { torchGenerator, type TorchGenerator } from './generator.js';
import { rand } from './rand.js';
import { randn } from './randn.js';
import { fromGeneratorState, generatorState, TORCH_GENERATOR_STATE_KIND } from './state.js';

const fixture = readRandomFixture('default');

const restore = (data: unknown): TorchGenerator => {
  const result = fromGeneratorState(data);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

const errorOf = (data: unknown) => {
  const result = fromGeneratorState(data);
  if (E.isRight(result)) throw new Error('expected an error');
  return result.left;
};

/** A generator part-way through its words with a cached normal. */
const busy = (): TorchGenerator => randn(rand(torchGenerator(2n ** 63n + 5n), [700])[1], [3])[1];

describe('generatorState', () => {
  it('is plain data: the kind, the seed in decimal, 624 words, the index and the cached normal', () => {
    const state = generatorState(torchGenerator(-1));
    expect(state.kind).toBe(TORCH_GENERATOR_STATE_KIND);
    expect(state.seed).toBe('18446744073709551615');
    expect(state.words.length).toBe(624);
    expect(state.words[0]).toBe(0xffffffff);
    expect(state.index).toBe(624);
    expect(state.cachedNormal).toBeNull();
    expect(Object.isFrozen(state)).toBe(true);
  });

  it('records the words real torch ends with (SHA-256 of the little-endian words)', () => {
    for (const c of fixture.cases.filter((k) => k.name.includes('sequence'))) {
      let g = torchGenerator(BigInt(c.seed));
      for (const call of c.calls) g = (call.op === 'randn' ? randn(g, call.shape) : rand(g, call.shape))[1];
      const words = Uint32Array.from(generatorState(g).words);
      const bytes = Buffer.from(words.buffer);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(c.final.wordsSha256);
    }
  });
});

describe('fromGeneratorState', () => {
  it('round-trips through JSON exactly, cached normal included, and then draws the same numbers', () => {
    const g = busy();
    const state = generatorState(g);
    expect(state.cachedNormal).not.toBeNull();
    const back = restore(JSON.parse(JSON.stringify(state)));
    expect(generatorState(back)).toEqual(state);
    expect(back.seed).toBe(g.seed);
    expect(Array.from(randn(back, [5])[0].data)).toEqual(Array.from(randn(g, [5])[0].data));
    expect(Array.from(randn(back, [40])[0].data)).toEqual(Array.from(randn(g, [40])[0].data));
  });

  it('copies the words, so that changing the data afterwards does not change the generator', () => {
    const state = JSON.parse(JSON.stringify(generatorState(busy())));
    const back = restore(state);
    const before = Array.from(rand(back, [10])[0].data);
    state.words.fill(1);
    expect(Array.from(rand(back, [10])[0].data)).toEqual(before);
  });

  it('names the field that is wrong', () => {
    const good = JSON.parse(JSON.stringify(generatorState(busy())));
    const cases: Array<[unknown, string]> = [
      [null, 'state'],
      [[1, 2], 'state'],
      [{ ...good, kind: 'numpy' }, 'state.kind'],
      [{ ...good, seed: 5 }, 'state.seed'],
      [{ ...good, seed: '-1' }, 'state.seed'],
      [{ ...good, seed: '18446744073709551616' }, 'state.seed'],
      [{ ...good, seed: '007' }, 'state.seed'],
      [{ ...good, words: good.words.slice(1) }, 'state.words'],
      [{ ...good, words: [...good.words.slice(0, 623), 2 ** 32] }, 'state.words[623]'],
      [{ ...good, words: [-1, ...good.words.slice(1)] }, 'state.words[0]'],
      [{ ...good, words: new Array(624).fill(0) }, 'state.words'],
      [{ ...good, index: 625 }, 'state.index'],
      [{ ...good, index: 1.5 }, 'state.index'],
      [{ ...good, cachedNormal: NaN }, 'state.cachedNormal'],
      [{ ...good, cachedNormal: '0.5' }, 'state.cachedNormal'],
    ];
    for (const [data, parameter] of cases) {
      const error = errorOf(data);
      expect(error._tag).toBe('InvalidGeneratorState');
      expect(error.parameter).toBe(parameter);
    }
  });
});

describe('fromGeneratorState: bounded work', () => {
  it('refuses a seed string longer than 2^64 - 1 has digits before reading it as a number', () => {
    const state = { ...generatorState(torchGenerator(1)), seed: '1'.repeat(1_000_000) };
    const r = fromGeneratorState(state);
    expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidGeneratorState', 'state.seed']);
    // 20 digits is the most a seed has: 2^64 - 1 is accepted, 2^64 is not
    expect(E.isRight(fromGeneratorState({ ...state, seed: '18446744073709551615' }))).toBe(true);
    expect(E.isLeft(fromGeneratorState({ ...state, seed: '18446744073709551616' }))).toBe(true);
  });
});
