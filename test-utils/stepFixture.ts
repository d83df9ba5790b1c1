import ndarray from 'ndarray';
import type { Tensor } from '../src/tensor/index.js';
import { readFixture } from './fixtures.js';

/** One case of fixtures/step.json (made by scripts/fixtures/step.py). */
export interface StepCase {
  readonly predictionType: 'epsilon' | 'sample' | 'v_prediction';
  readonly varianceType: 'fixed_small' | 'fixed_small_log' | 'fixed_large' | 'fixed_large_log' | 'learned' | 'learned_range';
  readonly clipMode: 'clip' | 'threshold' | 'neither';
  readonly timestep: number;
  readonly thresholdScales: number[] | null;
  readonly prevSample: number[];
  readonly predOriginalSample: number[];
}

/** The whole of fixtures/step.json. */
export interface StepFixture {
  readonly shape: number[];
  readonly alphasCumprod: number[];
  readonly sample: number[];
  readonly modelOutput: number[];
  readonly sampleScale: number;
  readonly noise: number[];
  readonly learnedVariance: number[];
  readonly learnedRangeValue: number[];
  readonly sampleMaxValue: number;
  readonly dynamicThresholdingRatio: number;
  readonly clipSampleRange: number;
  readonly cases: StepCase[];
  readonly coefficients: Array<Record<string, number>>;
  readonly addNoise: Array<{ timesteps: number[]; noisy: number[]; velocity: number[] }>;
  readonly quantiles: Array<{ values: number[]; q: number; quantile: number }>;
}

let cached: StepFixture | undefined;

/** The step fixture, read once per test file. */
export const stepFixture = (): StepFixture => (cached ??= readFixture<StepFixture>('step.json'));

/** A contiguous float32 tensor holding `values`. */
export const tensorOf = (values: ArrayLike<number>, shape: ReadonlyArray<number>): Tensor =>
  ndarray(Float32Array.from(values), [...shape]);

/** Concatenates two `[batch, C, ...]` tensors' data along the channel dimension. */
export const concatChannels = (a: ArrayLike<number>, b: ArrayLike<number>, shape: ReadonlyArray<number>): Tensor => {
  const batch = shape[0] as number;
  const item = a.length / batch;
  const out = new Float32Array(a.length * 2);
  for (let i = 0; i < batch; i++) {
    for (let j = 0; j < item; j++) {
      out[2 * i * item + j] = a[i * item + j] as number;
      out[(2 * i + 1) * item + j] = b[i * item + j] as number;
    }
  }
  return ndarray(out, [batch, 2 * (shape[1] as number), ...shape.slice(2)]);
};
