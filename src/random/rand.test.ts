import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { readRandomFixture } from '../../test-utils/random-fixture.js';
import { torchGenerator } from './generator.js';
import { rand, randInto, tryRand } from './rand.js';
import { generatorState } from './state.js';

const fixture = readRandomFixture('default');
const randCases = fixture.cases.filter((c) => c.calls.length === 1 && c.calls[0]?.op === 'rand');

describe('rand', () => {
  it('draws the public torch.rand(3) after torch.manual_seed(0)', () => {
    const [u] = rand(torchGenerator(0), [3]);
    [0.4963, 0.7682, 0.0885].forEach((x, i) => expect(u.data[i]).toBeCloseTo(x, 4));
  });

  it.each(randCases.map((c) => [c.name, c] as const))('equals real torch exactly: %s', (_name, c) => {
    const call = c.calls[0];
    if (call === undefined) throw new Error('empty case');
    const [u] = rand(torchGenerator(BigInt(c.seed)), call.shape);
    const picked = call.indices === undefined ? Array.from(u.data) : call.indices.map((i) => u.data[i] as number);
    expect(picked).toEqual(call.values.map(Math.fround));
    if (call.sha256 !== undefined) {
      expect(createHash('sha256').update(Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength)).digest('hex')).toBe(call.sha256);
    }
  });

  it('gives multiples of 2^-24 in [0, 1)', () => {
    const [u] = rand(torchGenerator(3), [5000]);
    for (const x of u.data) {
      expect(x >= 0 && x < 1).toBe(true);
      expect(Number.isInteger(x * 2 ** 24)).toBe(true);
    }
  });

  it('continues the stream: rand(a) then rand(b) equals rand(a + b), across a regeneration', () => {
    const [whole] = rand(torchGenerator(5), [1000]);
    const [first, next] = rand(torchGenerator(5), [600]);
    const [second] = rand(next, [400]);
    expect([...first.data, ...second.data]).toEqual(Array.from(whole.data));
  });

  it('leaves its generator usable and keeps the cached normal of the generator', () => {
    const g = torchGenerator(11);
    const [a] = rand(g, [4]);
    const [b] = rand(g, [4]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('is a typed InvalidTensor error on a bad shape, and throws it in the convenience form', () => {
    const result = tryRand(torchGenerator(0), [3, -2]);
    expect(E.isLeft(result) && result.left.parameter).toBe('shape[1]');
    expect(() => rand(torchGenerator(0), [Infinity])).toThrow(SchedulerException);
  });

  it('returns a frozen pair', () => {
    const pair = rand(torchGenerator(0), [2]);
    expect(Object.isFrozen(pair)).toBe(true);
  });
});

describe('randInto', () => {
  it('fills out with what rand draws and returns the same next generator', () => {
    const g = torchGenerator(2);
    const out = new Float32Array(700);
    const next = randInto(out, g);
    const [u, uNext] = rand(g, [700]);
    expect(Array.from(out)).toEqual(Array.from(u.data));
    expect(generatorState(next)).toEqual(generatorState(uNext));
  });
});
