import { nextUint32, nextUint64 } from './bits.js';
import { torchGenerator } from './generator.js';
import { generatorState } from './state.js';

describe('nextUint32', () => {
  it('gives the MT19937 outputs in order, and leaves its generator unchanged', () => {
    const g = torchGenerator(5489);
    const [a, next] = nextUint32(g);
    const [b] = nextUint32(next);
    expect([a, b]).toEqual([3499211612, 581869302]);
    expect(nextUint32(g)[0]).toBe(a);
  });
});

describe('nextUint64', () => {
  it('puts the first 32-bit output in the high word, as PyTorch random64 does', () => {
    const [x, next] = nextUint64(torchGenerator(5489));
    expect(x).toBe((3499211612n << 32n) | 581869302n);
    expect(generatorState(next).index).toBe(2);
  });
});
