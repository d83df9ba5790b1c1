import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { configErrors, schedulerError, type SchedulerError } from '../errors.js';
import { validateAll } from '../validation.js';

/**
 * A DDPMScheduler `scheduler_config.json` as diffusers writes it: snake_case keys, diffusers' own string
 * values, `_class_name: 'DDPMScheduler'`.
 *
 * `_precision` is ours: written only when the precision is not the default `'float32'`. diffusers drops
 * every key that starts with `_` when it reads a config, so the file stays loadable there.
 */
export interface DiffusersDDPMConfig {
  readonly _class_name: 'DDPMScheduler';
  readonly _precision?: 'float64';
  readonly num_train_timesteps: number;
  readonly beta_start: number;
  readonly beta_end: number;
  readonly beta_schedule: string;
  readonly trained_betas: ReadonlyArray<number> | null;
  readonly variance_type: string;
  readonly clip_sample: boolean;
  readonly prediction_type: string;
  readonly thresholding: boolean;
  readonly dynamic_thresholding_ratio: number;
  readonly clip_sample_range: number;
  readonly sample_max_value: number;
  readonly timestep_spacing: string;
  readonly steps_offset: number;
  readonly rescale_betas_zero_snr: boolean;
}

/** The camelCase form of every DDPMScheduler parameter, as read from JSON: types checked, values not yet. */
export interface ConfigFields {
  readonly numTrainTimesteps?: number;
  readonly betaStart?: number;
  readonly betaEnd?: number;
  readonly betaSchedule?: string;
  readonly trainedBetas?: ReadonlyArray<number> | null;
  readonly varianceType?: string;
  readonly clipSample?: boolean;
  readonly predictionType?: string;
  readonly thresholding?: boolean;
  readonly dynamicThresholdingRatio?: number;
  readonly clipSampleRange?: number;
  readonly sampleMaxValue?: number;
  readonly timestepSpacing?: string;
  readonly stepsOffset?: number;
  readonly rescaleBetasZeroSnr?: boolean;
  readonly precision?: string;
}

/** The JSON type a `scheduler_config.json` key must have. */
export type JsonKind = 'number' | 'string' | 'boolean' | 'numbers or null';

/** snake_case key, camelCase field, JSON type: the whole DDPMScheduler surface in one table (frozen, rows too). */
export const DIFFUSERS_KEYS: ReadonlyArray<readonly [string, keyof ConfigFields, JsonKind]> = Object.freeze(
  ([
  ['num_train_timesteps', 'numTrainTimesteps', 'number'],
  ['beta_start', 'betaStart', 'number'],
  ['beta_end', 'betaEnd', 'number'],
  ['beta_schedule', 'betaSchedule', 'string'],
  ['trained_betas', 'trainedBetas', 'numbers or null'],
  ['variance_type', 'varianceType', 'string'],
  ['clip_sample', 'clipSample', 'boolean'],
  ['prediction_type', 'predictionType', 'string'],
  ['thresholding', 'thresholding', 'boolean'],
  ['dynamic_thresholding_ratio', 'dynamicThresholdingRatio', 'number'],
  ['clip_sample_range', 'clipSampleRange', 'number'],
  ['sample_max_value', 'sampleMaxValue', 'number'],
  ['timestep_spacing', 'timestepSpacing', 'string'],
  ['steps_offset', 'stepsOffset', 'number'],
  ['rescale_betas_zero_snr', 'rescaleBetasZeroSnr', 'boolean'],
] as Array<readonly [string, keyof ConfigFields, JsonKind]>).map((row) => Object.freeze(row)),
);

/** The longest `trained_betas` we read; a longer array is refused before it is copied. */
export const MAX_TRAINED_BETAS = 1_000_000;

/** Metadata keys diffusers writes that carry no parameter and deserve no warning. */
const SILENT_KEYS = new Set(['_class_name', '_diffusers_version', '_use_default_values', '_precision']);

/** A config read from JSON: its fields (types checked) and what was ignored, in words. */
export interface ParsedDiffusersConfig {
  readonly fields: ConfigFields;
  readonly warnings: ReadonlyArray<string>;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);

const own = (o: Record<string, unknown>, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

const readValue = (key: string, kind: JsonKind, value: unknown): E.Either<SchedulerError, unknown> => {
  switch (kind) {
    case 'number':
      return typeof value === 'number' ? E.right(value) : E.left(schedulerError('InvalidNumber', key, value, 'a JSON number'));
    case 'string':
      return typeof value === 'string' ? E.right(value) : E.left(schedulerError('InvalidOption', key, value, 'a JSON string'));
    case 'boolean':
      return typeof value === 'boolean' ? E.right(value) : E.left(schedulerError('InvalidOption', key, value, 'true or false'));
    case 'numbers or null': {
      if (value === null) return E.right(null);
      const allowed = `null or an array of at most ${MAX_TRAINED_BETAS} numbers`;
      if (!Array.isArray(value) || value.length > MAX_TRAINED_BETAS) return E.left(schedulerError('InvalidBetas', key, value, allowed));
      const bad = value.findIndex((v) => typeof v !== 'number');
      if (bad >= 0) return E.left(schedulerError('InvalidBetas', `${key}[${bad}]`, value[bad], 'a JSON number'));
      return E.right(Object.freeze(value.slice() as number[]));
    }
  }
};

/** `_precision` (ours) only needs to be a string here; its value is checked with the rest of the config. */
const readPrecision = (value: unknown): E.Either<SchedulerError, readonly ['precision', string]> =>
  typeof value === 'string'
    ? E.right(['precision', value] as const)
    : E.left(schedulerError('InvalidOption', '_precision', value, "'float32' or 'float64'"));

/**
 * Reads a `scheduler_config.json` object (already parsed from JSON) into camelCase config fields,
 * checking each value's JSON type; the values themselves are validated when the scheduler is made.
 *
 * Accepts what model repositories publish: `_class_name` of another scheduler (a warning says the config
 * was written for it), `_diffusers_version`, keys of other schedulers such as `skip_prk_steps` or
 * `set_alpha_to_one` (ignored, each named in `warnings`), `trained_betas: null` (no trained betas), and
 * `_use_default_values` (the keys it lists are dropped so that defaults apply, as diffusers does).
 * Only the known keys are ever read, so hostile keys such as `__proto__` or `constructor` are ignored.
 * Every wrongly typed value is reported at once in one `InvalidConfig` error.
 *
 * @example
 * ```ts
 * parseDiffusersConfig({ _class_name: 'PNDMScheduler', beta_schedule: 'scaled_linear', skip_prk_steps: true })
 * // Right({ fields: { betaSchedule: 'scaled_linear' }, warnings: [...two warnings...] })
 * ```
 */
export const parseDiffusersConfig = (json: unknown): E.Either<SchedulerError, ParsedDiffusersConfig> => {
  if (!isPlainObject(json)) {
    return E.left(configErrors('scheduler_config', json, [], 'a JSON object'));
  }
  const warnings: string[] = [];

  const className = own(json, '_class_name') ? json._class_name : undefined;
  if (className !== undefined && className !== 'DDPMScheduler') {
    warnings.push(`_class_name is ${JSON.stringify(className)}: read as DDPMScheduler, keys it does not know are ignored`);
  }
  const useDefaults = own(json, '_use_default_values') ? json._use_default_values : undefined;
  const defaulted = new Set(Array.isArray(useDefaults) ? useDefaults.filter((k): k is string => typeof k === 'string') : []);

  // one check per key read, each giving its field and value
  const reads: ReadonlyArray<E.Either<SchedulerError, readonly [keyof ConfigFields, unknown]>> = [
    ...DIFFUSERS_KEYS.filter(([key]) => own(json, key) && !defaulted.has(key)).map(([key, field, kind]) =>
      pipe(readValue(key, kind, json[key]), E.map((value) => [field, value] as const)),
    ),
    ...(own(json, '_precision') ? [readPrecision(json._precision)] : []),
  ];

  const known = new Set(DIFFUSERS_KEYS.map(([key]) => key));
  for (const key of Object.keys(json)) {
    if (known.has(key) || SILENT_KEYS.has(key)) continue;
    warnings.push(`${key}: not a DDPMScheduler parameter, ignored`);
  }
  for (const key of defaulted) {
    if (known.has(key) && own(json, key)) warnings.push(`${key}: listed in _use_default_values, the default is used`);
  }

  return pipe(
    validateAll('scheduler_config', json, reads),
    E.map((entries) =>
      Object.freeze({ fields: Object.freeze(Object.fromEntries(entries) as ConfigFields), warnings: Object.freeze(warnings) }),
    ),
  );
};
