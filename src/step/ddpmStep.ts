import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { isGeneratorValue } from '../random/generator.js';
import { randnInto, tryRandn, type TorchGenerator } from '../random/index.js';
import { checkShape, checkTensor, isContiguous, type Tensor } from '../tensor/index.js';
import { checkTimestepPair, coefficientsOf } from './posteriorCoefficients.js';
import { posteriorStep } from './posteriorStep.js';
import { posteriorStepInto } from './posteriorStepInto.js';
import { perItem } from './timesteps.js';
import type { PosteriorCoefficients, StepOptions, Table } from './types.js';

/** What {@link ddpmStep} reads. */
export interface StepInputs {
  /** The model output: `[batch, C, ...]`, or `[batch, 2C, ...]` for the learned variance types. */
  readonly modelOutput: Tensor;
  /** x_t: `[batch, C, ...]`. */
  readonly sample: Tensor;
  /** The current timestep: one for the whole batch, or one per batch item. */
  readonly timestep: number | ArrayLike<number>;
  /** The timestep being stepped to (-1 after the last step): one, or one per batch item. */
  readonly prevTimestep: number | ArrayLike<number>;
  /** Standard normal noise of the sample's shape; takes precedence over `generator`. */
  readonly noise?: Tensor;
  /** Draws `randn(sample.shape)` when no `noise` is given and a timestep is > 0, as diffusers does. */
  readonly generator?: TorchGenerator;
}

/** The result of a step. */
export interface StepOutput {
  /** The sample at the previous timestep, noise included. */
  readonly prevSample: Tensor;
  /** The predicted x0, after clipping or thresholding. */
  readonly predOriginalSample: Tensor;
  /** When a generator was given: the advanced one if noise was drawn, the same one otherwise. */
  readonly generator?: TorchGenerator;
}

/**
 * One DDPM reverse step from an `alphasCumprod` table (a Float64Array selects double precision),
 * with diffusers' `DDPMScheduler.step` semantics: x0 from the model output, clipped or thresholded,
 * the posterior mean of eq. 7, plus noise scaled by the chosen variance when the timestep is > 0.
 *
 * Per-sample timesteps (an addition to diffusers): `timestep` and `prevTimestep` may give one value
 * per batch item, each item then uses its own coefficients. Noise is drawn once for the whole
 * `sample.shape` when any item's timestep is > 0; items at timestep 0 get no noise term.
 *
 * Validates the tensors (Float32Array ndarrays, rank >= 2, matching shapes), the timesteps (integers,
 * 0 <= timestep < table length, -1 <= prevTimestep < timestep) and refuses epsilon prediction where
 * alphasCumprod is 0 (`ZeroTerminalSnr`).
 *
 * @example
 * ```ts
 * const r = ddpmStep(alphasCumprod, defaultStepOptions, {
 *   modelOutput, sample, timestep: 999, prevTimestep: 998, generator: torchGenerator(0),
 * });
 * // right({ prevSample, predOriginalSample, generator: <the advanced generator> })
 * ```
 */
export const ddpmStep = (
  alphasCumprod: Table,
  options: StepOptions,
  inputs: StepInputs,
): E.Either<SchedulerError, StepOutput> => {
  const prepared = prepareStep(alphasCumprod, options, inputs, tryRandn);
  if (E.isLeft(prepared)) return prepared;
  const { coefficients, noise, generator } = prepared.right;
  const out = posteriorStep({ modelOutput: inputs.modelOutput, sample: inputs.sample, ...(noise === undefined ? {} : { noise }) }, coefficients, options);
  if (E.isLeft(out)) return out;
  return E.right(stepOutput(out.right.prevSample, out.right.predOriginalSample, generator));
};

/** Where {@link ddpmStepInto} writes: the two outputs, and the tensor that drawn noise goes into. @internal */
export interface StepBuffers {
  readonly prevSample: Tensor;
  readonly predOriginalSample: Tensor;
  /** Receives `randn(sample.shape)` when the step draws noise; contiguous, of the sample's shape. */
  readonly noise: Tensor;
}

/**
 * {@link ddpmStep} written into caller-owned buffers, for sampling loops that reuse their memory: the
 * same validation and the same numbers, with drawn noise written into `buffers.noise` instead of a
 * new tensor. The outputs may be the sample's own view (each element is read before it is written).
 * Returns the buffers' outputs and the advanced generator.
 *
 * @example
 * ```ts
 * ddpmStepInto(alphasCumprod, defaultStepOptions, { modelOutput, sample: x, timestep: 999, prevTimestep: 998, generator },
 *   { prevSample: x, predOriginalSample: x0, noise: z }); // x now holds x_998
 * ```
 * @internal
 */
export const ddpmStepInto = (
  alphasCumprod: Table,
  options: StepOptions,
  inputs: StepInputs,
  buffers: StepBuffers,
): E.Either<SchedulerError, StepOutput> => {
  const prepared = prepareStep(alphasCumprod, options, inputs, (g, shape) => drawInto(buffers.noise, g, shape));
  if (E.isLeft(prepared)) return prepared;
  const { coefficients, noise, generator } = prepared.right;
  const out = posteriorStepInto(buffers, { modelOutput: inputs.modelOutput, sample: inputs.sample, ...(noise === undefined ? {} : { noise }) }, coefficients, options);
  if (E.isLeft(out)) return out;
  return E.right(stepOutput(out.right.prevSample, out.right.predOriginalSample, generator));
};

const stepOutput = (prevSample: Tensor, predOriginalSample: Tensor, generator: TorchGenerator | undefined): StepOutput =>
  Object.freeze(generator === undefined ? { prevSample, predOriginalSample } : { prevSample, predOriginalSample, generator });

/** Draws `randn(shape)`: into a new tensor (ddpmStep) or into a buffer (ddpmStepInto). */
type Draw = (g: TorchGenerator, shape: ReadonlyArray<number>) => E.Either<SchedulerError, readonly [Tensor, TorchGenerator]>;

/** `randn(shape)` into `buffer`, which must be a contiguous tensor of that shape. */
const drawInto = (buffer: Tensor, g: TorchGenerator, shape: ReadonlyArray<number>): E.Either<SchedulerError, readonly [Tensor, TorchGenerator]> => {
  if (!isGeneratorValue(g)) {
    return E.left(schedulerError('InvalidGeneratorState', 'generator', g, 'a generator made by torchGenerator or fromGeneratorState'));
  }
  const target = E.flatMap((t: Tensor) => checkShape(t, shape, 'noise buffer'))(checkTensor(buffer, 'noise buffer'));
  if (E.isLeft(target)) return target;
  const t = target.right;
  if (!isContiguous(t)) return E.left(schedulerError('InvalidTensor', 'noise buffer', t.stride, 'a contiguous tensor'));
  return E.right([t, randnInto(t.data.subarray(t.offset, t.offset + t.size), g)] as const);
};

interface PreparedStep {
  readonly coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>;
  /** The given noise, or the drawn one when a generator was given and an item adds noise. */
  readonly noise?: Tensor;
  /** The generator after the draw, or the given one. */
  readonly generator?: TorchGenerator;
}

/**
 * Validates the sample and the timesteps, computes one set of coefficients (or one per item), and draws
 * the noise with `draw` when no noise is given, a generator is, and an item adds noise: diffusers draws
 * randn(sample.shape) exactly when it adds noise, which keeps seeded loops in step.
 */
const prepareStep = (alphasCumprod: Table, options: StepOptions, inputs: StepInputs, draw: Draw): E.Either<SchedulerError, PreparedStep> => {
  const sampleE = checkTensor(inputs.sample, 'sample');
  if (E.isLeft(sampleE)) return sampleE;
  const shape = sampleE.right.shape;
  const batch = shape[0] as number;
  const last = alphasCumprod.length - 1;
  const tsE = perItem(inputs.timestep, batch, 'timestep', 0, last);
  if (E.isLeft(tsE)) return tsE;
  const prevE = perItem(inputs.prevTimestep, batch, 'prevTimestep', -1, last);
  if (E.isLeft(prevE)) return prevE;
  const ts = tsE.right;
  const prevs = prevE.right;
  const shared = typeof inputs.timestep === 'number' && typeof inputs.prevTimestep === 'number';
  const coefficients: PosteriorCoefficients[] = [];
  let addsNoise = false;
  for (let b = 0; b < (shared ? 1 : batch); b++) {
    const many = !shared;
    const pair = checkTimestepPair(
      alphasCumprod,
      ts[b] as number,
      prevs[b] as number,
      many ? `timestep[${b}]` : 'timestep',
      many ? `prevTimestep[${b}]` : 'prevTimestep',
    );
    if (E.isLeft(pair)) return pair;
    const k = coefficientsOf(alphasCumprod, ts[b] as number, prevs[b] as number, options.varianceType);
    addsNoise = addsNoise || k.addsNoise;
    coefficients.push(k);
  }
  const coefficientsArg = shared ? (coefficients[0] as PosteriorCoefficients) : coefficients;
  let noise = inputs.noise;
  let generator = inputs.generator;
  if (noise === undefined && generator !== undefined && addsNoise) {
    const drawn = draw(generator, shape);
    if (E.isLeft(drawn)) return drawn;
    [noise, generator] = drawn.right;
  }
  return E.right({
    coefficients: coefficientsArg,
    ...(noise === undefined ? {} : { noise }),
    ...(generator === undefined ? {} : { generator }),
  });
};
