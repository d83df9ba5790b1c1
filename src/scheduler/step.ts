import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import type { TorchGenerator } from '../random/index.js';
import { previousTimestepIn } from '../schedule/index.js';
import type { StepOptions, StepOutput } from '../step/index.js';
import type { Generators } from '../step/noiseSource.js';
import { coefficientsFor, stepWith } from '../step/ddpmStep.js';
import { checkNoisedTimestep } from '../step/posteriorCoefficients.js';
import { planOf } from '../step/posteriorPass.js';
import { perItem } from '../step/timesteps.js';
import { checkTensor, type Tensor } from '../tensor/index.js';
import { stepOptionsOf, type DDPMConfig } from './config.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';

/** What one step reads. */
export interface StepArgs<G extends Generators = TorchGenerator> {
  /** The model's prediction at `timestep` (`[batch, C, ...]`, or `[batch, 2C, ...]` for learned variance). */
  readonly modelOutput: Tensor;
  /** The current timestep: one for the batch, or one per batch item (an addition of ours). */
  readonly timestep: number | ArrayLike<number>;
  /** x_t. */
  readonly sample: Tensor;
  /** Standard normal noise of the sample's shape; when absent, drawn from `generator`. */
  readonly noise?: Tensor;
  /**
   * Draws `randn(sample.shape)` when a timestep is > 0 and no `noise` is given, as diffusers does. One
   * generator per batch item (an array) draws each item's noise from its own generator, as diffusers'
   * `generator=[...]` does: `randn((1, ...rest))` per item, for the items whose timestep is > 0. Each
   * must be of the scheduler's `cpuCapability`.
   */
  readonly generator?: G;
}

const describeSchedule = (timesteps: Int32Array): string => {
  const shown = Array.from(timesteps.subarray(0, 4)).join(', ');
  return `a timestep of the schedule set by setTimesteps (${shown}${timesteps.length > 4 ? ', …' : ''})`;
};

/**
 * The previous timestep of each batch item's timestep in the schedule (every timestep an integer in
 * [0, numTrainTimesteps) that the schedule holds). @internal
 */
export const previousTimesteps = (
  s: DDPMScheduler,
  timestep: unknown,
  batch: number,
): E.Either<SchedulerError, readonly [timesteps: ReadonlyArray<number>, previous: ReadonlyArray<number>]> => {
  const single = typeof timestep === 'number';
  const checked = perItem(timestep, batch, 'timestep', 0, s.config.numTrainTimesteps - 1);
  if (E.isLeft(checked)) return checked;
  const set = s.numInferenceSteps === null ? undefined : s.timesteps;
  const previous: number[] = [];
  // one shared timestep is the value itself (also for an empty batch, where the per-item list is empty)
  const timesteps = single ? [timestep as number] : checked.right;
  for (let i = 0; i < timesteps.length; i++) {
    const t = timesteps[i] as number;
    const name = single ? 'timestep' : `timestep[${i}]`;
    const prev = previousTimestepIn(set, t);
    if (prev === undefined) return E.left(schedulerError('InvalidTimestep', name, t, describeSchedule(s.timesteps)));
    const noised = checkNoisedTimestep(s.alphasCumprod, t, name);
    if (E.isLeft(noised)) return noised;
    previous.push(prev);
  }
  return E.right([timesteps, previous] as const);
};

// The step options of a config, made once per (frozen) config rather than once per step.
const optionsOf = new WeakMap<DDPMConfig, StepOptions>();

/** The step options of the scheduler's config. @internal */
export const schedulerStepOptions = (s: DDPMScheduler): StepOptions => {
  let options = optionsOf.get(s.config);
  if (options === undefined) {
    options = stepOptionsOf(s.config);
    optionsOf.set(s.config, options);
  }
  return options;
};

/**
 * One reverse step of DDPM: from the model output at `timestep` and the sample x_t, the predicted x0
 * and the sample at the previous timestep of the schedule, with diffusers' numbers. Returns the advanced
 * generator when one was given. Neither the scheduler nor any tensor is changed. Also callable
 * data-last, `step(args)(s)`.
 *
 * Errors: a timestep that is not an integer in [0, numTrainTimesteps), or (after `setTimesteps`) not in
 * the schedule; tensors of the wrong type or shape; epsilon prediction at zero terminal SNR.
 *
 * @example
 * ```ts
 * const r = step(s, { modelOutput: eps, timestep: 999, sample: x, generator: torchGenerator(0) });
 * // Right({ prevSample, predOriginalSample, generator })
 * ```
 */
export function step<G extends Generators = TorchGenerator>(s: DDPMScheduler, args: StepArgs<G>): E.Either<SchedulerError, StepOutput<G>>;
export function step<G extends Generators = TorchGenerator>(args: StepArgs<G>): (s: DDPMScheduler) => E.Either<SchedulerError, StepOutput<G>>;
export function step<G extends Generators = TorchGenerator>(
  ...a: [DDPMScheduler, StepArgs<G>] | [StepArgs<G>]
): E.Either<SchedulerError, StepOutput<G>> | ((s: DDPMScheduler) => E.Either<SchedulerError, StepOutput<G>>) {
  if (a.length === 1) return (s: DDPMScheduler) => step<G>(s, a[0]);
  const [s, args] = a;
  if (!isDDPMScheduler(s)) return E.left(notAScheduler(s));
  if (typeof args !== 'object' || args === null) {
    return E.left(schedulerError('InvalidOption', 'args', args, 'an object { modelOutput, timestep, sample, noise?, generator? }'));
  }
  const sample = checkTensor(args.sample, 'sample');
  if (E.isLeft(sample)) return sample;
  const pairs = previousTimesteps(s, args.timestep, sample.right.shape[0] as number);
  if (E.isLeft(pairs)) return pairs;
  const options = schedulerStepOptions(s);
  const [timesteps, previous] = pairs.right;
  const coefficients = coefficientsFor(s.alphasCumprod, options, timesteps, previous, typeof args.timestep === 'number');
  if (E.isLeft(coefficients)) return coefficients;
  return stepWith(coefficients.right, planOf(options, !(s.alphasCumprod instanceof Float64Array)), options, sample.right, args);
}
