import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from '../errors.js';
import type { DDPMConfig } from './config.js';
import { parseDiffusersConfig } from './diffusersConfig.js';
import { createScheduler, type DDPMScheduler } from './scheduler.js';

/**
 * Makes a scheduler from a `scheduler_config.json` object as model repositories publish it (snake_case,
 * `_class_name`, `_diffusers_version`, other schedulers' keys, `trained_betas: null`). What is ignored is
 * listed in the scheduler's `warnings`. Never throws, whatever the JSON: a non-object, a wrongly typed or
 * invalid value is a typed error, and every problem is reported at once.
 *
 * @example
 * ```ts
 * const s = fromDiffusersConfig(JSON.parse(text));
 * // Stable Diffusion 1.5's PNDMScheduler config: Right(scheduler), warnings name skip_prk_steps, set_alpha_to_one
 * ```
 */
export const fromDiffusersConfig = (json: unknown): E.Either<SchedulerError, DDPMScheduler> => {
  const parsed = parseDiffusersConfig(json);
  if (E.isLeft(parsed)) return parsed;
  return createScheduler(parsed.right.fields as Partial<DDPMConfig>, parsed.right.warnings);
};
