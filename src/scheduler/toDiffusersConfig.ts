import { SchedulerException } from '../errors.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';
import { DIFFUSERS_KEYS, type DiffusersDDPMConfig } from './diffusersConfig.js';

/**
 * The scheduler's config as diffusers' `scheduler_config.json`: every DDPMScheduler key in snake_case,
 * `_class_name: 'DDPMScheduler'`, and `_precision` only when it is `'float64'` (diffusers ignores keys
 * that start with `_`); never `cpuCapability`, which is not part of a model's config (pass it to
 * `fromDiffusersConfig` as an option). `fromDiffusersConfig(toDiffusersConfig(s), { cpuCapability })` gives back the same config. Throws
 * a `SchedulerException` when `s` is not a scheduler the library made.
 *
 * @example
 * ```ts
 * JSON.stringify(toDiffusersConfig(s), null, 2) // the text of scheduler_config.json
 * ```
 */
export const toDiffusersConfig = (s: DDPMScheduler): DiffusersDDPMConfig => {
  if (!isDDPMScheduler(s)) throw new SchedulerException(notAScheduler(s));
  const out: Record<string, unknown> = { _class_name: 'DDPMScheduler' };
  if (s.config.precision === 'float64') out._precision = 'float64';
  for (const [key, field] of DIFFUSERS_KEYS) {
    const value = s.config[field as keyof typeof s.config];
    out[key] = Array.isArray(value) ? Object.freeze([...value]) : value;
  }
  return Object.freeze(out) as unknown as DiffusersDDPMConfig;
};
