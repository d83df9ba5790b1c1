import * as E from 'fp-ts/lib/Either.js';
import {
  checkTensor,
  configErrors,
  denoiseAsync,
  isDDPMScheduler,
  randn,
  schedulerError,
  SchedulerException,
  tensor,
  tryTorchGenerator,
  type DDPMScheduler,
  type PredictionType,
  type SchedulerError,
  type StepEvent,
  type Tensor,
} from 'ddpm-scheduler';

/** The side of the demo network's images: 16 pixels, one channel. */
export const NETWORK_SIZE = 16;

/** An ONNX Runtime tensor as this module reads and makes it (onnxruntime-node's and onnxruntime-web's both fit). */
export interface OrtTensorLike {
  readonly type: string;
  readonly data: unknown;
  readonly dims: ReadonlyArray<number>;
}

/** The part of an ONNX Runtime module used here: its `Tensor` constructor. */
export interface OrtLike {
  readonly Tensor: new (type: 'float32' | 'int64', data: Float32Array | BigInt64Array, dims: ReadonlyArray<number>) => OrtTensorLike;
}

/** The part of an `InferenceSession` used here. */
export interface OrtSessionLike {
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
}

const outputOf = (out: Record<string, OrtTensorLike>, name: string, dims: ReadonlyArray<number>): E.Either<SchedulerError, Float32Array> => {
  const o = out[name];
  if (o === undefined) return E.left(schedulerError('InvalidTensor', name, Object.keys(out).join(', '), `an output named ${name}`));
  if (o.type !== 'float32' || !(o.data instanceof Float32Array))
    return E.left(schedulerError('InvalidTensor', name, o.type, 'a float32 tensor'));
  if (o.dims.length !== dims.length || o.dims.some((d, i) => d !== dims[i]))
    return E.left(schedulerError('InvalidTensor', name, `[${o.dims.join(', ')}]`, `shape [${dims.join(', ')}]`));
  return E.right(o.data);
};

/**
 * The demo UNet (`unet.onnx`: `sample` float32 [batch, 1, 16, 16], `timestep` int64 [batch] ->
 * `noise_pred` float32) as a model for {@link denoiseAsync}: every item of the batch gets the loop's
 * timestep, as diffusers' pipelines broadcast it. The network predicts epsilon; with another
 * `predictionType` its output is converted exactly as the training targets relate, in double precision
 * then rounded to float32, with alphaBar = `s.alphasCumprod[t]`:
 * `sample`: x0 = (x - sqrt(1 - alphaBar) eps) / sqrt(alphaBar);
 * `v_prediction`: v = (eps - sqrt(1 - alphaBar) x) / sqrt(alphaBar).
 * A scheduler of that prediction type then gives the epsilon loop's images up to float32 rounding.
 * Rejects (the promise fails) when the session does, or answers with another output than `noise_pred`
 * (an `Error`); a `SchedulerException` for a value that is not a scheduler (`InvalidConfig`), a sample
 * that is not a float32 tensor (`InvalidTensor`) or a timestep outside the schedule (`InvalidTimestep`).
 *
 * @example
 * ```ts
 * const session = await ort.InferenceSession.create('cli/models/digits/unet.onnx');
 * const out = await denoiseAsync(s, unetModel(ort, session, s), xT, { generator });
 * ```
 */
export const unetModel =
  (ort: OrtLike, session: OrtSessionLike, s: DDPMScheduler, predictionType: PredictionType = 'epsilon') =>
  async (x: Tensor, t: number): Promise<Tensor> => {
    if (!isDDPMScheduler(s)) throw new SchedulerException(notAScheduler(s));
    const checked = checkTensor(x, 'sample');
    if (E.isLeft(checked)) throw new SchedulerException(checked.left);
    if (!Number.isSafeInteger(t) || t < 0 || t >= s.alphasCumprod.length)
      throw new SchedulerException(schedulerError('InvalidTimestep', 'timestep', t, `an integer from 0 to ${s.alphasCumprod.length - 1}`));
    const dims = [...x.shape];
    const batch = dims[0] ?? 1;
    const data = x.data.length === x.size && x.offset === 0 ? x.data : Float32Array.from(x.data.subarray(x.offset, x.offset + x.size));
    const out = await session.run({
      sample: new ort.Tensor('float32', data, dims),
      timestep: new ort.Tensor('int64', new BigInt64Array(batch).fill(BigInt(t)), [batch]),
    });
    const eps = outputOf(out, 'noise_pred', dims);
    if (E.isLeft(eps)) throw new Error(eps.left.message);
    if (predictionType === 'epsilon') return tensor(eps.right, dims);
    const alphaBar = s.alphasCumprod[t] as number;
    const a = Math.sqrt(alphaBar);
    const b = Math.sqrt(1 - alphaBar);
    const converted = new Float32Array(eps.right.length);
    for (let i = 0; i < converted.length; i++) {
      const e = eps.right[i] as number;
      const xi = data[i] as number;
      converted[i] = predictionType === 'sample' ? (xi - b * e) / a : (e - b * xi) / a;
    }
    return tensor(converted, dims);
  };

const notAScheduler = (received: unknown): SchedulerError =>
  configErrors('scheduler', received, [], 'a DDPMScheduler value made by createScheduler, fromDiffusersConfig or setTimesteps');

/** What {@link sampleNetwork} is asked for. */
export interface NetworkRequest {
  readonly seed: bigint | number;
  readonly samples: number;
  /** The network's output converted to this prediction type (default epsilon: the network's own). */
  readonly predictionType?: PredictionType;
  /** Called after every step (a progress bar, a trajectory recorder). */
  readonly onStep?: (event: StepEvent) => void;
}

/**
 * Samples the demo network as diffusers' DDPM pipeline does: `torch.manual_seed(seed)`, x_T =
 * `randn([samples, 1, 16, 16])`, then one model call and one `scheduler.step` with the same generator
 * per timestep of `s` (the generator's CPU flavor is `s.config.cpuCapability`). `s` must have its
 * timesteps set and the prediction type the request asks for. Returns the final samples, in [-1, 1]
 * when the scheduler clips.
 *
 * @example
 * ```ts
 * const final = await sampleNetwork(ort, session, s, { seed: 0n, samples: 64 });
 * ```
 */
export const sampleNetwork = async (
  ort: OrtLike,
  session: OrtSessionLike,
  s: DDPMScheduler,
  r: NetworkRequest,
): Promise<E.Either<SchedulerError, { readonly xT: Tensor; readonly sample: Tensor }>> => {
  if (!isDDPMScheduler(s)) return E.left(notAScheduler(s));
  if (typeof r !== 'object' || r === null) return E.left(schedulerError('InvalidOption', 'request', r, 'an object { seed, samples }'));
  if (!Number.isSafeInteger(r.samples) || r.samples < 1)
    return E.left(schedulerError('InvalidOption', 'samples', r.samples, 'an integer >= 1'));
  const generator0 = tryTorchGenerator(r.seed, { cpuCapability: s.config.cpuCapability });
  if (E.isLeft(generator0)) return generator0;
  const [xT, generator] = randn(generator0.right, [r.samples, 1, NETWORK_SIZE, NETWORK_SIZE]);
  const model = unetModel(ort, session, s, r.predictionType ?? 'epsilon');
  try {
    const out = await denoiseAsync(s, model, xT, { generator, ...(r.onStep === undefined ? {} : { onStep: r.onStep }) });
    return E.map((o: { readonly sample: Tensor }) => Object.freeze({ xT, sample: o.sample }))(out);
  } catch (cause) {
    return E.left(schedulerError('IoError', 'session', 'a failed run', 'an ONNX Runtime session that runs', (cause as Error).message));
  }
};
