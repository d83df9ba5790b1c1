import type { Tensor } from '../tensor/index.js';
import type { DDPMScheduler } from './scheduler.js';

/**
 * Returns `sample` itself: DDPM does not scale the model input. It exists so that a loop written for
 * schedulers that do (Euler, for example) runs with this one unchanged.
 *
 * @example
 * ```ts
 * scaleModelInput(s, x, 999) === x // true
 * ```
 */
export const scaleModelInput = (_s: DDPMScheduler, sample: Tensor, _timestep?: number): Tensor => sample;
