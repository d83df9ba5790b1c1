// Runs the `relaxed` jest project (jest.config.js) on the relaxed-SIMD build of the WebAssembly kernels:
// the suites whose bits come from the kernels' noise and step, which `npm test`'s first pass ran on
// the build this Node picks by itself (the SIMD one on Node 20, which refuses relaxed SIMD unless
// started with --experimental-wasm-relaxed-simd). The jest process and its workers get that flag where
// this Node needs it, and DDPM_REQUIRE_RELAXED=1, under which src/wasm/instance.test.ts fails unless the
// library chose the relaxed build. An engine whose relaxed multiply-add does not fuse (a CPU without
// FMA) never runs that build: the run is then skipped, with a line that says so.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { relaxedFlags } from './relaxed-flags.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { flags, runs, answer } = relaxedFlags();
if (!runs) {
  console.log(`test:relaxed: skipped, the relaxed-SIMD build cannot run here (its probe answered ${answer})`);
  process.exit(0);
}
console.log(`test:relaxed: the relaxed-SIMD build runs here${flags.length > 0 ? ` with ${flags.join(' ')}` : ''}`);
const jest = spawnSync(
  process.execPath,
  [...flags, `${root}node_modules/jest/bin/jest.js`, '--selectProjects', 'relaxed', ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root, env: { ...process.env, DDPM_BACKEND: 'wasm', DDPM_REQUIRE_RELAXED: '1' } },
);
process.exit(jest.status ?? 1);
