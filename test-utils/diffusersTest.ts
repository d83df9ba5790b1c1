import ndarray from 'ndarray';
import * as E from 'fp-ts/lib/Either.js';
import type { Tensor } from '../src/tensor/index.js';

/** diffusers' test shape for its scheduler tests: [batch 4, channels 3, 8, 8]. */
export const DIFFUSERS_TEST_SHAPE = [4, 3, 8, 8] as const;

/**
 * diffusers' `dummy_sample_deter` (and, reversed, `dummy_noise_deter`): the value at [b, c, h, w] is
 * k / 768 with k = ((c*8 + h)*8 + w)*4 + b (or (767 - k) / 768), laid out contiguously.
 */
export const deterministicTensor = (reversed = false): Tensor => {
  const data = new Float32Array(768);
  for (let b = 0; b < 4; b++)
    for (let c = 0; c < 3; c++)
      for (let h = 0; h < 8; h++)
        for (let w = 0; w < 8; w++) {
          const k = ((c * 8 + h) * 8 + w) * 4 + b;
          data[((b * 3 + c) * 8 + h) * 8 + w] = (reversed ? 767 - k : k) / 768;
        }
  return ndarray(data, [...DIFFUSERS_TEST_SHAPE]);
};

/**
 * diffusers' dummy model `x * t / (t + 1)` in float32 (with `shift`, `x * (t + s) / (t + s + 1)`); for the
 * learned variance types, `tanh(x)` is appended as the variance channels.
 */
export const dummyModel =
  (shift = 0, varianceChannels = false) =>
  (x: Tensor, t: number): Tensor => {
    const [batch, channels, ...rest] = x.shape as [number, number, ...number[]];
    const inner = channels * rest.reduce((a, b) => a * b, 1);
    const width = varianceChannels ? 2 * inner : inner;
    const out = new Float32Array(batch * width);
    const num = Math.fround(t + shift);
    const den = Math.fround(t + shift + 1);
    for (let b = 0; b < batch; b++) {
      for (let i = 0; i < inner; i++) {
        const v = x.data[x.offset + b * inner + i] as number;
        out[b * width + i] = Math.fround(v * num) / den;
        if (varianceChannels) out[b * width + inner + i] = Math.tanh(v);
      }
    }
    return ndarray(out, [batch, varianceChannels ? 2 * channels : channels, ...rest]);
  };

/** The sum of |x| over a tensor's data, in double. */
export const absSum = (x: Tensor): number => {
  let s = 0;
  for (let i = 0; i < x.data.length; i++) s += Math.abs(x.data[i] as number);
  return s;
};

/** The Right value of an Either, or a thrown Error carrying the Left's message. */
export const unwrap = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};
