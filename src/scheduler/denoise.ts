import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { activeKernels } from '../kernels/select.js';
import type { Kernels, Workspace } from '../kernels/types.js';
import type { TorchGenerator } from '../random/index.js';
import { DEFAULT_CPU_CAPABILITY } from '../cpuCapability.js';
import { coefficientsFor, type Advanced } from '../step/ddpmStep.js';
import { checkGenerators, drawNoiseInto, type Generators, type NoiseSource } from '../step/noiseSource.js';
import { checkNoisedTimestep } from '../step/posteriorCoefficients.js';
import { planOf, runPosterior, type PassPlan } from '../step/posteriorPass.js';
import { checkModelOutput, contiguousItems } from '../step/posteriorStepInto.js';
import type { PosteriorCoefficients, StepOptions } from '../step/types.js';
import { checkTensor, copyStrided, tensor, type Tensor } from '../tensor/index.js';
import { unfilledFloat32 } from '../tensor/unfilled.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';
import { schedulerStepOptions } from './step.js';

/**
 * What `onStep` hears after each step: for progress bars and previews. Both tensors are new for each
 * event and never written again, so a callback may keep them (a preview gallery, a trajectory) without
 * copying; they are ordinary `Float32Array` tensors of xT's shape on every backend.
 *
 * @example
 * ```ts
 * // a preview every 10 steps: the model's current estimate of the final image, x0 (eq. 15)
 * const onStep = (e: StepEvent) => e.index % 10 === 0 && showImage(e.predOriginalSample);
 * ```
 */
export interface StepEvent {
  /** 0 for the first step. */
  readonly index: number;
  /** The timestep just stepped from. */
  readonly timestep: number;
  /** The number of steps of the loop. */
  readonly total: number;
  /** x_{t-1}, the sample after this step: the model's next input (the loop's result after the last step). */
  readonly prevSample: Tensor;
  /**
   * The predicted x0 of this step, after clipping or thresholding as the config says: what diffusers'
   * `step` returns as `pred_original_sample`, the usual preview of a diffusion loop.
   */
  readonly predOriginalSample: Tensor;
}

/**
 * What a loop needs of an `AbortSignal`: the platform's (`AbortController`'s `signal`,
 * `AbortSignal.timeout(ms)`) or any object with its `aborted` flag and `reason`.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** Options of a sampling loop. */
export interface DenoiseOptions<G extends Generators = TorchGenerator> {
  /**
   * The generator the step noise is drawn from, or one per batch item (diffusers' `generator=[...]`:
   * each item's noise `randn((1, ...rest))` from its own generator); of the scheduler's `cpuCapability`.
   * Without one, a generator must not be needed (no step with t > 0).
   */
  readonly generator?: G;
  /** Called after every step with its results. */
  readonly onStep?: (event: StepEvent) => void;
  /**
   * Stops the loop at the next step boundary once aborted (checked before each model call and after
   * each model output arrives): the loop returns an `Aborted` error whose `received` is the signal's
   * `reason`, and frees its workspace.
   */
  readonly signal?: AbortSignalLike;
}

/** The end of a sampling loop: x_0 and the generator after the last draw (one per item for an array). */
export interface DenoiseResult<G extends Generators = TorchGenerator> {
  readonly sample: Tensor;
  readonly generator?: Advanced<G>;
}

/** One step of the plan: the timestep stepped from and its coefficients. */
interface PlannedStep {
  readonly timestep: number;
  readonly coefficients: PosteriorCoefficients;
}

/**
 * Everything a loop needs that does not depend on the model's outputs, worked out and checked once:
 * the steps with their coefficients, the step options and their pass plan, the kernels it runs on.
 */
interface SamplingPlan {
  readonly xT: Tensor;
  readonly steps: ReadonlyArray<PlannedStep>;
  readonly options: StepOptions;
  readonly plan: PassPlan;
  readonly kernels: Kernels;
  readonly generator: NoiseSource | undefined;
  readonly onStep: ((event: StepEvent) => void) | undefined;
  readonly signal: AbortSignalLike | undefined;
}

const isAbortSignalLike = (x: unknown): x is AbortSignalLike =>
  typeof x === 'object' && x !== null && typeof (x as { aborted?: unknown }).aborted === 'boolean';

/** Checks the loop's arguments and plans its steps; nothing is allocated or called yet. */
const planLoop = (s: DDPMScheduler, model: unknown, xT: unknown, options: unknown): E.Either<SchedulerError, SamplingPlan> => {
  if (!isDDPMScheduler(s)) return E.left(notAScheduler(s));
  if (typeof model !== 'function') {
    return E.left(schedulerError('InvalidOption', 'model', model, 'a function (sample, timestep) => the model output'));
  }
  const checked = checkTensor(xT, 'xT');
  if (E.isLeft(checked)) return checked;
  if (typeof options !== 'object' || options === null) {
    return E.left(schedulerError('InvalidOption', 'options', options, 'an object { generator?, onStep?, signal? }'));
  }
  const { onStep, signal } = options as { onStep?: unknown; signal?: unknown };
  const stepOptions = schedulerStepOptions(s);
  const source = checkGenerators(
    (options as { generator?: unknown }).generator,
    checked.right.shape[0] as number,
    stepOptions.cpuCapability ?? DEFAULT_CPU_CAPABILITY,
    'options.generator',
  );
  if (E.isLeft(source)) return source;
  const generator = source.right;
  if (onStep !== undefined && typeof onStep !== 'function') {
    return E.left(schedulerError('InvalidOption', 'options.onStep', onStep, 'a function (event) => void'));
  }
  if (signal !== undefined && !isAbortSignalLike(signal)) {
    return E.left(schedulerError('InvalidOption', 'options.signal', signal, 'an AbortSignal (new AbortController().signal) or an object with a boolean `aborted`'));
  }
  const steps: PlannedStep[] = [];
  const { timesteps } = s;
  for (let i = 0; i < timesteps.length; i++) {
    const timestep = timesteps[i] as number;
    // the next timestep of the schedule, as previousTimestep gives it (-1 after the last)
    const prev = i + 1 < timesteps.length ? (timesteps[i + 1] as number) : -1;
    const noised = checkNoisedTimestep(s.alphasCumprod, timestep, 'timestep');
    if (E.isLeft(noised)) return noised;
    // the coefficients as step makes them (ZeroTerminalSnr for epsilon where alphasCumprod is 0)
    const made = coefficientsFor(s.alphasCumprod, stepOptions, [timestep], [prev], true);
    if (E.isLeft(made)) return made;
    const coefficients = made.right as PosteriorCoefficients;
    if (coefficients.addsNoise && generator === undefined) {
      return E.left(
        schedulerError('InvalidGeneratorState', 'options.generator', undefined, `a generator (torchGenerator(seed)): timestep ${timestep} adds noise`),
      );
    }
    steps.push({ timestep, coefficients });
  }
  return E.right({
    xT: checked.right,
    steps,
    options: stepOptions,
    plan: planOf(stepOptions, !(s.alphasCumprod instanceof Float64Array)),
    kernels: activeKernels(),
    generator,
    onStep: onStep as ((event: StepEvent) => void) | undefined,
    signal: signal as AbortSignalLike | undefined,
  });
};

/** The `Aborted` error when the plan's signal is aborted at this boundary (before step `index`), else null. */
const abortedAt = (p: SamplingPlan, index: number, when: string): SchedulerError | null =>
  p.signal?.aborted === true
    ? schedulerError('Aborted', 'options.signal', p.signal.reason, 'a signal that is not aborted', `stopped ${when} step ${index + 1} of ${p.steps.length}`)
    : null;

/**
 * A new ordinary tensor with the values of a contiguous one (the workspace's, in WASM memory on that
 * backend): a new array, not zero-filled where the runtime allows (src/tensor/unfilled.ts), and one
 * copy that writes all of it. (The arena's tensors begin half a page past a page boundary, so that this
 * copy does not alias the new array; src/wasm/allocTensor.ts.)
 */
const snapshot = (t: Tensor): Tensor => {
  const data = unfilledFloat32(t.size);
  data.set(t.data.subarray(t.offset, t.offset + t.size));
  return tensor(data, t.shape);
};

/** Where a loop is between two model calls: the model's next input (the caller's xT, then snapshots) and the generator. */
interface LoopState {
  readonly input: Tensor;
  readonly generator: NoiseSource | undefined;
}

/**
 * Step `index`'s noise drawn into the workspace where the step adds noise (diffusers draws
 * randn(sample.shape) exactly then); returns the generator after it. It does not depend on the model's
 * output, so the async loop draws it while the model runs.
 */
const drawStepNoise = (p: SamplingPlan, work: Workspace, index: number, generator: NoiseSource | undefined): NoiseSource | undefined =>
  (p.steps[index] as PlannedStep).coefficients.addsNoise
    ? drawNoiseInto(work.noise.data, generator as NoiseSource, work.noise.shape[0] as number, () => true)
    : generator;

/**
 * One iteration once its noise is drawn (`generator` is the generator after it): the model output
 * checked, one pass stepping the workspace's sample in place; then snapshots, the next model input and
 * onStep's tensors, are handed out.
 */
const advance = (
  p: SamplingPlan,
  work: Workspace,
  index: number,
  modelOutput: unknown,
  generator: NoiseSource | undefined,
): E.Either<SchedulerError, LoopState> => {
  const { timestep, coefficients } = p.steps[index] as PlannedStep;
  const checked = checkModelOutput(modelOutput, work.sample.shape, p.options);
  if (E.isLeft(checked)) return checked;
  const [prediction, variance] = checked.right;
  // the workspace is contiguous; only the model's output may need a contiguous copy
  runPosterior(
    {
      prevSample: work.sample,
      predOriginalSample: work.x0,
      prediction: contiguousItems(prediction),
      variance: variance === null ? null : contiguousItems(variance),
      sample: work.sample,
      noise: coefficients.addsNoise ? work.noise : null,
    },
    coefficients,
    p.plan,
    p.kernels,
  );
  const prevSample = snapshot(work.sample);
  p.onStep?.({ index, timestep, total: p.steps.length, prevSample, predOriginalSample: snapshot(work.x0) });
  return E.right({ input: prevSample, generator });
};

/** The loop's workspace with xT copied in, or an error; the caller must release it. */
const begin = (p: SamplingPlan): Workspace => {
  const work = p.kernels.workspace(p.xT.shape);
  copyStrided(work.sample, p.xT);
  return work;
};

const result = <G extends Generators>(state: LoopState): DenoiseResult<G> =>
  Object.freeze(state.generator === undefined ? { sample: state.input } : { sample: state.input, generator: state.generator as unknown as Advanced<G> });

/**
 * The DDPM sampling loop for a synchronous model: folds `step` over the scheduler's timesteps, starting
 * from `xT`, with exactly the numbers of that fold. `model(sample, t)` returns its prediction (noise, x0
 * or velocity, as the config says). Neither `xT` nor anything else the caller passed is changed.
 *
 * Checked once, before the model is first called: the scheduler, the model (a function), xT, the
 * options, every step's coefficients (epsilon prediction at zero terminal SNR is refused here) and
 * that a generator is given when a step adds noise. Then each iteration draws its noise (where the
 * step adds noise), checks the model output and runs one pass; the first error stops the loop and is
 * returned. An aborted `options.signal` (aborted by `onStep` or the model, here) stops it at the
 * next step boundary with an `Aborted` error.
 *
 * Previews: `onStep` gets each step's `predOriginalSample` (the predicted x0, clipped or thresholded
 * as configured) and `prevSample`, new tensors that the loop never writes again.
 *
 * Memory: the loop steps one sample buffer in place and draws each step's noise into one noise buffer;
 * on the WebAssembly backend these (and x0) are `allocTensor` tensors, so that the step and the draw run
 * with no copy, and they are freed when the loop ends, returns an error or throws (with no room in the
 * arena, ordinary arrays are used). What the loop hands out is never written again: the model gets
 * `xT` first, then a new tensor per step, which is also the event's `prevSample` and, at the end, the
 * result; `onStep`, when given, gets a new `predOriginalSample` too.
 *
 * @example
 * ```ts
 * const [xT, g] = randn(torchGenerator(0), [1, 3, 32, 32]);
 * const out = denoise(s, (x, t) => unet(x, t), xT, { generator: g, onStep: (e) => bar.update(e.index + 1) });
 * ```
 */
export const denoise = <G extends Generators = TorchGenerator>(
  s: DDPMScheduler,
  model: (sample: Tensor, timestep: number) => Tensor,
  xT: Tensor,
  options: DenoiseOptions<G> = {},
): E.Either<SchedulerError, DenoiseResult<G>> => {
  const planned = planLoop(s, model, xT, options);
  if (E.isLeft(planned)) return planned;
  const p = planned.right;
  const work = begin(p);
  let state: LoopState = { input: xT, generator: p.generator };
  try {
    for (let i = 0; i < p.steps.length; i++) {
      const before = abortedAt(p, i, 'before');
      if (before !== null) return E.left(before);
      const output = model(state.input, (p.steps[i] as PlannedStep).timestep);
      const after = abortedAt(p, i, 'at the model output of');
      if (after !== null) return E.left(after);
      const next = advance(p, work, i, output, drawStepNoise(p, work, i, state.generator));
      if (E.isLeft(next)) return next;
      state = next.right;
    }
  } finally {
    work.release();
  }
  return E.right(result<G>(state));
};

/**
 * {@link denoise} for a model that returns a Promise (an ONNX Runtime session, a worker, a GPU queue):
 * awaits each prediction in turn. Gives exactly the numbers of `denoise` for the same model, with the
 * same checks and the same memory. Each step's noise, which does not depend on the model's output, is
 * drawn right after the model is called and before its promise is awaited, so that it overlaps a
 * model that runs off this thread (the draws come in denoise's order, from the same generators).
 *
 * Cancelling: with `options.signal` (an `AbortController`'s, or `AbortSignal.timeout(ms)`), the loop
 * checks the signal before each model call and again when the output arrives; once it is aborted the
 * promise resolves (it does not reject: errors are values here) to `left` of an `Aborted` error whose
 * `received` is `signal.reason`, the output of a model call in flight is dropped, and the loop's
 * workspace is freed. The model itself may take the same signal to stop its own work sooner.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * cancelButton.onclick = () => controller.abort();
 * const out = await denoiseAsync(s, async (x, t) => toTensor(await session.run(feeds(x, t))), xT, { generator: g, signal: controller.signal });
 * if (E.isLeft(out) && out.left._tag === 'Aborted') console.log('cancelled');
 * ```
 */
export const denoiseAsync = async <G extends Generators = TorchGenerator>(
  s: DDPMScheduler,
  model: (sample: Tensor, timestep: number) => Promise<Tensor>,
  xT: Tensor,
  options: DenoiseOptions<G> = {},
): Promise<E.Either<SchedulerError, DenoiseResult<G>>> => {
  const planned = planLoop(s, model, xT, options);
  if (E.isLeft(planned)) return planned;
  const p = planned.right;
  const work = begin(p);
  let state: LoopState = { input: xT, generator: p.generator };
  try {
    for (let i = 0; i < p.steps.length; i++) {
      const before = abortedAt(p, i, 'before');
      if (before !== null) return E.left(before);
      const pending = model(state.input, (p.steps[i] as PlannedStep).timestep);
      // the step's noise, drawn while a model that runs off this thread works (the draw order is denoise's)
      const generator = drawStepNoise(p, work, i, state.generator);
      const output = await pending;
      // the signal may have been aborted while the model ran: its output is dropped
      const after = abortedAt(p, i, 'at the model output of');
      if (after !== null) return E.left(after);
      const next = advance(p, work, i, output, generator);
      if (E.isLeft(next)) return next;
      state = next.right;
    }
  } finally {
    work.release();
  }
  return E.right(result<G>(state));
};
