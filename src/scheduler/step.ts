import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import type { TorchGenerator } from '../random/index.js';
import { previousTimestepIn } from '../schedule/index.js';
import { ddpmStep, type StepInputs, type StepOutput } from '../step/index.js';
import { ddpmStepInto, type StepBuffers } from '../step/ddpmStep.js';
import { perItem } from '../step/timesteps.js';
import type { Tensor } from '../tensor/index.js';
import { stepOptionsOf } from './config.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';

/** What one step reads. */
export interface StepArgs {
  /** The model's prediction at `timestep` (`[batch, C, ...]`, or `[batch, 2C, ...]` for learned variance). */
  readonly modelOutput: Tensor;
  /** The current timestep: one for the batch, or one per batch item (an addition of ours). */
  readonly timestep: number | ArrayLike<number>;
  /** x_t. */
  readonly sample: Tensor;
  /** Standard normal noise of the sample's shape; when absent, drawn from `generator`. */
  readonly noise?: Tensor;
  /** Draws `randn(sample.shape)` when a timestep is > 0 and no `noise` is given, as diffusers does. */
  readonly generator?: TorchGenerator;
}

const describeSchedule = (timesteps: Int32Array): string => {
  const shown = Array.from(timesteps.subarray(0, 4)).join(', ');
  return `a timestep of the schedule set by setTimesteps (${shown}${timesteps.length > 4 ? ', …' : ''})`;
};

const previousTimesteps = (s: DDPMScheduler, timestep: unknown): E.Either<SchedulerError, number | number[]> => {
  const single = typeof timestep === 'number';
  const length = single ? 1 : typeof timestep === 'object' && timestep !== null ? (timestep as ArrayLike<number>).length : 0;
  const checked = perItem(timestep, typeof length === 'number' ? length : 0, 'timestep', 0, s.config.numTrainTimesteps - 1);
  if (E.isLeft(checked)) return checked;
  const set = s.numInferenceSteps === null ? undefined : s.timesteps;
  const previous: number[] = [];
  for (let i = 0; i < checked.right.length; i++) {
    const t = checked.right[i] as number;
    const prev = previousTimestepIn(set, t);
    if (prev === undefined) {
      return E.left(schedulerError('InvalidTimestep', single ? 'timestep' : `timestep[${i}]`, t, describeSchedule(s.timesteps)));
    }
    previous.push(prev);
  }
  return E.right(single ? (previous[0] as number) : previous);
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
export function step(s: DDPMScheduler, args: StepArgs): E.Either<SchedulerError, StepOutput>;
export function step(args: StepArgs): (s: DDPMScheduler) => E.Either<SchedulerError, StepOutput>;
export function step(
  ...a: [DDPMScheduler, StepArgs] | [StepArgs]
): E.Either<SchedulerError, StepOutput> | ((s: DDPMScheduler) => E.Either<SchedulerError, StepOutput>) {
  if (a.length === 1) return (s: DDPMScheduler) => step(s, a[0]);
  const [s, args] = a;
  const inputs = stepInputsOf(s, args);
  return E.isLeft(inputs) ? inputs : ddpmStep(s.alphasCumprod, stepOptionsOf(s.config), inputs.right);
}

/** The scheduler's step as the step layer's inputs: its previous timesteps, the caller's tensors. */
const stepInputsOf = (s: DDPMScheduler, args: StepArgs): E.Either<SchedulerError, StepInputs> => {
  if (!isDDPMScheduler(s)) return E.left(notAScheduler(s));
  const previous = previousTimesteps(s, args.timestep);
  if (E.isLeft(previous)) return previous;
  return E.right({
    modelOutput: args.modelOutput,
    sample: args.sample,
    timestep: args.timestep,
    prevTimestep: previous.right,
    ...(args.noise === undefined ? {} : { noise: args.noise }),
    ...(args.generator === undefined ? {} : { generator: args.generator }),
  });
};

/**
 * {@link step} written into caller-owned buffers (drawn noise into `buffers.noise`): the sampling
 * loops' form, with the same validation and numbers. The outputs may be the sample's own view.
 *
 * @example
 * ```ts
 * stepInto(s, { modelOutput, timestep: 999, sample: x, generator }, { prevSample: x, predOriginalSample: x0, noise: z });
 * ```
 * @internal
 */
export const stepInto = (s: DDPMScheduler, args: StepArgs, buffers: StepBuffers): E.Either<SchedulerError, StepOutput> => {
  const inputs = stepInputsOf(s, args);
  return E.isLeft(inputs) ? inputs : ddpmStepInto(s.alphasCumprod, stepOptionsOf(s.config), inputs.right, buffers);
};
