/**
 * The schedule layer: betas for every schedule, the zero-terminal-SNR rescale, the derived tables and
 * the inference timesteps of every spacing.
 *
 * @module
 */
export * from './types.js';
export * from './validate.js';
export { makeBetaSchedule } from './makeBetaSchedule.js';
export { rescaleZeroSnr } from './rescaleZeroSnr.js';
export { makeTables } from './makeTables.js';
export { validateTables, type TableUse } from './validateTables.js';
export { timestepsFor } from './timestepsFor.js';
export { customTimesteps } from './customTimesteps.js';
export { previousTimestepIn } from './previousTimestepIn.js';
