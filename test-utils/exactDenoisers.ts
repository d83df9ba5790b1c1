/**
 * Exact denoisers: for data whose distribution is known, the best possible model has a closed form,
 * so a whole sampling chain can be checked against mathematics instead of against another program.
 *
 * With x_t = a x0 + b eps (a = sqrt(alphaBar), b = sqrt(1 - alphaBar)), the minimum-mean-square
 * predictions are the posterior means E[x0 | x_t], E[eps | x_t] = (x_t - a E[x0 | x_t]) / b and
 * E[v | x_t] = a E[eps | x_t] - b E[x0 | x_t]. Everything is computed in double; the outputs are float32
 * tensors like a real model's. A tensor is read as a batch of rows: `[batch, ...]`, the trailing
 * dimensions flattened into one row. A row of length m * D holds m independent draws of the
 * D-dimensional data, one after the other (the data of the row is their product distribution), so that
 * many samples fit in few batch items.
 *
 * @module
 */
import ndarray from 'ndarray';
import type { PredictionType } from '../src/step/index.js';
import type { Tensor } from '../src/tensor/index.js';

// module-level bindings: under jest's vm context every lookup of the global Math is slow in hot loops
const { exp, log, max, sqrt } = Math;
const NEGATIVE_INFINITY = -Infinity;

/** The three predictions of an exact denoiser for one noisy batch, each of the input's shape. */
export interface Denoised {
  readonly x0: Tensor;
  readonly eps: Tensor;
  readonly v: Tensor;
}

/** An exact denoiser: the posterior-mean predictions for a noisy batch at a given alphaBar in [0, 1). */
export type ExactDenoiser = (xt: Tensor, alphaBar: number) => Denoised;

/** One isotropic Gaussian component N(mean, std^2 I) of a mixture, with its weight. */
export interface GaussianComponent {
  readonly weight: number;
  readonly mean: ArrayLike<number>;
  readonly std: number;
}

const rowLength = (shape: ReadonlyArray<number>): number => shape.slice(1).reduce((a, b) => a * b, 1);

/** Whether the tensor is laid out contiguously in row-major order (the fast path of {@link readRow}). */
const isRowMajor = (x: Tensor): boolean => {
  let expected = 1;
  for (let k = x.shape.length - 1; k >= 0; k--) {
    if ((x.shape[k] as number) !== 1 && x.stride[k] !== expected) return false;
    expected *= x.shape[k] as number;
  }
  return true;
};

/** Reads row `b` of a tensor (any strides) into `out` as doubles: the trailing dimensions flattened. */
const readRow = (x: Tensor, b: number, out: Float64Array): void => {
  const shape = x.shape;
  const d = out.length;
  if (isRowMajor(x)) {
    const base = x.offset + b * d;
    for (let i = 0; i < d; i++) out[i] = x.data[base + i] as number;
    return;
  }
  if (shape.length === 2) {
    for (let i = 0; i < d; i++) out[i] = x.get(b, i);
    return;
  }
  // general rank: walk the flattened index through the trailing dimensions
  const index = new Array<number>(shape.length).fill(0);
  index[0] = b;
  for (let i = 0; i < d; i++) {
    let rest = i;
    for (let k = shape.length - 1; k >= 1; k--) {
      const n = shape[k] as number;
      index[k] = rest % n;
      rest = Math.floor(rest / n);
    }
    out[i] = x.get(...index);
  }
};

/**
 * Builds a denoiser from an x0 posterior mean given draw by draw: `posteriorMean(row, at, a, b, out)`
 * writes E[x0 | x_t] for the draw `row[at .. at + dimension)` into `out[at .. at + dimension)`. eps and v
 * follow from x0 by the forward-process identities.
 */
const fromPosteriorMean =
  (dimension: number, posteriorMean: (row: Float64Array, at: number, a: number, b: number, out: Float64Array) => void): ExactDenoiser =>
  (xt, alphaBar) => {
    const shape = xt.shape.slice();
    const batch = shape[0] as number;
    const d = rowLength(shape);
    if (d % dimension !== 0) throw new Error(`exact denoiser: rows of ${d} values, not a multiple of ${dimension}`);
    if (!(alphaBar >= 0 && alphaBar < 1)) throw new Error(`exact denoiser: alphaBar ${alphaBar} outside [0, 1)`);
    const a = sqrt(alphaBar);
    const b = sqrt(1 - alphaBar);
    const x0 = new Float32Array(batch * d);
    const eps = new Float32Array(batch * d);
    const v = new Float32Array(batch * d);
    const row = new Float64Array(d);
    const mean = new Float64Array(d);
    for (let r = 0; r < batch; r++) {
      readRow(xt, r, row);
      for (let at = 0; at < d; at += dimension) posteriorMean(row, at, a, b, mean);
      for (let i = 0; i < d; i++) {
        const m = mean[i] as number;
        const e = ((row[i] as number) - a * m) / b;
        x0[r * d + i] = m;
        eps[r * d + i] = e;
        v[r * d + i] = a * e - b * m;
      }
    }
    return Object.freeze({ x0: ndarray(x0, shape), eps: ndarray(eps, shape), v: ndarray(v, shape) });
  };

const meanVector = (mean: number | ArrayLike<number>, dimension: number): Float64Array =>
  typeof mean === 'number' ? new Float64Array(dimension).fill(mean) : Float64Array.from(mean);

/**
 * The exact denoiser for Gaussian data N(mean, std^2 I) in `dimension` dimensions. x_t is Gaussian
 * too, and E[x0 | x_t] = mean + a std^2 / (a^2 std^2 + b^2) (x_t - a mean): linear in x_t.
 *
 * @example
 * ```ts
 * const denoise = gaussianDenoiser(0.5, 0.3, 8);
 * const { eps } = denoise(xt, 0.25);  // the best possible noise prediction at alphaBar = 0.25
 * ```
 */
export const gaussianDenoiser = (mean: number | ArrayLike<number>, std: number, dimension: number): ExactDenoiser => {
  const mu = meanVector(mean, dimension);
  const s2 = std * std;
  return fromPosteriorMean(dimension, (row, at, a, b, out) => {
    const gain = (a * s2) / (a * a * s2 + b * b);
    for (let i = 0; i < dimension; i++) {
      out[at + i] = (mu[i] as number) + gain * ((row[at + i] as number) - a * (mu[i] as number));
    }
  });
};

/**
 * The exact denoiser for a mixture of isotropic Gaussians: each component's own Gaussian posterior
 * mean, weighted by the component's posterior responsibility given x_t (computed through log-sum-exp,
 * so that far-apart components do not underflow).
 *
 * @example
 * ```ts
 * const denoise = mixtureDenoiser([
 *   { weight: 0.3, mean: [-2, -2], std: 0.3 },
 *   { weight: 0.7, mean: [2, 2], std: 0.5 },
 * ]);
 * denoise(xt, 0.5).x0;
 * ```
 */
export const mixtureDenoiser = (components: ReadonlyArray<GaussianComponent>): ExactDenoiser => {
  const first = components[0];
  if (first === undefined) throw new Error('mixtureDenoiser: no components');
  const d = first.mean.length;
  const total = components.reduce((sum, c) => sum + c.weight, 0);
  const logWeights = components.map((c) => log(c.weight / total));
  const means = components.map((c) => Float64Array.from(c.mean));
  const vars = components.map((c) => c.std * c.std);
  const m = components.length;
  const logits = new Float64Array(m);
  // the per-component constants depend on alphaBar only: computed once per call, not once per draw
  const inverseTwiceVariance = new Float64Array(m);
  const logPrior = new Float64Array(m);
  const gains = new Float64Array(m);
  let lastA = NaN;
  return fromPosteriorMean(d, (row, at, a, b, out) => {
    if (a !== lastA) {
      lastA = a;
      for (let k = 0; k < m; k++) {
        const s2 = vars[k] as number;
        const total2 = a * a * s2 + b * b;
        inverseTwiceVariance[k] = 1 / (2 * total2);
        logPrior[k] = (logWeights[k] as number) - 0.5 * d * log(total2);
        gains[k] = (a * s2) / total2;
      }
    }
    // log pi_k + log N(x_t; a mu_k, (a^2 s_k^2 + b^2) I), up to a constant shared by all k
    let top = NEGATIVE_INFINITY;
    for (let k = 0; k < m; k++) {
      const mu = means[k] as Float64Array;
      let dist2 = 0;
      for (let i = 0; i < d; i++) {
        const diff = (row[at + i] as number) - a * (mu[i] as number);
        dist2 += diff * diff;
      }
      const logit = (logPrior[k] as number) - dist2 * (inverseTwiceVariance[k] as number);
      logits[k] = logit;
      if (logit > top) top = logit;
    }
    let norm = 0;
    for (let k = 0; k < m; k++) {
      const w = exp((logits[k] as number) - top);
      logits[k] = w;
      norm += w;
    }
    for (let i = 0; i < d; i++) out[at + i] = 0;
    for (let k = 0; k < m; k++) {
      const r = (logits[k] as number) / norm;
      const gain = gains[k] as number;
      const mu = means[k] as Float64Array;
      for (let i = 0; i < d; i++) {
        out[at + i] = (out[at + i] as number) + r * ((mu[i] as number) + gain * ((row[at + i] as number) - a * (mu[i] as number)));
      }
    }
  });
};

/**
 * The exact denoiser for a finite dataset (the empirical distribution of `points`): E[x0 | x_t] is the
 * softmax-weighted average of the points, with weights exp(-|x_t - a p_i|^2 / (2 b^2)). This is the
 * model that memorises its training set perfectly.
 *
 * @example
 * ```ts
 * const denoise = datasetDenoiser([[0, 1], [1, 0], [-1, -1]]);
 * denoise(xt, 0.99).x0;  // close to the nearest point for small noise
 * ```
 */
export const datasetDenoiser = (points: ReadonlyArray<ArrayLike<number>>): ExactDenoiser => {
  const first = points[0];
  if (first === undefined) throw new Error('datasetDenoiser: no points');
  const d = first.length;
  const data = points.map((p) => Float64Array.from(p));
  const logits = new Float64Array(points.length);
  return fromPosteriorMean(d, (row, at, a, b, out) => {
    let top = NEGATIVE_INFINITY;
    for (let k = 0; k < data.length; k++) {
      const p = data[k] as Float64Array;
      let dist2 = 0;
      for (let i = 0; i < d; i++) {
        const diff = (row[at + i] as number) - a * (p[i] as number);
        dist2 += diff * diff;
      }
      logits[k] = -dist2 / (2 * b * b);
      top = max(top, logits[k] as number);
    }
    let norm = 0;
    for (let k = 0; k < data.length; k++) norm += exp((logits[k] as number) - top);
    for (let i = 0; i < d; i++) out[at + i] = 0;
    for (let k = 0; k < data.length; k++) {
      const w = exp((logits[k] as number) - top) / norm;
      const p = data[k] as Float64Array;
      for (let i = 0; i < d; i++) out[at + i] = (out[at + i] as number) + w * (p[i] as number);
    }
  });
};

/**
 * A model `(sample, t) => prediction` for a sampling loop: the exact denoiser at alphaBar_t of the
 * given table, returning what `predictionType` asks for (noise, x0 or velocity).
 *
 * @example
 * ```ts
 * const model = exactModel(gaussianDenoiser(0, 1, 8), referenceAlphasCumprod, 'epsilon');
 * denoise(s, model, xT, { generator });
 * ```
 */
export const exactModel =
  (denoiser: ExactDenoiser, alphasCumprod: ArrayLike<number>, predictionType: PredictionType) =>
  (sample: Tensor, t: number): Tensor => {
    const out = denoiser(sample, alphasCumprod[t] as number);
    return predictionType === 'epsilon' ? out.eps : predictionType === 'sample' ? out.x0 : out.v;
  };
