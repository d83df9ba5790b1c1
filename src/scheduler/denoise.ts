import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import type { TorchGenerator } from '../random/index.js';
import { allocate, checkTensor, copyStrided, type Tensor } from '../tensor/index.js';
import { allocTensor, backend, freeTensor } from '../wasm/index.js';
import type { DDPMScheduler } from './scheduler.js';
import { stepInto } from './step.js';

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

/**
 * The loop's own memory: the sample it steps in place, x0 and the noise buffer. On the WebAssembly
 * backend these are `allocTensor` tensors, so that the step and the draw run on them with no copy;
 * elsewhere (or when the arena has no room) ordinary arrays. Never handed to the caller.
 */
interface Workspace {
  readonly sample: Tensor;
  readonly x0: Tensor;
  readonly noise: Tensor;
  readonly release: () => void;
}

const workspace = (shape: ReadonlyArray<number>): Workspace => {
  if (backend() === 'wasm') {
    const made: Tensor[] = [];
    for (let i = 0; i < 3; i++) {
      const t = allocTensor(shape);
      if (E.isLeft(t)) break;
      made.push(t.right);
    }
    const release = () => made.forEach((t) => freeTensor(t));
    if (made.length === 3) return { sample: made[0] as Tensor, x0: made[1] as Tensor, noise: made[2] as Tensor, release };
    release();
  }
  return { sample: allocate(shape), x0: allocate(shape), noise: allocate(shape), release: () => undefined };
};

/** A new ordinary tensor with the values of a contiguous one. */
const snapshot = (t: Tensor): Tensor => {
  const copy = allocate(t.shape);
  copy.data.set(t.data);
  return copy;
};

/** Where a loop is between two model calls: the model's next input (the caller's xT, then snapshots) and the generator. */
interface LoopState {
  readonly input: Tensor;
  readonly generator?: TorchGenerator;
}

const begin = (xT: Tensor, options: DenoiseOptions): E.Either<SchedulerError, readonly [LoopState, Workspace]> => {
  const checked = checkTensor(xT, 'xT');
  if (E.isLeft(checked)) return checked;
  const work = workspace(checked.right.shape);
  copyStrided(work.sample, checked.right);
  return E.right([{ input: xT, ...(options.generator === undefined ? {} : { generator: options.generator }) }, work]);
};

/** Steps the workspace's sample in place, then hands out snapshots: the next model input and onStep's tensors. */
const advance = (
  s: DDPMScheduler,
  state: LoopState,
  work: Workspace,
  index: number,
  modelOutput: Tensor,
  onStep: DenoiseOptions['onStep'],
): E.Either<SchedulerError, LoopState> => {
  const timestep = s.timesteps[index] as number;
  const r = stepInto(
    s,
    { modelOutput, timestep, sample: work.sample, ...(state.generator === undefined ? {} : { generator: state.generator }) },
    { prevSample: work.sample, predOriginalSample: work.x0, noise: work.noise },
  );
  if (E.isLeft(r)) return r;
  const prevSample = snapshot(work.sample);
  if (onStep !== undefined) {
    onStep({ index, timestep, total: s.timesteps.length, prevSample, predOriginalSample: snapshot(work.x0) });
  }
  return E.right({ input: prevSample, ...(r.right.generator === undefined ? {} : { generator: r.right.generator }) });
};

const result = (state: LoopState): DenoiseResult =>
  Object.freeze({ sample: state.input, ...(state.generator === undefined ? {} : { generator: state.generator }) });

/**
 * The DDPM sampling loop for a synchronous model: folds `step` over the scheduler's timesteps, starting
 * from `xT`, with exactly the numbers of that fold. `model(sample, t)` returns its prediction (noise, x0
 * or velocity, as the config says). Stops at the first error and returns it. Neither `xT` nor anything
 * else the caller passed is changed.
 *
 * Memory: the loop steps one sample buffer in place and draws each step's noise into one noise buffer;
 * on the WebAssembly backend these (and x0) are `allocTensor` tensors, so that the step and the draw run
 * with no copy, and they are freed when the loop ends, returns an error or throws (with no room in the
 * arena, ordinary arrays are used). What the loop hands out is never written again: the model gets
 * `xT` first, then a new tensor per step, which is also the event's `prevSample` and, at the end, the
 * result; `onStep`, when given, gets a new `predOriginalSample` too. Per step that is one copy of the
 * sample (two with `onStep`) where `step` allocates outputs and noise and copies them through staging.
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
  const started = begin(xT, options);
  if (E.isLeft(started)) return started;
  const [first, work] = started.right;
  let state = first;
  try {
    for (let i = 0; i < s.timesteps.length; i++) {
      const next = advance(s, state, work, i, model(state.input, s.timesteps[i] as number), options.onStep);
      if (E.isLeft(next)) return next;
      state = next.right;
    }
  } finally {
    work.release();
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
  const started = begin(xT, options);
  if (E.isLeft(started)) return started;
  const [first, work] = started.right;
  let state = first;
  try {
    for (let i = 0; i < s.timesteps.length; i++) {
      const next = advance(s, state, work, i, await model(state.input, s.timesteps[i] as number), options.onStep);
      if (E.isLeft(next)) return next;
      state = next.right;
    }
  } finally {
    work.release();
  }
  return E.right(result(state));
};
