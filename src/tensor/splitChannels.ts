import { SchedulerException, schedulerError } from '../errors.js';
import type { Tensor } from './tensor.js';
import { tensorOrThrow } from './tensorOrThrow.js';

/**
 * Splits a `[batch, channels, ...]` tensor along dimension 1 at `channels`, as two views on the same
 * data (no copy): the first `channels` channels and the rest. This is how a learned-variance model
 * output `[batch, 2C, ...]` becomes the prediction and the variance.
 *
 * Throws a `SchedulerException` (InvalidTensor `t`, InvalidNumber `channels`) unless `t` has rank >= 2 and
 * `channels` is an integer in [0, t.shape[1]].
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
  tensorOrThrow(t, 't', 2);
  const batch = t.shape[0] as number;
  const total = t.shape[1] as number;
  if (typeof channels !== 'number' || !Number.isInteger(channels) || channels < 0 || channels > total) {
    throw new SchedulerException(schedulerError('InvalidNumber', 'channels', channels, `an integer in [0, ${total}] (t.shape[1])`));
  }
  // ndarray's lo/hi take one argument per dimension; the ones left out keep their extent
  const first = t.hi(batch, channels);
  const second = t.lo(0, channels).hi(batch, total - channels);
  return [first, second] as const;
};
