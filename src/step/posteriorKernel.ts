import type { Tensor } from '../tensor/index.js';
import { torchQuantileInPlace } from './quantile.js';
import type { PosteriorCoefficients, StepOptions } from './types.js';
import { NOISE_LEARNED, NOISE_NONE, NOISE_SCALED, wasmStepPass } from '../wasm/stepPass.js';

// One grow-only scratch row for thresholding, so that repeated steps allocate nothing.
let scratch = new Float32Array(0);

const scratchOf = (n: number): Float32Array => {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch;
};

// The clamp in every loop is branchless: max(x, -c) = (x - c + |x + c|) / 2, min(y, c) = (y + c - |y - c|) / 2.
// It equals Math.min/Math.max except for |x| below about 2^-29 c, where it can differ by less than 2^-29 c.

/** No noise term: timestep 0, where diffusers adds none. */
const loopPlain = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, len: number,
  p: number, q: number, inv: number, clip: boolean, c: number, g: number, c0: number, ct: number,
): void => {
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    let y = (p * x - q * (m[mo + i] as number)) * inv;
    if (clip) {
      const lo = 0.5 * (y - c + Math.abs(y + c));
      y = 0.5 * (lo + c - Math.abs(lo - c)) * g;
    }
    x0[xo + i] = y;
    prev[po + i] = c0 * y + ct * x;
  }
};

/** A scalar standard deviation times the noise: the four fixed variance types. */
const loopScaled = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array, zo: number, len: number,
  p: number, q: number, inv: number, clip: boolean, c: number, g: number, c0: number, ct: number, sd: number,
): void => {
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    let y = (p * x - q * (m[mo + i] as number)) * inv;
    if (clip) {
      const lo = 0.5 * (y - c + Math.abs(y + c));
      y = 0.5 * (lo + c - Math.abs(lo - c)) * g;
    }
    const noise = z[zo + i] as number;
    x0[xo + i] = y;
    prev[po + i] = c0 * y + ct * x + sd * noise;
  }
};

/** `learned`: the model predicts the variance; its square root (negative predictions count as 0) scales the noise. */
const loopLearned = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array, zo: number, v: Float32Array, vo: number, len: number,
  p: number, q: number, inv: number, clip: boolean, c: number, g: number, c0: number, ct: number,
): void => {
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    let y = (p * x - q * (m[mo + i] as number)) * inv;
    if (clip) {
      const lo = 0.5 * (y - c + Math.abs(y + c));
      y = 0.5 * (lo + c - Math.abs(lo - c)) * g;
    }
    const variance = v[vo + i] as number;
    const noise = z[zo + i] as number;
    x0[xo + i] = y;
    prev[po + i] = c0 * y + ct * x + Math.sqrt(0.5 * (variance + Math.abs(variance))) * noise;
  }
};

/** `learned_range`: the model's value in [-1, 1] interpolates the log-variance between beta-tilde and beta. */
const loopRange = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array, zo: number, v: Float32Array, vo: number, len: number,
  p: number, q: number, inv: number, clip: boolean, c: number, g: number, c0: number, ct: number,
  minLog: number, maxLog: number,
): void => {
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    let y = (p * x - q * (m[mo + i] as number)) * inv;
    if (clip) {
      const lo = 0.5 * (y - c + Math.abs(y + c));
      y = 0.5 * (lo + c - Math.abs(lo - c)) * g;
    }
    const frac = ((v[vo + i] as number) + 1) * 0.5;
    const noise = z[zo + i] as number;
    x0[xo + i] = y;
    prev[po + i] = c0 * y + ct * x + Math.exp(0.5 * (frac * maxLog + (1 - frac) * minLog)) * noise;
  }
};

/** Whether one set of coefficients serves every batch item or each item has its own. @internal */
export const isCoefficientList = (
  c: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
): c is ReadonlyArray<PosteriorCoefficients> => Array.isArray(c);

/** The dynamic threshold of one batch item: |x0| into scratch, its quantile, clamped to [1, sampleMaxValue]. */
const thresholdOf = (
  m: Float32Array, mo: number, s: Float32Array, so: number, len: number,
  p: number, q: number, inv: number, options: StepOptions, float32: boolean,
): number => {
  const a = scratchOf(len);
  // stored as float32, like the float32 tensor torch.quantile reads
  for (let i = 0; i < len; i++) a[i] = Math.abs((p * (s[so + i] as number) - q * (m[mo + i] as number)) * inv);
  const quantile = torchQuantileInPlace(a, 0, len, options.dynamicThresholdingRatio, float32);
  const maxValue = float32 ? Math.fround(options.sampleMaxValue) : options.sampleMaxValue;
  // torch.clamp(s, min=1, max=sampleMaxValue): the max wins, so a sampleMaxValue below 1 is the threshold
  return Math.min(Math.max(quantile, 1), maxValue);
};

/**
 * The fused posterior pass over validated tensors whose batch items are each contiguous
 * (`isContiguous(t, 1)`). `variance` is the model's variance half for the learned types, `noise` is
 * null when no item adds noise, `coefficients` is one set or one per batch item. Reads every input element
 * before writing the same index of the outputs, so an output may be the very same view as an input.
 *
 * @internal
 */
export const runPosterior = (
  prevSample: Tensor,
  predOriginalSample: Tensor,
  modelOutput: Tensor,
  variance: Tensor | null,
  sample: Tensor,
  noise: Tensor | null,
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  options: StepOptions,
): void => {
  const perItem = isCoefficientList(coefficients);
  const batch = sample.shape[0] as number;
  let len = 1;
  for (let d = 1; d < sample.shape.length; d++) len *= sample.shape[d] as number;
  const first = perItem ? coefficients[0] : coefficients;
  const float32 = first?.precision !== 'float64';
  const clipRange = float32 ? Math.fround(options.clipSampleRange) : options.clipSampleRange;
  const varianceType = options.varianceType;
  for (let b = 0; b < batch; b++) {
    const k = (perItem ? coefficients[b] : coefficients) as PosteriorCoefficients;
    const po = prevSample.offset + b * (prevSample.stride[0] as number);
    const xo = predOriginalSample.offset + b * (predOriginalSample.stride[0] as number);
    const mo = modelOutput.offset + b * (modelOutput.stride[0] as number);
    const so = sample.offset + b * (sample.stride[0] as number);
    // 2. x0 = (p x_t - q model) * inv: eq. 15 for epsilon, the identity for sample, the v-parameterisation
    let p = 0;
    let q = -1;
    let inv = 1;
    if (options.predictionType === 'epsilon') {
      p = 1;
      q = k.sqrtBetaProdT;
      inv = 1 / k.sqrtAlphaProdT;
    } else if (options.predictionType === 'v_prediction') {
      p = k.sqrtAlphaProdT;
      q = k.sqrtBetaProdT;
    }
    // 3. clip or threshold x0: clamp to [-c, c], then scale by g
    let clip = options.clipSample;
    let c = clipRange;
    let g = 1;
    if (options.thresholding) {
      clip = true;
      c = thresholdOf(modelOutput.data, mo, sample.data, so, len, p, q, inv, options, float32);
      g = 1 / c;
    }
    // 4-5. the posterior mean of eq. 7 (coefficients precomputed), then 6. the noise term
    const c0 = k.predOriginalSampleCoeff;
    const ct = k.currentSampleCoeff;
    const pd = prevSample.data;
    const xd = predOriginalSample.data;
    const md = modelOutput.data;
    const sdata = sample.data;
    // The WebAssembly backend runs the same operations (bit-identical); learned_range's exp stays here.
    const scalars = { p, q, inv, clip, c, g, c0, ct, sd: k.noiseScale };
    const prevOp = { data: pd, offset: po };
    const x0Op = { data: xd, offset: xo };
    const modelOp = { data: md, offset: mo };
    const sampleOp = { data: sdata, offset: so };
    if (!k.addsNoise || noise === null) {
      if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, null, null, len, NOISE_NONE, scalars)) {
        loopPlain(pd, po, xd, xo, md, mo, sdata, so, len, p, q, inv, clip, c, g, c0, ct);
      }
      continue;
    }
    const zo = noise.offset + b * (noise.stride[0] as number);
    const noiseOp = { data: noise.data, offset: zo };
    if (varianceType === 'learned' || varianceType === 'learned_range') {
      const v = variance as Tensor;
      const vo = v.offset + b * (v.stride[0] as number);
      if (varianceType === 'learned') {
        const varianceOp = { data: v.data, offset: vo };
        if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, noiseOp, varianceOp, len, NOISE_LEARNED, scalars)) {
          loopLearned(pd, po, xd, xo, md, mo, sdata, so, noise.data, zo, v.data, vo, len, p, q, inv, clip, c, g, c0, ct);
        }
      } else {
        loopRange(pd, po, xd, xo, md, mo, sdata, so, noise.data, zo, v.data, vo, len, p, q, inv, clip, c, g, c0, ct,
          k.minLogVariance, k.maxLogVariance);
      }
    } else if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, noiseOp, null, len, NOISE_SCALED, scalars)) {
      loopScaled(pd, po, xd, xo, md, mo, sdata, so, noise.data, zo, len, p, q, inv, clip, c, g, c0, ct, k.noiseScale);
    }
  }
};
