// Starts bench/run.mjs with --expose-gc and, where this Node needs it for the relaxed-SIMD build of the
// WebAssembly kernels, --experimental-wasm-relaxed-simd (Node 20; Node 22+ runs that build by itself):
// the bench measures the build users of a current engine get. Its children inherit the flag.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { relaxedFlags } from '../scripts/relaxed-flags.mjs';

const { flags, runs, answer } = relaxedFlags();
if (!runs) console.log(`bench: the relaxed-SIMD build cannot run here (probe: ${answer}); the SIMD build is measured`);
const run = spawnSync(process.execPath, ['--expose-gc', ...flags, fileURLToPath(new URL('./run.mjs', import.meta.url)), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
