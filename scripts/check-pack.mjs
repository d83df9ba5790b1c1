// What a user gets from the registry, checked on the tarballs themselves (`npm run check:pack`, run by
// .ci/run after npm test, whose build it reuses):
// 1. the library's tarball holds its build, README and LICENSE, and no tests, sources, generated API site or
//    file that imports something outside the tarball; every source map carries the sources it names;
// 2. attw (every entry point, every resolution mode) and publint pass on it (pinned devDependencies);
// 3. in a new `npm init -y` project with both tarballs installed (the library and ddpm-scheduler-cli),
//    the README's example runs as written (saved as example.mjs, as the README says), and so do
//    `npx ddpm-scheduler --version` and the examples of docs/cli.md; with onnxruntime-node (the command line's
//    optional peer) installed too, the demo samples the network the tarball ships.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pin, unpin } from '../cli/scripts/manifest.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'ddpm-pack-'));
const run = (command, args, cwd, options = {}) => execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
const step = (what) => console.log(`check-pack: ${what}`);

try {
  // The build is npm test's; --ignore-scripts packs it as it is (prepack would rebuild it).
  const [library] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], root));
  pin();
  let cliPack;
  try {
    [cliPack] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], join(root, 'cli')));
  } finally {
    unpin();
  }
  const libraryTgz = join(work, library.filename);
  const cliTgz = join(work, cliPack.filename);

  // 1. contents
  const paths = library.files.map((f) => f.path);
  for (const required of ['LICENSE', 'README.md', 'package.json', 'dist/esm/index.js', 'dist/cjs/index.js', 'dist/esm/node/index.d.ts', 'dist/cjs/package.json']) {
    assert.ok(paths.includes(required), `the tarball holds ${required}`);
  }
  const unwanted = paths.filter((p) => /^(src|docs\/api|assembly|bench|property-tests|test-utils|fixtures|scripts|cli)\/|\.test\.|\.example\.ts$/.test(p));
  assert.deepEqual(unwanted, [], 'no sources, tests, generated API site or development folders in the tarball');
  const unpacked = join(work, 'unpacked');
  run('mkdir', ['-p', unpacked], work);
  run('tar', ['-xzf', libraryTgz, '-C', unpacked], work);
  const pkg = join(unpacked, 'package');
  const files = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
  const outside = [];
  for (const file of files(pkg)) {
    const name = relative(pkg, file);
    if (file.endsWith('.map')) {
      const map = JSON.parse(readFileSync(file, 'utf8'));
      map.sources.forEach((source, i) => {
        const contentShipped = typeof map.sourcesContent?.[i] === 'string';
        if (!contentShipped && !existsSync(resolve(dirname(file), map.sourceRoot ?? '', source))) outside.push(`${name}: source ${source} neither shipped nor embedded`);
      });
    } else if (/\.(m|c)?(js|ts)$/.test(file)) {
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g)) {
        const target = resolve(dirname(file), spec);
        const found = [target, `${target}.js`, `${target}.d.ts`, join(target, 'index.js')].some((t) => existsSync(t));
        if (!target.startsWith(pkg) || !found) outside.push(`${name}: imports ${spec}`);
      }
    }
  }
  assert.deepEqual(outside, [], 'every import and every source map resolves inside the tarball');
  step(`${paths.length} files in ${library.filename}: the build, README, LICENSE; maps carry their sources; imports stay inside`);

  // 2. attw and publint, pinned in devDependencies
  run(join(root, 'node_modules/.bin/attw'), [libraryTgz], root);
  run(join(root, 'node_modules/.bin/publint'), ['run', pkg, '--strict', '--pack', 'false'], root);
  step('attw (node10, node16 from CJS and ESM, bundler; ., ./node, ./package.json) and publint --strict pass');

  // 3. a new project, as a user makes one
  const project = join(work, 'project');
  run('mkdir', ['-p', project], work);
  run('npm', ['init', '-y'], project);
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', libraryTgz, cliTgz], project);
  // the README example and the network demo run the CLI's packaged network with onnxruntime-node, the CLI's
  // optional peer (its install script stays off: the binaries ship inside the package)
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', `onnxruntime-node@${rootManifest.devDependencies['onnxruntime-node']}`], project);
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const example = readme.slice(readme.indexOf('## Example')).match(/```js\n([\s\S]*?)```/);
  assert.ok(example, 'README.md: an ```js block under ## Example');
  writeFileSync(join(project, 'example.mjs'), example[1]);
  const printed = run('node', ['example.mjs'], project);
  assert.match(printed, /\[ 4, 1, 16, 16 \]/, 'the README example prints the sample shape');
  step('the README example (the packaged network on onnxruntime-node) runs as written in an `npm init -y` project (example.mjs)');

  const npx = (...args) => run('npx', ['--no-install', 'ddpm-scheduler', ...args], project);
  assert.equal(npx('--version').trim(), cliPack.version, 'npx ddpm-scheduler --version');
  assert.ok(JSON.parse(npx('schedule', '--format', 'json')).schedules.length === 1);
  const svg = npx('schedule', '--beta-schedule', 'linear', '--beta-schedule', 'squaredcos_cap_v2', '--beta-schedule', 'scaled_linear', '--format', 'svg');
  assert.match(svg, /^<svg/);
  writeFileSync(join(project, 'scheduler_config.json'), JSON.stringify({ _class_name: 'DDPMScheduler', beta_schedule: 'linear', num_train_timesteps: 1000 }));
  assert.match(npx('schedule', '--config', 'scheduler_config.json', '--steps', '50', '--spacing', 'trailing'), /\d/);
  npx('demo', '--exact', '--steps', '20', '--seed', '-1', '--samples', '4', '--out', 'pictures');
  for (const f of ['samples.png', 'trajectory.png', 'schedule.svg']) assert.ok(existsSync(join(project, 'pictures', f)), `demo --exact wrote ${f}`);
  step('npx ddpm-scheduler --version, schedule (json, svg of three schedules, --config --steps --spacing) and demo --exact work');

  const printedDemo = npx('demo', '--steps', '10', '--samples', '8', '--out', 'network');
  for (const f of ['samples.png', 'trajectory.png', 'schedule.svg', 'report.json']) assert.ok(existsSync(join(project, 'network', f)), `demo wrote ${f}`);
  assert.match(printedDemo, /classes \(the classifier beside the model\): \d+ of 10 digits appear/);
  step('npx ddpm-scheduler demo samples the packaged network');
} finally {
  rmSync(work, { recursive: true, force: true });
}
