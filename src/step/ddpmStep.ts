import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import type { TorchGenerator } from '../random/index.js';
import { DEFAULT_CPU_CAPABILITY } from '../cpuCapability.js';
import { checkGenerators, drawNoiseInto, type Generators } from './noiseSource.js';
import { allocate, checkTensor, type Tensor } from '../tensor/index.js';
import { unfilledTensor } from '../tensor/unfilled.js';
import { checkObject, checkStepOptions, checkTable, checkThresholdIn } from './checks.js';
import { checkTimestepPair, coefficientsOf } from './posteriorCoefficients.js';
import { planOf, type PassPlan } from './posteriorPass.js';
import { checkModelOutput, checkNoise, runChecked, zeroSnrError } from './posteriorStepInto.js';
import { perItem } from './timesteps.js';
import type { PosteriorCoefficients, StepOptions, Table } from './types.js';

/**
 * The generators a step hands back for the generators it was given: one for one, an array (each
 * item's generator advanced by its own draw) for an array.
 *
 * @example
 * ```ts
 * type One = Advanced<TorchGenerator>;                  // TorchGenerator
 * type Many = Advanced<ReadonlyArray<TorchGenerator>>;  // ReadonlyArray<TorchGenerator>
 * ```
 */
export type Advanced<G extends Generators> = G extends ReadonlyArray<TorchGenerator> ? ReadonlyArray<TorchGenerator> : TorchGenerator;

/** What {@link ddpmStep} reads. */
export interface StepInputs<G extends Generators = TorchGenerator> {
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
  /**
   * Draws `randn(sample.shape)` when no `noise` is given and a timestep is > 0, as diffusers does; an
   * array of one generator per batch item draws each item's noise from its own generator (diffusers'
   * `generator=[...]`), for the items whose timestep is > 0.
   */
  readonly generator?: G;
}

/** The result of a step. */
export interface StepOutput<G extends Generators = TorchGenerator> {
  /** The sample at the previous timestep, noise included. */
  readonly prevSample: Tensor;
  /** The predicted x0, after clipping or thresholding. */
  readonly predOriginalSample: Tensor;
  /** When a generator was given: the advanced one if noise was drawn, the same one otherwise (per item for an array). */
  readonly generator?: Advanced<G>;
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
 * alphasCumprod is 0 (`ZeroTerminalSnr`), each once; the table (a Float32Array or Float64Array of
 * values in [0, 1]) and the options (see `defaultStepOptions`) are checked too.
 *
 * @example
 * ```ts
 * const r = ddpmStep(alphasCumprod, defaultStepOptions, {
 *   modelOutput, sample, timestep: 999, prevTimestep: 998, generator: torchGenerator(0),
 * });
 * // right({ prevSample, predOriginalSample, generator: <the advanced generator> })
 * ```
 */
export const ddpmStep = <G extends Generators = TorchGenerator>(
  alphasCumprod: Table,
  options: StepOptions,
  inputs: StepInputs<G>,
): E.Either<SchedulerError, StepOutput<G>> => {
  const table = checkTable(alphasCumprod, 'alphasCumprod');
  if (E.isLeft(table)) return table;
  const valid = checkStepOptions(options);
  if (E.isLeft(valid)) return valid;
  const threshold = checkThresholdIn(options, alphasCumprod instanceof Float32Array ? 'float32' : 'float64');
  if (E.isLeft(threshold)) return threshold;
  const inputsE = checkObject<StepInputs>(inputs, 'inputs', 'an object { modelOutput, sample, timestep, prevTimestep, noise?, generator? }');
  if (E.isLeft(inputsE)) return inputsE;
  const sampleE = checkTensor(inputs.sample, 'sample');
  if (E.isLeft(sampleE)) return sampleE;
  const batch = sampleE.right.shape[0] as number;
  const last = alphasCumprod.length - 1;
  const tsE = perItem(inputs.timestep, batch, 'timestep', 0, last);
  if (E.isLeft(tsE)) return tsE;
  const prevE = perItem(inputs.prevTimestep, batch, 'prevTimestep', -1, last);
  if (E.isLeft(prevE)) return prevE;
  const shared = typeof inputs.timestep === 'number' && typeof inputs.prevTimestep === 'number';
  for (let b = 0; b < (shared ? 1 : batch); b++) {
    const pair = checkTimestepPair(
      alphasCumprod,
      tsE.right[b] as number,
      prevE.right[b] as number,
      shared ? 'timestep' : `timestep[${b}]`,
      shared ? 'prevTimestep' : `prevTimestep[${b}]`,
    );
    if (E.isLeft(pair)) return pair;
  }
  const coefficients = coefficientsFor(alphasCumprod, options, tsE.right, prevE.right, shared);
  if (E.isLeft(coefficients)) return coefficients;
  const plan = planOf(options, !(alphasCumprod instanceof Float64Array));
  return stepWith(coefficients.right, plan, options, sampleE.right, inputs);
};

/**
 * The coefficients of timestep pairs already known to be valid: one set when `shared`, else one per
 * batch item; epsilon prediction where alphaBar_t is 0 is refused (`ZeroTerminalSnr`).
 *
 * @internal
 */
export const coefficientsFor = (
  alphasCumprod: Table,
  options: StepOptions,
  timesteps: ReadonlyArray<number>,
  prevTimesteps: ReadonlyArray<number>,
  shared: boolean,
): E.Either<SchedulerError, PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>> => {
  const list: PosteriorCoefficients[] = [];
  for (let b = 0; b < (shared ? 1 : timesteps.length); b++) {
    const k = coefficientsOf(alphasCumprod, timesteps[b] as number, prevTimesteps[b] as number, options.varianceType, options.cpuCapability);
    if (options.predictionType === 'epsilon' && k.alphaProdT === 0) return E.left(zeroSnrError(k.timestep));
    list.push(k);
  }
  return E.right(shared ? (list[0] as PosteriorCoefficients) : list);
};

const addsAnyNoise = (coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>): boolean =>
  Array.isArray(coefficients) ? coefficients.some((k) => k.addsNoise) : (coefficients as PosteriorCoefficients).addsNoise;

/**
 * The rest of a step once the sample is checked and the coefficients are known: the model output is
 * checked, the noise is the given one (checked) or `randn(sample.shape)` drawn from the generator when
 * an item adds noise, as diffusers draws it, and one pass writes two new tensors.
 *
 * @internal
 */
export const stepWith = <G extends Generators>(
  coefficients: PosteriorCoefficients | ReadonlyArray<PosteriorCoefficients>,
  plan: PassPlan,
  options: StepOptions,
  sample: Tensor,
  inputs: Pick<StepInputs<G>, 'modelOutput' | 'noise' | 'generator'>,
): E.Either<SchedulerError, StepOutput<G>> => {
  const shape = sample.shape;
  const batch = shape[0] as number;
  const model = checkModelOutput(inputs.modelOutput, shape, options);
  if (E.isLeft(model)) return model;
  let noise: Tensor | null = null;
  const source = checkGenerators(inputs.generator, batch, options.cpuCapability ?? DEFAULT_CPU_CAPABILITY, 'generator');
  if (E.isLeft(source)) return source;
  let generator: Generators | undefined = source.right;
  if (addsAnyNoise(coefficients)) {
    if (inputs.noise === undefined && source.right !== undefined) {
      const drawn = allocate(shape);
      const perItem = Array.isArray(coefficients) ? (coefficients as ReadonlyArray<PosteriorCoefficients>) : null;
      generator = drawNoiseInto(drawn.data, source.right, batch, (b) => perItem === null || (perItem[b] as PosteriorCoefficients).addsNoise);
      noise = drawn;
    } else {
      const given = checkNoise(inputs.noise, shape);
      if (E.isLeft(given)) return given;
      noise = given.right;
    }
  }
  const [prediction, variance] = model.right;
  // the pass writes every element of both outputs
  const out = { prevSample: unfilledTensor(shape), predOriginalSample: unfilledTensor(shape) };
  runChecked(out, { prediction, variance, sample, noise }, coefficients, plan);
  return E.right(Object.freeze(generator === undefined ? out : { ...out, generator: generator as Advanced<G> }));
};
