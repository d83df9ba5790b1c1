import * as E from 'fp-ts/lib/Either.js';
import {
  allocate,
  contiguousCopy,
  isContiguous,
  posteriorCoefficients,
  posteriorStep,
  randn,
  schedulerError,
  stepOptionsOf,
  timestepsFor,
  type DDPMScheduler,
  type SchedulerError,
  type Tensor,
  type TorchGenerator,
} from '../../src/index.js';

/** The tensor itself when it is one contiguous run of its data, else a contiguous copy. */
const contiguous = (t: Tensor): Tensor => (isContiguous(t) ? t : contiguousCopy(t));

/** What one DDIM step reads (see `ddimStep`). */
export interface DdimStepArgs {
  readonly modelOutput: Tensor;
  readonly sample: Tensor;
  readonly timestep: number;
  /** The timestep stepped to: timestep - numTrainTimesteps / n in diffusers' DDIM; < 0 after the last step. */
  readonly prevTimestep: number;
  /** 0: deterministic DDIM; 1: the DDPM posterior's noise level. */
  readonly eta: number;
  /** Standard normal noise of the sample's shape, needed when eta > 0. */
  readonly noise?: Tensor;
}

/**
 * One DDIM step (Song et al. 2021, eq. 12 and 16) with diffusers' conventions and float32 rounding:
 * alphaBar 1 after the last step (`set_alpha_to_one`), sigma = eta times the DDPM posterior standard deviation.
 *
 * @example
 * const [x] = randn(torchGenerator(0), [1, 4]);
 * ddimStep(scheduler, { modelOutput: x, sample: x, timestep: 500, prevTimestep: 480, eta: 0 }); // right({ prevSample, ... })
 */
export const ddimStep = (s: DDPMScheduler, args: DdimStepArgs): E.Either<SchedulerError, { prevSample: Tensor; predOriginalSample: Tensor }> => {
  const { modelOutput, sample, timestep, eta, noise } = args;
  const prev = Math.max(args.prevTimestep, -1);
  const coefficients = posteriorCoefficients(s.alphasCumprod, timestep, prev);
  if (E.isLeft(coefficients)) return coefficients;
  const k = coefficients.right;
  if (eta > 0 && noise === undefined) return E.left(schedulerError('InvalidTensor', 'noise', undefined, 'a noise tensor when eta > 0'));
  // 1. x0 from the kernel, clipped or thresholded as the config says (its prevSample, the DDPM mean, is unused)
  const x0Step = posteriorStep({ modelOutput, sample }, { ...k, addsNoise: false, noiseScale: 0 }, stepOptionsOf(s.config));
  if (E.isLeft(x0Step)) return x0Step;
  const x0 = x0Step.right.predOriginalSample;
  // 2. sigma from the DDPM posterior variance (eq. 16); diffusers' DDIM has exactly 0 after the last step,
  //    where the coefficients clamp the variance at 1e-20 for the sake of its log
  const f = Math.fround;
  const variance = k.prevTimestep < 0 ? 0 : k.variance;
  const sigma = f(f(eta) * f(Math.sqrt(variance)));
  // 3. the weights of x0, of the predicted noise ("direction pointing to x_t") and of fresh noise, eq. 12
  const x0Weight = f(Math.sqrt(k.alphaProdTPrev));
  const epsWeight = f(Math.sqrt(f(k.betaProdTPrev - f(sigma * sigma))));
  const out = allocate(sample.shape);
  const n = out.data.length;
  const [m, x] = [contiguous(modelOutput), contiguous(sample)];
  const z = eta > 0 && noise !== undefined ? contiguous(noise) : null;
  const sa = k.sqrtAlphaProdT;
  const sb = k.sqrtBetaProdT;
  for (let i = 0; i < n; i++) {
    const mi = m.data[m.offset + i] as number;
    const xi = x.data[x.offset + i] as number;
    // the noise the model implies, from the unclipped model output, as diffusers computes it
    const eps =
      s.config.predictionType === 'epsilon' ? mi
      : s.config.predictionType === 'sample' ? f(f(xi - f(sa * mi)) / sb)
      : f(f(sa * mi) + f(sb * xi));
    const mean = f(f(x0Weight * (x0.data[i] as number)) + f(epsWeight * eps));
    out.data[i] = z === null ? mean : f(mean + f(sigma * (z.data[z.offset + i] as number)));
  }
  return E.right({ prevSample: out, predOriginalSample: x0 });
};

/**
 * The DDIM sampling loop: leading timesteps (with the config's stepsOffset), each step to
 * timestep - numTrainTimesteps / n, noise drawn at every step when eta > 0 (as diffusers draws it).
 *
 * @example
 * const [xT, g] = randn(torchGenerator(0), [1, 4]);
 * ddimSample(scheduler, 50, (x) => x, xT, { eta: 1, generator: g }); // right({ sample, generator })
 */
export const ddimSample = (
  s: DDPMScheduler,
  numInferenceSteps: number,
  model: (sample: Tensor, timestep: number) => Tensor,
  xT: Tensor,
  options: { readonly eta: number; readonly generator?: TorchGenerator },
): E.Either<SchedulerError, { sample: Tensor; generator?: TorchGenerator }> => {
  const { numTrainTimesteps, stepsOffset } = s.config;
  const timesteps = timestepsFor('leading')({ numTrainTimesteps, numInferenceSteps, stepsOffset });
  if (E.isLeft(timesteps)) return timesteps;
  if (options.eta > 0 && options.generator === undefined) {
    return E.left(schedulerError('InvalidOption', 'generator', undefined, 'a generator when eta > 0'));
  }
  const ratio = Math.floor(numTrainTimesteps / numInferenceSteps);
  let sample = xT;
  let generator = options.generator;
  for (const t of timesteps.right) {
    let noise: Tensor | undefined;
    if (options.eta > 0 && generator !== undefined) [noise, generator] = randn(generator, sample.shape);
    const stepped = ddimStep(s, { modelOutput: model(sample, t), sample, timestep: t, prevTimestep: t - ratio, eta: options.eta, ...(noise === undefined ? {} : { noise }) });
    if (E.isLeft(stepped)) return stepped;
    sample = stepped.right.prevSample;
  }
  return E.right(generator === undefined ? { sample } : { sample, generator });
};
