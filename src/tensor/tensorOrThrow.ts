import * as E from 'fp-ts/lib/Either.js';
import { SchedulerException } from '../errors.js';
import { checkTensor } from './checkTensor.js';
import type { Tensor } from './tensor.js';

/**
 * The tensor itself when {@link checkTensor} accepts it (any rank from `minRank`); otherwise throws a
 * `SchedulerException` carrying that `InvalidTensor` error. For the tensor conveniences whose
 * signatures have no error channel (`copyStrided`, `contiguousCopy`, `splitChannels`, `isContiguous`).
 *
 * @example
 * ```ts
 * tensorOrThrow(allocate([2, 2]), 't') // the tensor
 * tensorOrThrow(null, 't')             // throws SchedulerException (InvalidTensor 't')
 * ```
 * @internal
 */
export const tensorOrThrow = (value: unknown, parameter: string, minRank = 0): Tensor => {
  const checked = checkTensor(value, parameter, minRank);
  if (E.isLeft(checked)) throw new SchedulerException(checked.left);
  return checked.right;
};
