import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import type { CpuCapability } from '../cpuCapability.js';
import type { Precision } from '../schedule/index.js';
import type { DDPMConfig } from './config.js';
import { parseDiffusersConfig } from './diffusersConfig.js';
import { createScheduler, type DDPMScheduler } from './scheduler.js';

/**
 * What a `scheduler_config.json` cannot say: our own parameters, given beside it to
 * {@link fromDiffusersConfig}. Each is validated with the rest of the config.
 *
 * @example
 * ```ts
 * const options: DiffusersConfigOptions = { cpuCapability: 'avx2', precision: 'float32' };
 * ```
 */
export interface DiffusersConfigOptions {
  /** The PyTorch CPU kernel family to reproduce; default `'avx512'`. */
  readonly cpuCapability?: CpuCapability;
  /** The table precision; default the JSON's `_precision` key, else `'float32'`. Given here, it wins over that key. */
  readonly precision?: Precision;
}

const OPTION_KEYS = ['cpuCapability', 'precision'] as const;

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Makes a scheduler from a `scheduler_config.json` object as model repositories publish it (snake_case,
 * `_class_name`, `_diffusers_version`, other schedulers' keys, `trained_betas: null`). What is ignored is
 * listed in the scheduler's `warnings`. `options` carries what the JSON does not: the CPU kernel
 * family (`cpuCapability`) and the precision. Never throws, whatever the JSON: a non-object, a wrongly
 * typed or invalid value is a typed error, and every problem is reported at once.
 *
 * @example
 * ```ts
 * const s = fromDiffusersConfig(JSON.parse(text));
 * // Stable Diffusion 1.5's PNDMScheduler config: Right(scheduler), warnings name skip_prk_steps, set_alpha_to_one
 * fromDiffusersConfig(JSON.parse(text), { cpuCapability: 'avx2' }); // torch's AVX2 numbers
 * fromDiffusersConfig({}, { cpuCapability: 'neon' }); // left: InvalidOption 'cpuCapability'
 * ```
 */
export const fromDiffusersConfig = (json: unknown, options?: DiffusersConfigOptions): E.Either<SchedulerError, DDPMScheduler> => {
  const given: unknown = options;
  if (given !== undefined && !isPlainObject(given)) {
    return E.left(schedulerError('InvalidOption', 'options', given, "an object { cpuCapability?, precision? }"));
  }
  const parsed = parseDiffusersConfig(json);
  if (E.isLeft(parsed)) return parsed;
  const extra: Record<string, unknown> = {};
  for (const key of OPTION_KEYS) {
    if (given !== undefined && Object.prototype.hasOwnProperty.call(given, key) && given[key] !== undefined) extra[key] = given[key];
  }
  for (const key of given === undefined ? [] : Object.keys(given)) {
    if (!(OPTION_KEYS as ReadonlyArray<string>).includes(key)) {
      return E.left(schedulerError('InvalidOption', `options.${key}`, (given as Record<string, unknown>)[key], 'one of the options cpuCapability, precision'));
    }
  }
  return createScheduler({ ...(parsed.right.fields as Partial<DDPMConfig>), ...extra }, parsed.right.warnings);
};
