/**
 * Node-only conveniences, kept out of the main entry so that it stays browser-safe:
 * `import { loadScheduler, saveScheduler } from 'ddpm-scheduler/node'`.
 *
 * @packageDocumentation
 */
export { loadScheduler, resolveSchedulerConfigPath, SCHEDULER_CONFIG_NAME } from './loadScheduler.js';
export { saveScheduler } from './saveScheduler.js';
