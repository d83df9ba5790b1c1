/**
 * The scheduler layer: the config and its diffusers codec, the scheduler value, setTimesteps, step,
 * addNoise, getVelocity and the sampling loops.
 *
 * @module
 */
export { DEFAULT_DDPM_CONFIG, PREDICTION_TYPES, VARIANCE_TYPES, stepOptionsOf, validateConfig, type DDPMConfig, type ValidatedConfig } from './config.js';
export { DIFFUSERS_KEYS, MAX_TRAINED_BETAS, parseDiffusersConfig, type ConfigFields, type JsonKind, type DiffusersDDPMConfig, type ParsedDiffusersConfig } from './diffusersConfig.js';
export { createScheduler, isDDPMScheduler, type DDPMScheduler } from './scheduler.js';
export { fromDiffusersConfig, type DiffusersConfigOptions } from './fromDiffusersConfig.js';
export { toDiffusersConfig } from './toDiffusersConfig.js';
export { setTimesteps, type TimestepsRequest } from './setTimesteps.js';
export { previousTimestep } from './previousTimestep.js';
export { scaleModelInput } from './scaleModelInput.js';
export { step, type StepArgs } from './step.js';
export { addNoise } from './addNoise.js';
export { getVelocity } from './getVelocity.js';
export { denoise, denoiseAsync, type AbortSignalLike, type DenoiseOptions, type DenoiseResult, type StepEvent } from './denoise.js';
