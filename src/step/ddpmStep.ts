import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import { tryRandn, type TorchGenerator } from '../random/index.js';
import { allocate, checkTensor, type Tensor } from '../tensor/index.js';
import { checkTimestepPair, coefficientsOf } from './posteriorCoefficients.js';
import { checkPosterior, runChecked } from './posteriorStepInto.js';
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
    // diffusers draws randn(sample.shape) exactly when it adds noise, which keeps seeded loops in step
    const drawn = tryRandn(generator, shape);
    if (E.isLeft(drawn)) return drawn;
    [noise, generator] = drawn.right;
  }
  const checked = checkPosterior({ modelOutput: inputs.modelOutput, sample: sampleE.right, noise }, coefficientsArg, options);
  if (E.isLeft(checked)) return checked;
  const out = runChecked(
    { prevSample: allocate(shape), predOriginalSample: allocate(shape) },
    checked.right,
    coefficientsArg,
    options,
  );
  return E.right(
    Object.freeze(
      generator === undefined
        ? { prevSample: out.prevSample, predOriginalSample: out.predOriginalSample }
        : { prevSample: out.prevSample, predOriginalSample: out.predOriginalSample, generator },
    ),
  );
};
