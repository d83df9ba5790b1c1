import type { Tensor } from './tensor.js';

/**
 * Splits a `[batch, channels, ...]` tensor along dimension 1 at `channels`, as two views on the same
 * data (no copy): the first `channels` channels and the rest. This is how a learned-variance model
 * output `[batch, 2C, ...]` becomes the prediction and the variance.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const out = ndarray(new Float32Array(2 * 6 * 4), [2, 6, 4]);
 * const [prediction, variance] = splitChannels(out, 3);
 * prediction.shape;  // [2, 3, 4]
 * variance.shape;    // [2, 3, 4]
 * variance.data === out.data;  // true
 * ```
 */
export const splitChannels = (t: Tensor, channels: number): readonly [Tensor, Tensor] => {
  const batch = t.shape[0] as number;
  const total = t.shape[1] as number;
  // ndarray's lo/hi take one argument per dimension; the ones left out keep their extent
  const first = t.hi(batch, channels);
  const second = t.lo(0, channels).hi(batch, total - channels);
  return [first, second] as const;
};
