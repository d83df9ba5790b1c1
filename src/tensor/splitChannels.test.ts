import ndarray from 'ndarray';
import { splitChannels } from './splitChannels.js';
import { thrownBy } from '../../test-utils/thrown.js';
import { tensor as view } from './view.js';


describe('splitChannels', () => {
  const data = Float32Array.from({ length: 2 * 4 * 3 }, (_, i) => i);
  const t = ndarray(data, [2, 4, 3]);
  it('returns the first channels and the rest as views on the same data', () => {
    const [a, b] = splitChannels(t, 2);
    expect(a.shape).toEqual([2, 2, 3]);
    expect(b.shape).toEqual([2, 2, 3]);
    expect(a.data).toBe(data);
    expect(b.data).toBe(data);
  });
  it('maps each index to the right element', () => {
    const [a, b] = splitChannels(t, 2);
    expect(a.get(1, 1, 2)).toBe(t.get(1, 1, 2));
    expect(b.get(0, 0, 0)).toBe(t.get(0, 2, 0));
    expect(b.get(1, 1, 2)).toBe(t.get(1, 3, 2));
  });
  it('works for rank-2 [batch, features] tensors', () => {
    const [a, b] = splitChannels(ndarray(Float32Array.from([1, 2, 3, 4]), [2, 2]), 1);
    expect([a.get(0, 0), a.get(1, 0), b.get(0, 0), b.get(1, 0)]).toEqual([1, 3, 2, 4]);
  });
});

describe('splitChannels on bad arguments', () => {
  const t = view(new Float32Array(8), [2, 4]);
  it.each([
    ['a null tensor', null, 1, ['InvalidTensor', 't']],
    ['a rank-1 tensor', view(new Float32Array(4), [4]), 1, ['InvalidTensor', 't.shape']],
    ['more channels than t has', t, 5, ['InvalidNumber', 'channels']],
    ['a fractional count', t, 1.5, ['InvalidNumber', 'channels']],
    ['a negative count', t, -1, ['InvalidNumber', 'channels']],
  ])('%s throws a SchedulerException naming it', (_name, value, channels, expected) => {
    expect(thrownBy(() => splitChannels(value as never, channels as number))).toEqual(expected);
  });
});
