import { createHash } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { maxUlpDistance32, ulpDistance32 } from '../../test-utils/float.js';
import { readRandomFixture, type RandomFixtureCall } from '../../test-utils/random-fixture.js';
import type { CpuCapability } from '../cpuCapability.js';
import { torchGenerator, type TorchGenerator } from './generator.js';
import { rand } from './rand.js';
import { randn, randnInto, tryRandn } from './randn.js';
import { generatorState } from './state.js';
import { avx2NormalBlock } from '../kernels/js/avx2Normal.js';
import { scalarNormalBlock } from '../kernels/js/scalarNormal.js';

// Real torch 1.13's draws, per kernel family: the default build's (which the AVX512 build shares: its
// randn is the same scalar loop) and the AVX2 build's.
const flavors: ReadonlyArray<readonly [CpuCapability, ReturnType<typeof readRandomFixture>]> = [
  ['default', readRandomFixture('default')],
  ['avx512', readRandomFixture('default')],
  ['avx2', readRandomFixture('avx2')],
];

/** The little-endian bytes of float32 values, hashed as the fixture script hashes them. */
const sha256 = (data: Float32Array): string => createHash('sha256').update(Buffer.from(data.buffer, data.byteOffset, data.byteLength)).digest('hex');

/** The largest ulp distance to the recorded values; every value, or the recorded ones and the hash of all. */
const compare = (call: RandomFixtureCall, data: Float32Array): number => {
  if (call.indices === undefined) return maxUlpDistance32(data, call.values);
  expect(sha256(data)).toBe(call.sha256);
  return maxUlpDistance32(call.indices.map((i) => data[i] as number), call.values);
};

describe('randn', () => {
  it('draws the public torch.randn(2, 3) after torch.manual_seed(0)', () => {
    const [noise] = randn(torchGenerator(0), [2, 3]);
    expect(noise.shape).toEqual([2, 3]);
    const expected = [1.541, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986];
    expected.forEach((x, i) => expect(noise.data[i]).toBeCloseTo(x, 4));
  });

  describe.each(flavors)('against real torch, cpuCapability %s', (cpuCapability, fixture) => {
    it.each(fixture.cases.map((c) => [c.name, c] as const))('equals torch at 0 ulp: %s', (_name, c) => {
      let g: TorchGenerator = torchGenerator(BigInt(c.seed), { cpuCapability });
      for (const call of c.calls) {
        const [tensor, next] = call.op === 'randn' ? randn(g, call.shape) : rand(g, call.shape);
        expect(tensor.shape).toEqual(call.shape);
        expect(tensor.data.length).toBe(call.numel);
        expect(compare(call, tensor.data)).toBe(0);
        g = next;
      }
      const state = generatorState(g);
      expect(state.index).toBe(c.final.index);
      expect(state.words[0]).toBe(c.final.word0);
      // The cached second value of the n < 16 path is a double, never handed out but rounded to float32:
      // V8's double log1p/sin/cos (fdlibm) and glibc's differ in the last bit now and then (3 of these
      // cases), and torch 1.13 takes log(1 - u) where torch 2.x takes log1p(-u). Within 1 double ulp.
      if (c.final.cachedNormal === null) expect(state.cachedNormal).toBeNull();
      else expect(Math.abs((state.cachedNormal as number) - c.final.cachedNormal)).toBeLessThanOrEqual(Number.EPSILON * Math.abs(c.final.cachedNormal));
    });
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

describe('randn, n >= 16', () => {
  it('is the kernel family\'s Box-Muller block over the uniforms rand draws: scalar glibc, or AVX2', () => {
    for (const [cpuCapability, block] of [['default', scalarNormalBlock], ['avx512', scalarNormalBlock], ['avx2', avx2NormalBlock]] as const) {
      for (const [seed, n] of [[0, 16], [3, 4096]] as const) {
        const [uniforms] = rand(torchGenerator(seed), [n]);
        const expected = uniforms.data.slice();
        for (let base = 0; base < n; base += 16) block(expected, base);
        const [normals] = randn(torchGenerator(seed, { cpuCapability }), [n]);
        expect(Buffer.compare(Buffer.from(normals.data.buffer), Buffer.from(expected.buffer))).toBe(0);
      }
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
