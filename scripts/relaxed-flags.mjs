// Which Node flags let the relaxed-SIMD build of the WebAssembly kernels run, and whether it then runs:
// none where the engine has relaxed SIMD on (Node 22+), --experimental-wasm-relaxed-simd on Node 20, and
// no run at all where the engine's relaxed multiply-add does not fuse (the build's own probe says).
// Used by scripts/test-relaxed.mjs and bench/launch.mjs.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const generated = fileURLToPath(new URL('../src/wasm/generated/kernels-relaxed.wasm.ts', import.meta.url));

// In a child started with `flags`: 'invalid', or the module's fusedMultiplyAdds() (3: both widths fuse).
const probe = (flags) => {
  const script = [
    "const { readFileSync } = require('node:fs');",
    `const text = readFileSync(${JSON.stringify(generated)}, 'utf8');`,
    "const bytes = Buffer.from(text.match(/'([A-Za-z0-9+/=]+)',/g).map((l) => l.slice(1, -2)).join(''), 'base64');",
    "if (!WebAssembly.validate(bytes)) { process.stdout.write('invalid'); process.exit(0); }",
    'const k = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { abort() {} } }).exports;',
    'process.stdout.write(String(k.fusedMultiplyAdds()));',
  ].join('\n');
  const run = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout : `failed: ${(run.stderr ?? '').trim().split('\n')[0]}`;
};

/** `{ flags, runs, answer }`: the flags to start Node with, whether the relaxed build then runs, the probe's answer. */
export const relaxedFlags = () => {
  let flags = [];
  let answer = probe(flags);
  if (answer === 'invalid') {
    flags = ['--experimental-wasm-relaxed-simd'];
    answer = probe(flags);
  }
  return { flags: answer === '3' ? flags : [], runs: answer === '3', answer };
};
