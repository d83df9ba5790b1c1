// The in-process floors and peers of the step kernel. Each reads the same three inputs (model output,
// sample, noise) and produces the same two outputs as posteriorStepInto with epsilon prediction,
// clipping to [-1, 1] and fixed_small noise, so that a ratio compares equal work.
import ndarray from 'ndarray';
import ops from 'ndarray-ops';

/**
 * The memory floor: 20 bytes per element moved by TypedArray.prototype.set (a memcpy). Two full copies
 * move 16 (read 4 + write 4, twice), and copying half of the noise moves the last 4.
 */
export const setFloor = (prev, x0, model, sample, noiseHalf, scratchHalf) => {
  prev.set(sample);
  x0.set(model);
  scratchHalf.set(noiseHalf);
};

/**
 * The JS streaming floor: one pass that reads three Float32Arrays and writes two, with the step's
 * multiply-adds but no clamp. What streaming these bytes through scalar JS costs at the least.
 */
export const streamingFloor = (prev, x0, model, sample, noise, sqrtBeta, invSqrtAlpha, c0, ct, sd) => {
  const n = sample.length;
  for (let i = 0; i < n; i++) {
    const x = sample[i];
    const y = (x - sqrtBeta * model[i]) * invSqrtAlpha;
    x0[i] = y;
    prev[i] = c0 * y + ct * x + sd * noise[i];
  }
};

/**
 * The plain JS loop: the step's whole arithmetic in one fused pass with no validation, views, batches or
 * options: the kernel's work without the library around it. The arithmetic is the kernel's, bit for bit:
 * every torch float32 op rounded with Math.fround in diffusers' order (the scalars must be float32 values,
 * `invSqrtAlpha` the double reciprocal of the float32 sqrt(alphaBar)), and the kernel's branchless clamp
 * (exact for |x0| below 2^29, which holds for this data; the kernel checks that bound per block).
 */
export const plainLoop = (prev, x0, model, sample, noise, sqrtBeta, invSqrtAlpha, c0, ct, sd) => {
  const fround = Math.fround;
  const n = sample.length;
  for (let i = 0; i < n; i++) {
    const x = sample[i];
    const raw = fround(fround(x - fround(sqrtBeta * model[i])) * invSqrtAlpha);
    const u = raw + 1;
    const w = raw - 1;
    const y = raw - 0.5 * (u - Math.abs(u) + (w + Math.abs(w)));
    x0[i] = y;
    prev[i] = fround(fround(c0 * y) + fround(ct * x)) + fround(sd * noise[i]);
  }
};

/**
 * The plain loop in double, rounded once at each store (the kernel's arithmetic before it followed torch's
 * float32 ops): what the exact float32 arithmetic costs, beside it.
 */
export const plainLoopDouble = (prev, x0, model, sample, noise, sqrtBeta, invSqrtAlpha, c0, ct, sd) => {
  const n = sample.length;
  for (let i = 0; i < n; i++) {
    const x = sample[i];
    const raw = (x - sqrtBeta * model[i]) * invSqrtAlpha;
    const low = 0.5 * (raw - 1 + Math.abs(raw + 1));
    const y = 0.5 * (low + 1 - Math.abs(low - 1));
    x0[i] = y;
    prev[i] = c0 * y + ct * x + sd * noise[i];
  }
};

/** The plain loop as most people would write it, with Math.min / Math.max (branches V8 cannot predict on noise). */
export const plainLoopMinMax = (prev, x0, model, sample, noise, sqrtBeta, invSqrtAlpha, c0, ct, sd) => {
  const fround = Math.fround;
  const n = sample.length;
  for (let i = 0; i < n; i++) {
    const x = sample[i];
    const y = Math.min(Math.max(fround(fround(x - fround(sqrtBeta * model[i])) * invSqrtAlpha), -1), 1);
    x0[i] = y;
    prev[i] = fround(fround(c0 * y) + fround(ct * x)) + fround(sd * noise[i]);
  }
};

/**
 * The naive composition with ndarray-ops: one whole-array pass and one new temporary per expression,
 * as diffusers' torch code (or a straightforward port of it) evaluates the step.
 */
export const ndarrayOpsStep = (model, sample, noise, k) => {
  const temporary = () => ndarray(new Float32Array(sample.size), sample.shape);
  const scaledModel = temporary();
  ops.muls(scaledModel, model, k.sqrtBetaProdT);
  const difference = temporary();
  ops.sub(difference, sample, scaledModel);
  const x0 = temporary();
  ops.divs(x0, difference, k.sqrtAlphaProdT);
  const low = temporary();
  ops.maxs(low, x0, -1);
  const clipped = temporary();
  ops.mins(clipped, low, 1);
  const weightedX0 = temporary();
  ops.muls(weightedX0, clipped, k.predOriginalSampleCoeff);
  const weightedSample = temporary();
  ops.muls(weightedSample, sample, k.currentSampleCoeff);
  const mean = temporary();
  ops.add(mean, weightedX0, weightedSample);
  const scaledNoise = temporary();
  ops.muls(scaledNoise, noise, k.noiseScale);
  const prev = temporary();
  ops.add(prev, mean, scaledNoise);
  return { prevSample: prev, predOriginalSample: clipped };
};

/** A bare Box-Muller over Math.random: the cost of log, sqrt, sin and cos alone, with no PyTorch semantics. */
export const bareBoxMuller = (target) => {
  for (let i = 0; i < target.length; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - Math.random()));
    const theta = 2 * Math.PI * Math.random();
    target[i] = radius * Math.cos(theta);
    target[i + 1] = radius * Math.sin(theta);
  }
};

/** The largest absolute difference between two equally long arrays. */
export const maxAbsDifference = (a, b) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
};
