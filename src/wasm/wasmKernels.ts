/**
 * The WebAssembly kernels object: the posterior pass, the noise and the workspace on the module's memory. The
 * kernels layer (src/kernels/select.ts) makes it once the module is instantiated and chooses it.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Kernels, Workspace } from '../kernels/types.js';
import { jsKernels } from '../kernels/js/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { allocTensor, freeTensor } from './allocTensor.js';
import type { KernelExports } from './instance.js';
import { wasmPosteriorPass } from './posteriorPass.js';
import { wasmNormalBlocks } from './randnBlocks.js';

/**
 * Three `allocTensor` tensors, so that the step and the draw run on them with no copy, freed by
 * `release` (once, however often it is called); ordinary arrays where the arena has no room.
 */
const wasmWorkspace = (shape: ReadonlyArray<number>): Workspace => {
  const made: Tensor[] = [];
  for (let i = 0; i < 3; i++) {
    const t = allocTensor(shape);
    if (E.isLeft(t)) break;
    made.push(t.right);
  }
  let live = true;
  const release = () => {
    if (live) made.forEach((t) => freeTensor(t));
    live = false;
  };
  if (made.length === 3) return Object.freeze({ sample: made[0] as Tensor, x0: made[1] as Tensor, noise: made[2] as Tensor, release });
  release();
  return jsKernels.workspace(shape);
};

/**
 * The kernels object over the instantiated module `k`.
 *
 * @example
 * ```ts
 * const wasm = makeWasmKernels(instance);
 * wasm.posteriorPass(operands, 4096, scalars);
 * ```
 * @internal
 */
export const makeWasmKernels = (k: KernelExports): Kernels => {
  const made: Kernels = {
    name: 'wasm',
    posteriorPass: (operands, len, scalars) => wasmPosteriorPass(k, operands, len, scalars),
    normalBlocks: (out, words, index, capability) => wasmNormalBlocks(k, out, words, index, capability),
    workspace: wasmWorkspace,
  };
  return Object.freeze(made);
};
