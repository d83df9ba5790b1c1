/**
 * ddpm-scheduler: the DDPM noise scheduler with the numbers of diffusers' `DDPMScheduler`, as pure
 * functions over immutable values.
 *
 * @packageDocumentation
 */
export * from './errors.js';
export * from './cpuCapability.js';
export * from './tensor/index.js';
export * from './schedule/index.js';
export * from './random/index.js';
export * from './step/index.js';
export * from './scheduler/index.js';
export * from './kernels/index.js';
export * from './wasm/index.js';
