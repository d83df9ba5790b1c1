import { contiguousCopy, isContiguous, tensor, type DDPMScheduler, type Tensor } from 'ddpm-scheduler';

/**
 * The posterior mean E[x0 | x_t] of a finite dataset under the forward process
 * x_t = a x0 + b eps (a = sqrt(alphaBar_t), b = sqrt(1 - alphaBar_t)): a softmax-weighted average of
 * the data points, w_i proportional to exp(-|x_t - a x_i|^2 / (2 b^2)). Written into `out`.
 */
const posteriorMeanInto = (
  out: Float64Array,
  dataset: ReadonlyArray<Float32Array>,
  xt: Float32Array,
  offset: number,
  a: number,
  b: number,
): void => {
  const d = out.length;
  const logits = new Float64Array(dataset.length);
  let largest = -Infinity;
  for (let i = 0; i < dataset.length; i++) {
    const x = dataset[i] as Float32Array;
    let distance = 0;
    for (let k = 0; k < d; k++) {
      const diff = (xt[offset + k] as number) - a * (x[k] as number);
      distance += diff * diff;
    }
    const logit = -distance / (2 * b * b);
    logits[i] = logit;
    if (logit > largest) largest = logit;
  }
  // Subtract the largest logit before exp: near t = 0 the logits are of order -1e4 and exp would underflow.
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const w = Math.exp((logits[i] as number) - largest);
    logits[i] = w;
    total += w;
  }
  out.fill(0);
  for (let i = 0; i < dataset.length; i++) {
    const w = (logits[i] as number) / total;
    if (w === 0) continue;
    const x = dataset[i] as Float32Array;
    for (let k = 0; k < d; k++) out[k] = (out[k] as number) + w * (x[k] as number);
  }
};

/**
 * The exact denoiser of a finite dataset: the model that a perfectly trained network converges to
 * when the training set is `dataset`. For x_t at timestep t it computes x0_hat = E[x0 | x_t] (see
 * above) and returns what the scheduler's `predictionType` asks for: the noise
 * (x_t - a x0_hat) / b, x0_hat itself, or the velocity a eps_hat - b x0_hat. Sampling with it
 * recovers points of the dataset, which makes it a model with a known right answer.
 *
 * The sample is `[batch, ...]` with `dataset[i].length` values per batch item. The arithmetic runs in
 * double (the softmax needs it near t = 0) and is rounded to float32 when stored.
 *
 * @example
 * ```ts
 * const model = exactDenoiser(digitGlyphs().map((g) => g.pixels), s);
 * const out = denoise(s, model, xT, { generator: g });
 * ```
 */
export const exactDenoiser =
  (dataset: ReadonlyArray<Float32Array>, s: DDPMScheduler) =>
  (sample: Tensor, timestep: number): Tensor => {
    const x = isContiguous(sample) ? sample : contiguousCopy(sample);
    const d = (dataset[0] as Float32Array).length;
    const batch = x.size / d;
    const alphaBar = s.alphasCumprod[timestep] as number;
    const a = Math.sqrt(alphaBar);
    const b = Math.sqrt(1 - alphaBar);
    const { predictionType } = s.config;
    const out = new Float32Array(x.size);
    const mean = new Float64Array(d);
    for (let n = 0; n < batch; n++) {
      const start = x.offset + n * d;
      posteriorMeanInto(mean, dataset, x.data, start, a, b);
      for (let k = 0; k < d; k++) {
        const x0 = mean[k] as number;
        const eps = ((x.data[start + k] as number) - a * x0) / b;
        out[n * d + k] = predictionType === 'sample' ? x0 : predictionType === 'v_prediction' ? a * eps - b * x0 : eps;
      }
    }
    return tensor(out, sample.shape);
  };
