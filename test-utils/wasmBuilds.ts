import { instantiateBuild, type KernelExports, type WasmBuild } from '../src/wasm/instance.js';

/**
 * Each build of the WASM kernels that this engine runs, with an instance of its own (own memory): the
 * SIMD build always, the relaxed-SIMD one where the engine has relaxed SIMD and fuses its multiply-add
 * (`npm run test:relaxed`).
 */
export const runnableBuilds = (): ReadonlyArray<readonly [WasmBuild, KernelExports]> =>
  (['simd', 'relaxed-simd'] as const)
    .map((build) => [build, instantiateBuild(build)] as const)
    .filter((entry): entry is readonly [WasmBuild, KernelExports] => entry[1] !== null);
