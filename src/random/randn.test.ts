import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { maxUlpDistance32, ulpDistance32 } from '../../test-utils/float.js';
import { readRandomFixture, type RandomFixtureCall } from '../../test-utils/random-fixture.js';
import { torchGenerator, type TorchGenerator } from './generator.js';
import { rand } from './rand.js';
import { randn, randnInto, tryRandn } from './randn.js';
import { generatorState } from './state.js';

const fixture = readRandomFixture();

/**
 * The tolerance of each path: the double path rounds once, but V8's and glibc's double sin/cos may
 * differ in the last bit; the float32 path's log, sin and cos are the correctly rounded float32
 * values, as the transcription's (double, rounded once), so it matches exactly.
 */
const ulpBound = (call: RandomFixtureCall): number => (call.op === 'randn' && call.numel < 16 ? 1 : 0);

const compare = (call: RandomFixtureCall, data: Float32Array): number => {
  if (call.indices === undefined) return maxUlpDistance32(data, call.values);
  const picked = call.indices.map((i) => data[i] as number);
  let sum = 0;
  for (const x of data) sum += x;
  // Even values 2 ulp (relative 2^-22) off would keep the sum within 2^-22 * sum |x| <= 2^-22 * sqrt(n sum x^2);
  // these large draws are exact (ulpBound is 0 for n >= 16), so this only bounds the summation order.
  expect(Math.abs(sum - (call.sum as number))).toBeLessThanOrEqual(2 ** -22 * Math.sqrt(call.numel * (call.sumOfSquares as number)));
  return maxUlpDistance32(picked, call.values);
};

describe('randn', () => {
  it('draws the public torch.randn(2, 3) after torch.manual_seed(0)', () => {
    const [noise] = randn(torchGenerator(0), [2, 3]);
    expect(noise.shape).toEqual([2, 3]);
    const expected = [1.541, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986];
    expected.forEach((x, i) => expect(noise.data[i]).toBeCloseTo(x, 4));
  });

  it.each(fixture.cases.map((c) => [c.name, c] as const))('matches the numpy transcription of PyTorch: %s', (_name, c) => {
    let g: TorchGenerator = torchGenerator(BigInt(c.seed));
    for (const call of c.calls) {
      const [tensor, next] = call.op === 'randn' ? randn(g, call.shape) : rand(g, call.shape);
      expect(tensor.shape).toEqual(call.shape);
      expect(tensor.data.length).toBe(call.numel);
      expect(compare(call, tensor.data)).toBeLessThanOrEqual(ulpBound(call));
      g = next;
    }
    const state = generatorState(g);
    expect(state.index).toBe(c.final.index);
    expect(state.words[0]).toBe(c.final.word0);
    if (c.final.cachedNormal === null) expect(state.cachedNormal).toBeNull();
    // A double: V8's and glibc's sin may differ in the last bit, so allow a few double ulp.
    else expect(Math.abs((state.cachedNormal as number) - c.final.cachedNormal)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.abs(c.final.cachedNormal));
  });

  it('leaves its generator usable: drawing from it again gives the same numbers', () => {
    const g = torchGenerator(42);
    const [a, next] = randn(g, [3, 7]);
    const [b] = randn(g, [3, 7]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    const [c] = randn(next, [3, 7]);
    expect(maxUlpDistance32(c.data, a.data)).toBeGreaterThan(0);
  });

  it('serves a cached normal from an odd-sized draw to the next small draw, as PyTorch does', () => {
    const [three] = randn(torchGenerator(0), [3]);
    const [, afterTwo] = randn(torchGenerator(0), [2]);
    const [oneMore] = randn(afterTwo, [1]);
    // randn(3) = pair 1 (cos, sin), then cos of pair 2; randn(2) then randn(1) makes the same three.
    expect(ulpDistance32(oneMore.data[0] as number, three.data[2] as number)).toBe(0);
    const [, afterOne] = randn(torchGenerator(0), [1]);
    const [cached] = randn(afterOne, [1]);
    expect(cached.data[0]).toBe(three.data[1]);
  });

  it('recomputes the last 16 values of a ragged length from 16 fresh uniforms', () => {
    const [twenty] = randn(torchGenerator(0), [20]);
    const [sixteen] = randn(torchGenerator(0), [16]);
    // The first 4 values come from the first block; the last 16 do not.
    expect(Array.from(twenty.data.slice(0, 4))).toEqual(Array.from(sixteen.data.slice(0, 4)));
    expect(twenty.data[4]).not.toBe(sixteen.data[4]);
  });

  it('returns an empty tensor and an equivalent generator for a zero-size shape', () => {
    const g = torchGenerator(1);
    const [empty, next] = randn(g, [4, 0]);
    expect(empty.shape).toEqual([4, 0]);
    expect(empty.data.length).toBe(0);
    expect(generatorState(next)).toEqual(generatorState(g));
  });

  it('returns a scalar tensor for the rank-0 shape []', () => {
    const [scalar] = randn(torchGenerator(0), []);
    expect(scalar.shape).toEqual([]);
    expect(scalar.data[0]).toBeCloseTo(1.541, 4);
  });

  it('is a typed InvalidTensor error on a negative, fractional or NaN dimension', () => {
    for (const [shape, parameter] of [[[-1], 'shape[0]'], [[2, 0.5], 'shape[1]'], [[NaN], 'shape[0]']] as const) {
      const result = tryRandn(torchGenerator(0), shape);
      expect(E.isLeft(result) && result.left._tag).toBe('InvalidTensor');
      expect(E.isLeft(result) && result.left.parameter).toBe(parameter);
      expect(() => randn(torchGenerator(0), shape)).toThrow(SchedulerException);
    }
  });

  it('is a typed error on a generator that this library did not make', () => {
    const result = tryRandn({ seed: 0n, cpuCapability: 'avx512' }, [2]);
    expect(E.isLeft(result) && result.left._tag).toBe('InvalidGeneratorState');
  });
});

// Bound once: under jest every global Math.* lookup costs ~800 ns.
const { cos, fround, log, PI, sin, sqrt } = Math;

/** PyTorch's float32 normal_fill over uniforms, written with Math's functions rounded to float32. */
const referenceBlocks = (uniforms: Float32Array): Float32Array => {
  const out = new Float32Array(uniforms.length);
  for (let base = 0; base < uniforms.length; base += 16) {
    for (let j = base; j < base + 8; j++) {
      const radius = fround(sqrt(-2 * fround(log(1 - (uniforms[j] as number)))));
      const theta = fround(2 * PI * (uniforms[j + 8] as number));
      out[j] = fround(radius * fround(cos(theta))) + 0;
      out[j + 8] = fround(radius * fround(sin(theta))) + 0;
    }
  }
  return out;
};

describe('randn, n >= 16', () => {
  it('equals Box-Muller with Math.fround(Math.log/sin/cos) over the uniforms rand draws, bit for bit', () => {
    for (const [seed, n] of [[0, 16], [3, 4096], [77, 65536]] as const) {
      const [uniforms] = rand(torchGenerator(seed), [n]);
      const [normals] = randn(torchGenerator(seed), [n]);
      const expected = new Uint32Array(referenceBlocks(uniforms.data).buffer);
      const actual = new Uint32Array(normals.data.slice().buffer);
      let mismatches = 0;
      for (let i = 0; i < n; i++) if (actual[i] !== expected[i]) mismatches++;
      expect(mismatches).toBe(0);
    }
  });
});

describe('randnInto', () => {
  it('fills out with what randn draws, for every path, and returns the same next generator', () => {
    for (const n of [1, 5, 16, 17, 100]) {
      const g = torchGenerator(7);
      const out = new Float32Array(n);
      const next = randnInto(out, g);
      const [tensor, tensorNext] = randn(g, [n]);
      expect(Array.from(out)).toEqual(Array.from(tensor.data));
      expect(generatorState(next)).toEqual(generatorState(tensorNext));
    }
  });

  it('returns the generator itself for an empty out', () => {
    const g = torchGenerator(7);
    expect(randnInto(new Float32Array(0), g)).toBe(g);
  });

  it('never writes the words of the generator it reads', () => {
    const g = torchGenerator(9);
    const before = JSON.stringify(generatorState(g));
    randnInto(new Float32Array(2000), g);
    randnInto(new Float32Array(3), g);
    expect(JSON.stringify(generatorState(g))).toBe(before);
  });
});
