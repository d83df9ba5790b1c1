// diffusers on PyTorch's CPU as a peer of the benchmarks: finds an interpreter with torch and diffusers'
// scheduler source, spawns bench/torch_peer.py once per request (the bench makes two: torch at its best kernels, then
// at ATEN_CPU_CAPABILITY=default), and returns its timings, or { skipped } with one line saying why (the bench runs
// without it).
//
// Environment: TORCH_PYTHON      an interpreter to try first (then /usr/bin/python3, then python3 on PATH)
//              DIFFUSERS_SRC     a folder holding scheduling_ddpm.py and scheduling_ddim.py, or a diffusers
//                                checkout (see scripts/fixtures/diffusers_stub.py)
//              DIFFUSERS_GIT_DIR when DIFFUSERS_SRC is unset, a diffusers git repository (bare or not) whose
//                                HEAD's two scheduler files are extracted into a temporary folder outside
//                                this repository, removed afterwards (DIFFUSERS_GIT_DIR: a diffusers git directory, bare or not)
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCHEDULER_FILES = ['src/diffusers/schedulers/scheduling_ddpm.py', 'src/diffusers/schedulers/scheduling_ddim.py'];

const lastLine = (text) => (text ?? '').trim().split('\n').pop();

/** The first candidate interpreter that imports torch, or the reason none does. */
const torchPython = (env) => {
  const candidates = [...new Set([process.env.TORCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean))];
  const tried = [];
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { env, encoding: 'utf8' });
    if (probe.error === undefined && probe.status === 0) return { python };
    tried.push(`${python}: ${probe.error?.code ?? lastLine(probe.stderr)}`);
  }
  return { skipped: `no interpreter imports torch (${tried.join('; ')})` };
};

/** DIFFUSERS_SRC, or the two scheduler files of a git repository's HEAD extracted into a temporary folder. */
const diffusersSource = () => {
  if (process.env.DIFFUSERS_SRC) return { folder: process.env.DIFFUSERS_SRC, commit: process.env.DIFFUSERS_COMMIT };
  const gitDir = process.env.DIFFUSERS_GIT_DIR;
  if (gitDir === undefined || !existsSync(gitDir)) {
    return { skipped: `neither DIFFUSERS_SRC nor DIFFUSERS_GIT_DIR names a diffusers source (DIFFUSERS_GIT_DIR=${gitDir ?? 'unset'})` };
  }
  const git = (...args) => spawnSync('git', ['--git-dir', gitDir, ...args], { encoding: 'buffer', maxBuffer: 1 << 26 });
  const rev = git('rev-parse', 'HEAD^{commit}');
  if (rev.status !== 0) return { skipped: `git rev-parse failed in ${gitDir}: ${lastLine(rev.stderr?.toString())}` };
  const commit = rev.stdout.toString().trim();
  const archive = git('archive', commit, ...SCHEDULER_FILES);
  if (archive.status !== 0) return { skipped: `git archive of the scheduler files failed: ${lastLine(archive.stderr?.toString())}` };
  const folder = mkdtempSync(join(os.tmpdir(), 'diffusers-src-'));
  const untar = spawnSync('tar', ['x', '-C', folder], { input: archive.stdout });
  if (untar.status !== 0) {
    rmSync(folder, { recursive: true, force: true });
    return { skipped: `extracting the scheduler files failed: ${lastLine(untar.stderr?.toString())}` };
  }
  return { folder, commit, temporary: true };
};

const PEER_SCRIPT = fileURLToPath(new URL('./torch_peer.py', import.meta.url));

/**
 * What both ways of running the peer need: the interpreter, the scheduler source (a temporary folder
 * when extracted, which `cleanUp` removes) and the child's environment; or `{ skipped }`.
 */
const peerSetup = (env) => {
  const interpreter = torchPython(env);
  if (interpreter.skipped !== undefined) return interpreter;
  const source = diffusersSource();
  if (source.skipped !== undefined) return source;
  return {
    python: interpreter.python,
    source,
    childEnv: { ...env, DIFFUSERS_SRC: source.folder, ...(source.commit ? { DIFFUSERS_COMMIT: source.commit } : {}) },
    cleanUp: () => {
      if (source.temporary) rmSync(source.folder, { recursive: true, force: true });
    },
  };
};

/**
 * Runs the torch peer with `request` ({ sizes, minTime, loops: [{ n, steps }], repeats, budget, threads? }) in `env`.
 * Returns its JSON plus `python` and the diffusers `source`, or `{ skipped }`.
 */
export const runTorch = (request, env) => {
  const peer = peerSetup(env);
  if (peer.skipped !== undefined) return peer;
  try {
    const run = spawnSync(peer.python, [PEER_SCRIPT, JSON.stringify(request)], { env: peer.childEnv, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (run.error !== undefined || run.status !== 0) {
      return { skipped: `the torch peer failed (${peer.python}): ${run.error?.message ?? lastLine(run.stderr)}` };
    }
    return { ...JSON.parse(run.stdout), python: peer.python, source: peer.source.temporary ? 'extracted from the git directory DIFFUSERS_GIT_DIR names' : 'from DIFFUSERS_SRC' };
  } finally {
    peer.cleanUp();
  }
};

/**
 * The torch peer as a server (`torch_peer.py --serve`), so that the harness can time torch in rounds
 * between its own: `request({ case, n, steps?, threads, calls? })` resolves to the peer's JSON reply, one
 * request at a time; `close()` ends the process and removes a temporary source folder. Resolves to
 * `{ skipped }` with one line saying why where there is no interpreter, no source, or the peer fails to start.
 * A request that fails resolves to `{ ns: NaN, error }`, and so does every one after it.
 */
export const startTorchServer = async (env) => {
  const peer = peerSetup(env);
  if (peer.skipped !== undefined) return peer;
  const child = spawn(peer.python, [PEER_SCRIPT, '--serve'], { env: peer.childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // a write to a server that has ended fails with EPIPE; its reply read then says why
  child.stdin.on('error', () => undefined);
  child.on('error', () => undefined);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const close = () => {
    if (child.exitCode === null && !child.killed) child.stdin.end('\n');
    peer.cleanUp();
  };
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the torch server ended: ${lastLine(stderr)}`);
    return JSON.parse(value);
  };
  try {
    const ready = await next();
    if (ready.ready !== true) throw new Error(`unexpected first line ${JSON.stringify(ready)}`);
  } catch (error) {
    child.kill();
    peer.cleanUp();
    return { skipped: `the torch server did not start (${peer.python}): ${error.message}` };
  }
  // a request never rejects: after a failure (the server ended, a bad reply) every reply is { ns: NaN },
  // which the harness reads as "not timed in rounds" and falls back to the peer's run
  let failed = null;
  return {
    request: async (req) => {
      if (failed !== null) return { ns: NaN, error: failed };
      try {
        child.stdin.write(`${JSON.stringify(req)}\n`);
        return await next();
      } catch (error) {
        failed = error.message;
        return { ns: NaN, error: failed };
      }
    },
    close,
  };
};

/** The peer's median for one case at one thread count (NaN when absent). */
export const torchTime = (torch, threads, section, caseName, n, steps) =>
  torch.threads?.[String(threads)]?.[section]?.find((r) => r.case === caseName && r.n === n && (steps === undefined || r.steps === steps))?.ns ?? NaN;

/** Why the peer skipped one loop, if it did. */
export const torchLoopSkipped = (torch, threads, n, steps) =>
  torch.threads?.[String(threads)]?.loops?.find((r) => r.n === n && r.steps === steps)?.skipped;

/** The SHA-256 of the peer's final sample of one loop at one thread count. */
export const torchLoopHash = (torch, threads, n, steps) =>
  torch.threads?.[String(threads)]?.loops?.find((r) => r.n === n && r.steps === steps)?.sha256;
