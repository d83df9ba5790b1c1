import * as E from 'fp-ts/lib/Either.js';
import {
  addNoise,
  denoise,
  randn,
  schedulerError,
  setTimesteps,
  type DDPMScheduler,
  type SchedulerError,
  type Tensor,
  type TorchGenerator,
} from '../../src/index.js';

/**
 * The timesteps img2img runs at a strength in (0, 1]: the last floor(n * strength) of the n-step schedule,
 * as diffusers' img2img pipelines take them. Empty when the strength is too small for one step.
 *
 * @example
 * const s50 = setTimesteps(scheduler, 50); // leading: 980, 960, ..., 0
 * img2imgTimesteps(s50.right, 0.6);       // Int32Array [580, 560, ..., 0]: 30 steps
 */
export const img2imgTimesteps = (s: DDPMScheduler, strength: number): Int32Array => {
  const n = s.timesteps.length;
  const kept = Math.min(Math.floor(n * strength), n);
  return s.timesteps.subarray(Math.max(n - kept, 0));
};

/**
 * img2img with DDPM: noise the image to the first kept timestep with `addNoise` (the forward process,
 * DDPM eq. 4), then run the tail of the schedule. The image noise is drawn first and the step noise after
 * it, from one generator, in diffusers' order.
 *
 * @example
 * const [image] = randn(torchGenerator(1), [1, 4, 64, 64]);
 * img2img(scheduler, 50, 0.6, (x, t) => unet(x, t), image, torchGenerator(0)); // right({ sample, generator })
 */
export const img2img = (
  s: DDPMScheduler,
  numInferenceSteps: number,
  strength: number,
  model: (sample: Tensor, timestep: number) => Tensor,
  image: Tensor,
  generator: TorchGenerator,
): E.Either<SchedulerError, { sample: Tensor; generator?: TorchGenerator }> => {
  const full = setTimesteps(s, numInferenceSteps);
  if (E.isLeft(full)) return full;
  const tail = img2imgTimesteps(full.right, strength);
  const start = tail[0];
  if (!(strength <= 1) || start === undefined) {
    return E.left(schedulerError('InvalidNumber', 'strength', strength, `a number in (0, 1] that keeps at least one of the ${numInferenceSteps} steps`));
  }
  // the tail as custom timesteps: each step goes to the next entry, as in the full schedule
  const tailScheduler = setTimesteps(full.right, { timesteps: tail });
  if (E.isLeft(tailScheduler)) return tailScheduler;
  const [noise, next] = randn(generator, image.shape);
  const noisy = addNoise(s, image, noise, start);
  if (E.isLeft(noisy)) return noisy;
  return denoise(tailScheduler.right, model, noisy.right, { generator: next });
};
