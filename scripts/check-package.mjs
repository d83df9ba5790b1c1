// What a user of the library installs: its runtime dependencies are fp-ts (a peer dependency, as in the
// fp-ts ecosystem: the user's code and the library share one fp-ts, whose Either every function returns)
// and the type package its public types name, and its tarball holds no command line (the CLI is the
// package in cli/, with its own libraries).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const dependencies = ['@types/ndarray'];
const peers = ['fp-ts'];
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const npm = (...args) => JSON.parse(execFileSync('npm', args, { cwd: new URL('..', import.meta.url), encoding: 'utf8' }));

assert.deepEqual(Object.keys(manifest.dependencies ?? {}).sort(), dependencies, 'package.json dependencies');
assert.deepEqual(Object.keys(manifest.peerDependencies ?? {}).sort(), peers, 'package.json peerDependencies');
assert.equal(manifest.bin, undefined, 'the library has no bin: ddpm-scheduler-cli (cli/) has it');

// The installed tree, as `npm ls --omit=dev` prints it: the dependencies and nothing below them (fp-ts, a
// peer that the repository installs as a devDependency, is not listed there; scripts/check-pack.mjs
// installs the tarball in a new project, where npm adds the peer).
const tree = npm('ls', '--omit=dev', '--all', '--json');
assert.deepEqual(Object.keys(tree.dependencies ?? {}).sort(), dependencies, 'npm ls --omit=dev');
for (const name of dependencies) assert.deepEqual(Object.keys(tree.dependencies[name].dependencies ?? {}), [], `${name} pulls in nothing`);

const [pack] = npm('pack', '--dry-run', '--json', '--ignore-scripts');
const cliFiles = pack.files.map((f) => f.path).filter((path) => /^(cli|dist\/[^/]+\/cli)\//.test(path));
assert.deepEqual(cliFiles, [], 'npm pack: no command line files');

console.log(`package: runtime dependencies ${dependencies.join(', ')}, peer ${peers.join(', ')}; ${pack.files.length} files packed, none of the command line`);
