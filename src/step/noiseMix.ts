import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import { checkShape, checkTensor, contiguousCopy, isContiguous, type Tensor } from '../tensor/index.js';
import { perItem } from './timesteps.js';
import type { Table } from './types.js';
import { roundingOf } from '../kernels/posteriorElement.js';
import { andThen } from '../validation.js';
import { unfilledTensor } from '../tensor/unfilled.js';

/**
 * `out = sqrt(alphaBar_t) * a + sign * sqrt(1 - alphaBar_t) * b` per batch item, after checking the
 * tensors and timesteps. Both square roots are rounded to float32 for a Float32Array table, as
 * diffusers computes `alphas_cumprod[t] ** 0.5` on a float32 tensor.
 *
 * @internal
 */
export const mixByTimestep = (
  alphasCumprod: Table,
  a: unknown,
  aName: string,
  b: unknown,
  bName: string,
  sign: 1 | -1,
  timesteps: number | ArrayLike<number>,
): E.Either<SchedulerError, Tensor> => {
  const aE = checkTensor(a, aName, 1);
  if (E.isLeft(aE)) return aE;
  const bE = andThen(checkTensor(b, bName, 1), (t) => checkShape(t, aE.right.shape, bName, `the shape of ${aName}`));
  if (E.isLeft(bE)) return bE;
  const shape = aE.right.shape;
  const batch = shape[0] as number;
  const tsE = perItem(timesteps, batch, 'timesteps', 0, alphasCumprod.length - 1, true);
  if (E.isLeft(tsE)) return tsE;
  const float32 = !(alphasCumprod instanceof Float64Array);
  const r = roundingOf(float32);
  const x = isContiguous(aE.right, 1) ? aE.right : contiguousCopy(aE.right);
  const y = isContiguous(bE.right, 1) ? bE.right : contiguousCopy(bE.right);
  // the loop below writes every element of every item
  const out = unfilledTensor(shape);
  let len = 1;
  for (let d = 1; d < shape.length; d++) len *= shape[d] as number;
  const xd = x.data;
  const yd = y.data;
  const od = out.data;
  for (let item = 0; item < batch; item++) {
    const alphaBar = alphasCumprod[tsE.right[item] as number] as number;
    const ca = r(Math.sqrt(alphaBar));
    const cb = sign * r(Math.sqrt(r(1 - alphaBar)));
    const xo = x.offset + item * (x.stride[0] as number);
    const yo = y.offset + item * (y.stride[0] as number);
    const oo = item * len;
    if (!float32) {
      for (let i = 0; i < len; i++) od[oo + i] = ca * (xd[xo + i] as number) + cb * (yd[yo + i] as number);
    } else {
      // each product rounded to float32 as torch's two multiplications are; the store rounds the sum
      for (let i = 0; i < len; i++) od[oo + i] = r(ca * (xd[xo + i] as number)) + r(cb * (yd[yo + i] as number));
    }
  }
  return E.right(out);
};
