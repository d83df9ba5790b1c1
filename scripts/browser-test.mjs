// The browser example's test (npm run test:browser): builds examples/browser/, serves it from 127.0.0.1 on a
// free port, opens it in headless Chromium and checks that the page's samples equal, bit for bit, those of
// the same sampling module run under Node with the same onnxruntime-web build (its wasm entry; the page
// posts its result as JSON to /report). The page runs with ?probe=1, which counts the calls into the
// library's WebAssembly kernels, so the test also sees that those kernels, not the JavaScript ones, ran.
//
// Without a Chromium binary (chromium, chromium-browser, google-chrome, or $CHROMIUM_BIN) it prints one line
// and passes, unless DDPM_REQUIRE_BROWSER=1 (CI), where that is a failure. The whole run is limited to
// DDPM_BROWSER_TIMEOUT_S seconds (default 90); Chromium is killed and the server closed on every path.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { delimiter, extname, join, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URLSearchParams } from 'node:url';
import { Buffer } from 'node:buffer';
import { clearTimeout, setTimeout } from 'node:timers';

// 16 digits, 10 steps: a few seconds of model time each in Node and in Chromium on a shared 2-core machine
const REQUEST = Object.freeze({ seed: 7, steps: 10, samples: 16, cpuCapability: 'avx512' });
const TIMEOUT_S = Number(process.env.DDPM_BROWSER_TIMEOUT_S ?? 90);
const BROWSERS = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
};

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

// --reference <request JSON>: the Node side, in a child process so that its model runs do not hold up the
// server while Chromium fetches the page. Prints one JSON line.
const reference = async (request) => {
  const { DIST } = await import('../examples/browser/build.mjs');
  const { sampleDigits } = await import(join(DIST, 'node', 'sampleDigits.mjs'));
  const ort = await import('onnxruntime-web/wasm');
  const model = new Uint8Array(readFileSync(join(DIST, 'model', 'unet.onnx')));
  const config = JSON.parse(readFileSync(join(DIST, 'model', 'scheduler_config.json'), 'utf8'));
  const began = performance.now();
  const out = await sampleDigits(ort, model, config, request);
  if (out._tag === 'Left') throw new Error(out.left.message);
  const { sample, backend, wasmBuild, timesteps } = out.right;
  const bytes = Buffer.from(sample.buffer, sample.byteOffset, sample.byteLength);
  const seconds = (performance.now() - began) / 1000;
  process.stdout.write(`${JSON.stringify({ backend, wasmBuild, timesteps, sha256: sha256(bytes), bytes: bytes.toString('base64'), seconds })}\n`);
};

const findBrowser = () => {
  const named = process.env.CHROMIUM_BIN;
  const candidates = named ? [named] : BROWSERS.flatMap((b) => (process.env.PATH ?? '').split(delimiter).map((d) => join(d, b)));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return statSync(path).isFile();
    } catch {
      return false;
    }
  });
};

/** Serves `dir` read-only and hands every POST /report body to `onReport`. */
const serve = (dir, onReport) =>
  new Promise((done, failed) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.method === 'POST' && url.pathname === '/report') {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          res.writeHead(204).end();
          try {
            onReport(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch (cause) {
            onReport({ kind: 'error', message: `unreadable report: ${cause.message}` });
          }
        });
        return;
      }
      const path = resolve(dir, `.${decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)}`);
      let body;
      try {
        if (req.method !== 'GET' || !path.startsWith(dir + sep)) throw new Error('refused');
        body = readFileSync(path);
      } catch {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body);
    });
    server.on('error', failed);
    server.listen(0, '127.0.0.1', () => done(server));
  });

/** Runs `command` and resolves to its stdout when it exits with 0. */
const output = (child) =>
  new Promise((done, failed) => {
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', failed);
    child.on('exit', (code, signal) =>
      code === 0
        ? done(Buffer.concat(out).toString('utf8'))
        : failed(new Error(`the Node reference exited with ${code ?? signal}: ${Buffer.concat(err).toString('utf8').trim()}`)),
    );
  });

const differences = (a, b) => {
  const x = new Float32Array(a.buffer, a.byteOffset, a.byteLength / 4);
  const y = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  if (x.length !== y.length) return `${x.length} values against ${y.length}`;
  const at = [];
  for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) at.push(i);
  return at.length === 0 ? null : `${at.length} of ${x.length} values differ, first at ${at[0]}: ${x[at[0]]} against ${y[at[0]]}`;
};

const run = async () => {
  const browser = findBrowser();
  if (browser === undefined) {
    const where = `${BROWSERS.join(', ')} on PATH, or CHROMIUM_BIN`;
    if (process.env.DDPM_REQUIRE_BROWSER === '1') throw new Error(`no Chromium found (${where}), and DDPM_REQUIRE_BROWSER=1 asks for one`);
    console.log(`browser test skipped: no Chromium found (${where})`);
    return;
  }
  const began = performance.now();
  const { buildPage } = await import('../examples/browser/build.mjs');
  const dist = await buildPage();

  const cleanups = [];
  const cleanUp = () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        c();
      } catch {
        // already gone
      }
    }
  };
  const onSignal = (signal) => {
    cleanUp();
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cleanups.push(() => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  let settle;
  const pageResult = new Promise((done, failed) => {
    settle = { done, failed };
  });
  let lastProgress = 'no report yet';
  const server = await serve(dist, (report) => {
    if (report.kind === 'progress') lastProgress = `step ${report.step} of ${report.total}`;
    else if (report.kind === 'result') settle.done(report);
    else settle.failed(new Error(`the page failed: ${report.message}`));
  });
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  const { port } = server.address();

  try {
    const referenceChild = spawn(process.execPath, [fileURLToPath(import.meta.url), '--reference', JSON.stringify(REQUEST)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => referenceChild.exitCode === null && referenceChild.kill('SIGKILL'));
    const nodeResult = output(referenceChild).then((text) => JSON.parse(text));

    const profile = mkdtempSync(join(tmpdir(), 'ddpm-browser-test-'));
    cleanups.push(() => rmSync(profile, { recursive: true, force: true }));
    const query = new URLSearchParams({ ...REQUEST, cpu: REQUEST.cpuCapability, report: '1', probe: '1' });
    query.delete('cpuCapability');
    const pageUrl = `http://127.0.0.1:${port}/index.html?${query}`;
    const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'];
    const chromium = spawn(
      browser,
      [...flags, '--no-default-browser-check', '--disable-extensions', `--user-data-dir=${profile}`, pageUrl],
      // its own process group, so that the kill below takes its renderer and helpers with it
      { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    );
    const chromiumLog = [];
    chromium.stderr.on('data', (c) => chromiumLog.push(c));
    cleanups.push(() => process.kill(-chromium.pid, 'SIGKILL'));
    const chromiumExit = new Promise((_, failed) =>
      chromium.on('exit', (code, signal) =>
        failed(new Error(`chromium exited (${code ?? signal}) before the page reported: ${Buffer.concat(chromiumLog).toString('utf8').trim().slice(-2000)}`)),
      ),
    );
    chromium.on('error', (cause) => settle.failed(cause));

    let timer;
    const deadline = new Promise((_, failed) => {
      timer = setTimeout(() => failed(new Error(`timed out after ${TIMEOUT_S} s (page: ${lastProgress})`)), Math.max(0, TIMEOUT_S * 1000 - (performance.now() - began)));
    });
    cleanups.push(() => clearTimeout(timer));
    const [page, node] = await Promise.race([Promise.all([Promise.race([pageResult, chromiumExit]), nodeResult]), deadline]);
    const userAgent = page.userAgent;
    cleanUp();
    check(page, node, userAgent, (performance.now() - began) / 1000);
  } finally {
    cleanUp();
  }
};

const check = (page, node, userAgent, seconds) => {
  const pageBytes = Buffer.from(page.bytes, 'base64');
  const nodeBytes = Buffer.from(node.bytes, 'base64');
  const problems = [];
  if (page.sha256 !== sha256(pageBytes)) problems.push(`the page's SHA-256 ${page.sha256} is not that of the bytes it posted, ${sha256(pageBytes)}`);
  if (page.sha256 !== node.sha256) problems.push(`SHA-256: page ${page.sha256}, Node ${node.sha256}; ${differences(pageBytes, nodeBytes)}`);
  const first = Array.from(new Float32Array(nodeBytes.buffer, nodeBytes.byteOffset, 4));
  if (page.first.some((v, i) => !Object.is(v, first[i]))) problems.push(`first values: page ${page.first.join(', ')}, Node ${first.join(', ')}`);
  if (pageBytes.length !== REQUEST.samples * 256 * 4) problems.push(`the page posted ${pageBytes.length} bytes, not ${REQUEST.samples * 256 * 4}`);
  if (page.timesteps.length !== REQUEST.steps || page.timesteps.join() !== node.timesteps.join()) {
    problems.push(`timesteps: page ${page.timesteps.join(', ')}, Node ${node.timesteps.join(', ')}`);
  }
  // Node's backend changes no bit (DDPM_BACKEND=js there gives the same hash); the page's is the one under test
  if (page.backend !== 'wasm') problems.push(`the page ran on the library's ${page.backend} backend, not wasm`);
  // one posterior pass per step (4 096 elements: one staging chunk), and the noise of every step but the last
  const calls = page.kernelCalls ?? {};
  const noiseCalls = (calls.glibcNormalBlocks ?? 0) + (calls.avx2NormalBlocks ?? 0);
  if ((calls.step32 ?? 0) < REQUEST.steps || noiseCalls === 0 || (calls.mtUniforms ?? 0) === 0) {
    problems.push(`the page's calls into the library's WebAssembly kernels: ${JSON.stringify(calls)}`);
  }
  const browser = /(?:HeadlessChrome|Chrome)\/[\d.]+/.exec(userAgent)?.[0] ?? userAgent;
  if (problems.length > 0) throw new Error(`the page and Node differ:\n  ${problems.join('\n  ')}`);
  const shown = Object.entries(calls)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${name} x${n}`)
    .join(', ');
  console.log(
    `browser test passed in ${seconds.toFixed(1)} s: ${REQUEST.samples} digits, ${REQUEST.steps} steps, seed ${REQUEST.seed} ` +
      `(${browser}, ${page.wasmBuild} build: ${page.seconds.toFixed(1)} s; Node, ${node.backend} backend${node.wasmBuild === null ? '' : `, ${node.wasmBuild} build`}: ${node.seconds.toFixed(1)} s); SHA-256 ${page.sha256} on both, ` +
      `first values ${page.first.join(', ')}; the library's WebAssembly kernels ran in the page: ${shown}`,
  );
};

if (process.argv[2] === '--reference') {
  await reference(JSON.parse(process.argv[3] ?? '{}'));
} else {
  try {
    await run();
  } catch (cause) {
    console.error(`browser test failed: ${cause.message}`);
    process.exitCode = 1;
  }
}
