// Builds the browser example into examples/browser/dist/ (ignored by git):
//   index.html, main.js     the page and its bundle (the library from src/, cli/src/network.ts, onnxruntime-web's wasm entry)
//   ort-wasm-simd-threaded.{wasm,mjs}   onnxruntime-web's runtime, loaded next to the bundle (numThreads = 1: no workers)
//   model/                  unet.onnx and scheduler_config.json from cli/models/digits/
//   node/sampleDigits.mjs   the page's sampling module bundled for Node, the browser test's reference
// Usage: node examples/browser/build.mjs (npm run build:browser type-checks first). The library is bundled
// from its TypeScript sources, so no `npm run build` is needed.
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const require = createRequire(import.meta.url);

/** Where the build goes. */
export const DIST = join(here, 'dist');
/** The model folder the page serves. */
export const MODEL_DIR = join(root, 'cli', 'models', 'digits');
export const MODEL_FILES = ['unet.onnx', 'scheduler_config.json'];
const ORT_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs'];

const shared = {
  bundle: true,
  format: 'esm',
  target: 'es2022',
  // the library as this checkout's sources have it, not a dist/ that may be stale or absent
  alias: { 'ddpm-scheduler': join(root, 'src', 'index.ts') },
  logLevel: 'warning',
  sourcemap: true,
};

/** Builds everything into `outdir` (emptied first); resolves to `outdir`. Fails when the model is missing. */
export const buildPage = async (outdir = DIST) => {
  const missing = MODEL_FILES.filter((f) => !existsSync(join(MODEL_DIR, f)));
  if (missing.length > 0) {
    throw new Error(`the digits model is missing: ${missing.join(', ')} in cli/models/digits/ (see scripts/model/)`);
  }
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(join(outdir, 'model'), { recursive: true });
  await build({ ...shared, entryPoints: [join(here, 'src', 'main.ts')], platform: 'browser', outfile: join(outdir, 'main.js') });
  await build({
    ...shared,
    entryPoints: [join(here, 'src', 'sampleDigits.ts')],
    platform: 'node',
    outfile: join(outdir, 'node', 'sampleDigits.mjs'),
  });
  copyFileSync(join(here, 'index.html'), join(outdir, 'index.html'));
  for (const f of ORT_FILES) copyFileSync(require.resolve(`onnxruntime-web/${f}`), join(outdir, f));
  for (const f of MODEL_FILES) copyFileSync(join(MODEL_DIR, f), join(outdir, 'model', f));
  return outdir;
};

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildPage();
  console.log(`built ${out}: serve that folder (see examples/browser/README.md) and open index.html`);
}
