import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import type { TorchGenerator } from '../random/index.js';
import type { Tensor } from '../tensor/index.js';
import type { DDPMScheduler } from './scheduler.js';
import { step } from './step.js';

/** What `onStep` hears after each step: for progress bars and previews. */
export interface StepEvent {
  /** 0 for the first step. */
  readonly index: number;
  /** The timestep just stepped from. */
  readonly timestep: number;
  /** The number of steps of the loop. */
  readonly total: number;
  readonly prevSample: Tensor;
  readonly predOriginalSample: Tensor;
}

/** Options of a sampling loop. */
export interface DenoiseOptions {
  /** The generator the step noise is drawn from; without one, a generator must not be needed (no step with t > 0). */
  readonly generator?: TorchGenerator;
  /** Called after every step with its results. */
  readonly onStep?: (event: StepEvent) => void;
}

/** The end of a sampling loop: x_0 and the generator after the last draw. */
export interface DenoiseResult {
  readonly sample: Tensor;
  readonly generator?: TorchGenerator;
}

interface LoopState {
  readonly sample: Tensor;
  readonly generator?: TorchGenerator;
}

const advance = (
  s: DDPMScheduler,
  state: LoopState,
  index: number,
  modelOutput: Tensor,
  onStep: DenoiseOptions['onStep'],
): E.Either<SchedulerError, LoopState> => {
  const timestep = s.timesteps[index] as number;
  const r = step(s, {
    modelOutput,
    timestep,
    sample: state.sample,
    ...(state.generator === undefined ? {} : { generator: state.generator }),
  });
  if (E.isLeft(r)) return r;
  onStep?.({ index, timestep, total: s.timesteps.length, prevSample: r.right.prevSample, predOriginalSample: r.right.predOriginalSample });
  return E.right({ sample: r.right.prevSample, ...(r.right.generator === undefined ? {} : { generator: r.right.generator }) });
};

const result = (state: LoopState): DenoiseResult =>
  Object.freeze({ sample: state.sample, ...(state.generator === undefined ? {} : { generator: state.generator }) });

/**
 * The DDPM sampling loop for a synchronous model: folds `step` over the scheduler's timesteps, starting
 * from `xT`. `model(sample, t)` returns its prediction (noise, x0 or velocity, as the config says). Stops
 * at the first error and returns it. Neither `xT` nor anything else the caller passed is changed.
 *
 * @example
 * ```ts
 * const [xT, g] = randn(torchGenerator(0), [1, 3, 32, 32]);
 * const out = denoise(s, (x, t) => unet(x, t), xT, { generator: g, onStep: (e) => bar.update(e.index + 1) });
 * ```
 */
export const denoise = (
  s: DDPMScheduler,
  model: (sample: Tensor, timestep: number) => Tensor,
  xT: Tensor,
  options: DenoiseOptions = {},
): E.Either<SchedulerError, DenoiseResult> => {
  let state: LoopState = { sample: xT, ...(options.generator === undefined ? {} : { generator: options.generator }) };
  for (let i = 0; i < s.timesteps.length; i++) {
    const next = advance(s, state, i, model(state.sample, s.timesteps[i] as number), options.onStep);
    if (E.isLeft(next)) return next;
    state = next.right;
  }
  return E.right(result(state));
};

/**
 * {@link denoise} for a model that returns a Promise (an ONNX Runtime session, a worker, a GPU queue):
 * awaits each prediction in turn. Gives exactly the numbers of `denoise` for the same model.
 *
 * @example
 * ```ts
 * const out = await denoiseAsync(s, async (x, t) => toTensor(await session.run(feeds(x, t))), xT, { generator: g });
 * ```
 */
export const denoiseAsync = async (
  s: DDPMScheduler,
  model: (sample: Tensor, timestep: number) => Promise<Tensor>,
  xT: Tensor,
  options: DenoiseOptions = {},
): Promise<E.Either<SchedulerError, DenoiseResult>> => {
  let state: LoopState = { sample: xT, ...(options.generator === undefined ? {} : { generator: options.generator }) };
  for (let i = 0; i < s.timesteps.length; i++) {
    const next = advance(s, state, i, await model(state.sample, s.timesteps[i] as number), options.onStep);
    if (E.isLeft(next)) return next;
    state = next.right;
  }
  return E.right(result(state));
};
