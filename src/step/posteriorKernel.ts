import type { Tensor } from '../tensor/index.js';
import { torchQuantileInPlace } from './quantile.js';
import type { PosteriorCoefficients, StepOptions } from './types.js';
import {
  CLIP_CLAMP,
  CLIP_NONE,
  CLIP_THRESHOLD,
  NOISE_LEARNED,
  NOISE_NONE,
  NOISE_SCALED,
  PREDICT_EPSILON,
  PREDICT_SAMPLE,
  PREDICT_VELOCITY,
  wasmStepPass,
  type ClipMode,
  type PassScalars,
  type PredictionCode,
} from '../wasm/stepPass.js';

// Module-level bindings: the hot loops call these once or more per element.
const { abs, exp, fround, sqrt } = Math;
const identity = (x: number): number => x;

// One grow-only scratch row for thresholding, so that repeated steps allocate nothing.
let scratch = new Float32Array(0);

const scratchOf = (n: number): Float32Array => {
  if (scratch.length < n) scratch = new Float32Array(n);
  return scratch;
};

// Two arithmetics, chosen by the table's precision:
// - float32 tables follow diffusers' eager torch ops one by one: every product, sum and quotient is a
//   separate float32 op, rounded (torch does not fuse `a - b * c`). For float32 a, b, fround(a op b)
//   is exactly the IEEE float32 result, so these loops equal a numpy float32 transcription bit for bit.
// - float64 tables compute each element in double and round once, at the store.
// Both clamp with comparisons, which is exactly Math.min(Math.max(y, -c), c), -0 and NaN included.

/** 2. x0 with torch's float32 op order: eq. 15 `(x - sqrt(1 - abar) m) / sqrt(abar)`, the identity, or v. */
const x0Float32 = (prediction: PredictionCode, x: number, m: number, a: number, b: number): number =>
  prediction === PREDICT_EPSILON
    ? fround(fround(x - fround(b * m)) / a)
    : prediction === PREDICT_VELOCITY
      ? fround(fround(a * x) - fround(b * m))
      : m;

/** 2. x0 in double, rounded only where the caller stores it. */
const x0Float64 = (prediction: PredictionCode, x: number, m: number, a: number, b: number): number =>
  prediction === PREDICT_EPSILON ? (x - b * m) / a : prediction === PREDICT_VELOCITY ? a * x - b * m : m;

/** `y` clamped to [-c, c] by two comparisons (as torch.clamp and f32x4.pmax/pmin compare). */
const clampTo = (y: number, c: number): number => {
  const low = y < -c ? -c : y;
  return c < low ? c : low;
};

/** 3. clip, or threshold (clamp, then divide by the threshold as diffusers does), in float32. */
const clipFloat32 = (mode: ClipMode, y: number, c: number): number =>
  mode === CLIP_NONE ? y : mode === CLIP_CLAMP ? clampTo(y, c) : fround(clampTo(y, c) / c);

/** 3. clip or threshold in double. */
const clipFloat64 = (mode: ClipMode, y: number, c: number): number =>
  mode === CLIP_NONE ? y : mode === CLIP_CLAMP ? clampTo(y, c) : clampTo(y, c) / c;

/** 5. the posterior mean c0 x0 + ct x_t: two float32 products and their float32 sum. */
const meanFloat32 = (c0: number, y: number, ct: number, x: number): number => fround(fround(c0 * y) + fround(ct * x));

/** No noise term (timestep 0, where diffusers adds none) or a scalar deviation times the noise. */
const loopFloat32 = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array | null, zo: number, len: number, k: PassScalars,
): void => {
  const { prediction, clipMode, a, b, c, c0, ct, sd } = k;
  if (z === null) {
    for (let i = 0; i < len; i++) {
      const x = s[so + i] as number;
      const y = clipFloat32(clipMode, x0Float32(prediction, x, m[mo + i] as number, a, b), c);
      x0[xo + i] = y;
      prev[po + i] = meanFloat32(c0, y, ct, x);
    }
    return;
  }
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    const y = clipFloat32(clipMode, x0Float32(prediction, x, m[mo + i] as number, a, b), c);
    const noise = z[zo + i] as number;
    x0[xo + i] = y;
    // 6. + std * noise; the store rounds the sum to float32
    prev[po + i] = meanFloat32(c0, y, ct, x) + fround(sd * noise);
  }
};

/** `learned`: the model predicts the variance; its square root (negative predictions count as 0) scales the noise. */
const loopLearnedFloat32 = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array, zo: number, v: Float32Array, vo: number, len: number,
  k: PassScalars,
): void => {
  const { prediction, clipMode, a, b, c, c0, ct } = k;
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    const y = clipFloat32(clipMode, x0Float32(prediction, x, m[mo + i] as number, a, b), c);
    const variance = v[vo + i] as number;
    const noise = z[zo + i] as number;
    x0[xo + i] = y;
    // sqrt is IEEE, so fround(sqrt(v)) is torch's float32 `v ** 0.5`
    prev[po + i] = meanFloat32(c0, y, ct, x) + fround(fround(sqrt(variance < 0 ? 0 : variance)) * noise);
  }
};

/** `learned_range`: the model's value in [-1, 1] interpolates the log-variance between beta-tilde and beta. */
const loopRangeFloat32 = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array, zo: number, v: Float32Array, vo: number, len: number,
  k: PassScalars, minLog: number, maxLog: number,
): void => {
  const { prediction, clipMode, a, b, c, c0, ct } = k;
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    const y = clipFloat32(clipMode, x0Float32(prediction, x, m[mo + i] as number, a, b), c);
    // frac = (v + 1) / 2 and log-variance = frac maxLog + (1 - frac) minLog, each op in float32
    const frac = fround(fround((v[vo + i] as number) + 1) * 0.5);
    const logVariance = fround(fround(frac * maxLog) + fround(fround(1 - frac) * minLog));
    // exp is the one op that is not IEEE-exact: Math.exp rounded can differ from torch's float32 exp by 1 ulp
    const scale = fround(exp(fround(0.5 * logVariance)));
    const noise = z[zo + i] as number;
    x0[xo + i] = y;
    prev[po + i] = meanFloat32(c0, y, ct, x) + fround(scale * noise);
  }
};

/** The double-precision pass for float64 tables: no noise, a scalar deviation, or `learned`. */
const loopFloat64 = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array | null, zo: number, v: Float32Array | null, vo: number, len: number,
  k: PassScalars,
): void => {
  const { prediction, clipMode, a, b, c, c0, ct, sd } = k;
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    const y = clipFloat64(clipMode, x0Float64(prediction, x, m[mo + i] as number, a, b), c);
    let r = c0 * y + ct * x;
    if (z !== null) {
      const variance = v === null ? 0 : (v[vo + i] as number);
      r += (v === null ? sd : sqrt(variance < 0 ? 0 : variance)) * (z[zo + i] as number);
    }
    x0[xo + i] = y;
    prev[po + i] = r;
  }
};

/** `learned_range` in double. */
const loopRangeFloat64 = (
  prev: Float32Array, po: number, x0: Float32Array, xo: number, m: Float32Array, mo: number,
  s: Float32Array, so: number, z: Float32Array, zo: number, v: Float32Array, vo: number, len: number,
  k: PassScalars, minLog: number, maxLog: number,
): void => {
  const { prediction, clipMode, a, b, c, c0, ct } = k;
  for (let i = 0; i < len; i++) {
    const x = s[so + i] as number;
    const y = clipFloat64(clipMode, x0Float64(prediction, x, m[mo + i] as number, a, b), c);
    const frac = ((v[vo + i] as number) + 1) * 0.5;
    const noise = z[zo + i] as number;
    x0[xo + i] = y;
    prev[po + i] = c0 * y + ct * x + exp(0.5 * (frac * maxLog + (1 - frac) * minLog)) * noise;
  }
};

/** Whether one set of coefficients serves every batch item or each item has its own. @internal */
export const isCoefficientList = (
  c: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
): c is ReadonlyArray<PosteriorCoefficients> => Array.isArray(c);

/** The dynamic threshold of one batch item: |x0| into scratch, its quantile, clamped to [1, sampleMaxValue]. */
const thresholdOf = (
  m: Float32Array, mo: number, s: Float32Array, so: number, len: number,
  prediction: PredictionCode, a: number, b: number, options: StepOptions, float32: boolean,
): number => {
  const row = scratchOf(len);
  // stored as float32, like the float32 tensor torch.quantile reads; x0 as the pass computes it
  if (float32) {
    for (let i = 0; i < len; i++) row[i] = abs(x0Float32(prediction, s[so + i] as number, m[mo + i] as number, a, b));
  } else {
    for (let i = 0; i < len; i++) row[i] = abs(x0Float64(prediction, s[so + i] as number, m[mo + i] as number, a, b));
  }
  const quantile = torchQuantileInPlace(row, 0, len, options.dynamicThresholdingRatio, float32);
  const maxValue = float32 ? fround(options.sampleMaxValue) : options.sampleMaxValue;
  // torch.clamp(s, min=1, max=sampleMaxValue): the max wins, so a sampleMaxValue below 1 is the threshold
  return Math.min(Math.max(quantile, 1), maxValue);
};

const predictionCode = (options: StepOptions): PredictionCode =>
  options.predictionType === 'epsilon'
    ? PREDICT_EPSILON
    : options.predictionType === 'v_prediction'
      ? PREDICT_VELOCITY
      : PREDICT_SAMPLE;

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
  const clipRange = float32 ? fround(options.clipSampleRange) : options.clipSampleRange;
  const varianceType = options.varianceType;
  const prediction = predictionCode(options);
  for (let item = 0; item < batch; item++) {
    const k = (perItem ? coefficients[item] : coefficients) as PosteriorCoefficients;
    const po = prevSample.offset + item * (prevSample.stride[0] as number);
    const xo = predOriginalSample.offset + item * (predOriginalSample.stride[0] as number);
    const mo = modelOutput.offset + item * (modelOutput.stride[0] as number);
    const so = sample.offset + item * (sample.stride[0] as number);
    // float32 scalars, as the float32 ops (and step32's f32 parameters) take them
    const r = float32 ? fround : identity;
    const a = r(k.sqrtAlphaProdT);
    const b = r(k.sqrtBetaProdT);
    // 3. clip to the configured range, or threshold at this item's quantile of |x0|
    let clipMode: ClipMode = options.clipSample ? CLIP_CLAMP : CLIP_NONE;
    let c = clipRange;
    if (options.thresholding) {
      clipMode = CLIP_THRESHOLD;
      c = thresholdOf(modelOutput.data, mo, sample.data, so, len, prediction, a, b, options, float32);
    }
    // 4-5. the posterior mean of eq. 7 (coefficients precomputed), then 6. the noise term
    const scalars: PassScalars = {
      float32, prediction, clipMode, a, b, c,
      c0: r(k.predOriginalSampleCoeff),
      ct: r(k.currentSampleCoeff),
      sd: r(k.noiseScale),
    };
    const pd = prevSample.data;
    const xd = predOriginalSample.data;
    const md = modelOutput.data;
    const sdata = sample.data;
    // The WebAssembly backend runs the same operations (bit-identical); learned_range's exp stays here.
    const prevOp = { data: pd, offset: po };
    const x0Op = { data: xd, offset: xo };
    const modelOp = { data: md, offset: mo };
    const sampleOp = { data: sdata, offset: so };
    if (!k.addsNoise || noise === null) {
      if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, null, null, len, NOISE_NONE, scalars)) {
        if (float32) loopFloat32(pd, po, xd, xo, md, mo, sdata, so, null, 0, len, scalars);
        else loopFloat64(pd, po, xd, xo, md, mo, sdata, so, null, 0, null, 0, len, scalars);
      }
      continue;
    }
    const zd = noise.data;
    const zo = noise.offset + item * (noise.stride[0] as number);
    const noiseOp = { data: zd, offset: zo };
    if (varianceType === 'learned' || varianceType === 'learned_range') {
      const v = variance as Tensor;
      const vd = v.data;
      const vo = v.offset + item * (v.stride[0] as number);
      if (varianceType === 'learned_range') {
        if (float32) {
          loopRangeFloat32(pd, po, xd, xo, md, mo, sdata, so, zd, zo, vd, vo, len, scalars, r(k.minLogVariance), r(k.maxLogVariance));
        } else {
          loopRangeFloat64(pd, po, xd, xo, md, mo, sdata, so, zd, zo, vd, vo, len, scalars, k.minLogVariance, k.maxLogVariance);
        }
      } else if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, noiseOp, { data: vd, offset: vo }, len, NOISE_LEARNED, scalars)) {
        if (float32) loopLearnedFloat32(pd, po, xd, xo, md, mo, sdata, so, zd, zo, vd, vo, len, scalars);
        else loopFloat64(pd, po, xd, xo, md, mo, sdata, so, zd, zo, vd, vo, len, scalars);
      }
    } else if (!wasmStepPass(prevOp, x0Op, modelOp, sampleOp, noiseOp, null, len, NOISE_SCALED, scalars)) {
      if (float32) loopFloat32(pd, po, xd, xo, md, mo, sdata, so, zd, zo, len, scalars);
      else loopFloat64(pd, po, xd, xo, md, mo, sdata, so, zd, zo, null, 0, len, scalars);
    }
  }
};
