/**
 * The JavaScript kernels: the definition of every pass, runnable in any engine, with no code
 * generation and no WebAssembly.
 *
 * @module
 */
import { allocate } from '../../tensor/allocate.js';
import type { Kernels, Workspace } from '../types.js';
import { jsNormalBlocks } from './normalBlocks.js';
import { jsPosteriorPass } from './posteriorPass.js';

/** Three ordinary zero-filled tensors; nothing to give back. */
const jsWorkspace = (shape: ReadonlyArray<number>): Workspace =>
  Object.freeze({ sample: allocate(shape), x0: allocate(shape), noise: allocate(shape), release: () => undefined });

/**
 * The JavaScript kernels object.
 *
 * @example
 * ```ts
 * jsKernels.posteriorPass(operands, 4096, scalars);
 * ```
 * @internal
 */
export const jsKernels: Kernels = Object.freeze({
  name: 'js',
  posteriorPass: jsPosteriorPass,
  normalBlocks: jsNormalBlocks,
  workspace: jsWorkspace,
});
