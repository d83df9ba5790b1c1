/**
 * The page: reads the request from the address (`?seed=0&steps=50&samples=16&cpu=avx512`, the form's
 * fields), loads the model, samples with {@link sampleDigits}, shows the progress and draws the digits.
 * `?probe=1` counts the calls into the library's WebAssembly kernels; `?report=1` posts progress and the
 * result as JSON to `/report` on the page's own server (the browser test's).
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import * as ort from 'onnxruntime-web/wasm';
import { CPU_CAPABILITIES, loadWasm, type StepEvent } from 'ddpm-scheduler';
import { installKernelProbe, kernelCalls } from './kernelProbe.js';
import { sampleDigits, type DigitsRequest } from './sampleDigits.js';

const SIDE = 16;
const GAP = 1;
// each model pixel drawn as a SCALE x SCALE block (the canvas keeps model pixels; CSS enlarges them)
const SCALE = 4;

const params = new URLSearchParams(location.search);
const reporting = params.get('report') === '1';
const probing = params.get('probe') === '1';

const element = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const statusLine = element<HTMLDivElement>('status');
const progress = element<HTMLProgressElement>('progress');
const canvas = element<HTMLCanvasElement>('canvas');

const report = (body: Record<string, unknown>): Promise<unknown> =>
  reporting
    ? fetch('/report', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).catch(() => undefined)
    : Promise.resolve();

const fail = (message: string): void => {
  statusLine.textContent = 'failed';
  element('error').textContent = message;
  void report({ kind: 'error', message });
};

/** The request the address asks for, the form's defaults where it says nothing. */
const requestOf = (p: URLSearchParams): E.Either<string, DigitsRequest> => {
  // read as numbers; sampleDigits, setTimesteps and the generator refuse what is not a valid integer
  const numberParam = (name: string, fallback: number): number => {
    const text = p.get(name);
    return text === null || text.trim() === '' ? fallback : Number(text);
  };
  const cpu = p.get('cpu') ?? 'avx512';
  const cpuCapability = CPU_CAPABILITIES.find((c) => c === cpu);
  if (cpuCapability === undefined) return E.left(`cpu: got ${cpu}, expected one of ${CPU_CAPABILITIES.join(', ')}`);
  return E.right({ seed: numberParam('seed', 0), steps: numberParam('steps', 50), samples: numberParam('samples', 16), cpuCapability });
};

/** Draws `count` images of SIDE x SIDE values in [-1, 1] as a grid of grayscale tiles. */
const drawDigits = (data: Float32Array, offset: number, count: number): void => {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const width = columns * (SIDE + GAP) - GAP;
  const height = rows * (SIDE + GAP) - GAP;
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
    canvas.style.width = `${width * SCALE}px`;
    canvas.style.height = `${height * SCALE}px`;
  }
  const context = canvas.getContext('2d');
  if (context === null) return;
  const image = context.createImageData(width, height);
  for (let n = 0; n < count; n++) {
    const left = (n % columns) * (SIDE + GAP);
    const top = Math.floor(n / columns) * (SIDE + GAP);
    for (let y = 0; y < SIDE; y++) {
      for (let x = 0; x < SIDE; x++) {
        const v = data[offset + n * SIDE * SIDE + y * SIDE + x] as number;
        const gray = Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
        const at = ((top + y) * width + left + x) * 4;
        image.data[at] = gray;
        image.data[at + 1] = gray;
        image.data[at + 2] = gray;
        image.data[at + 3] = 255;
      }
    }
  }
  context.putImageData(image, 0, 0);
};

const hex = (bytes: ArrayBuffer): string => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

const base64 = (bytes: Uint8Array): string => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};

const fetchBytes = async (url: string): Promise<Uint8Array> => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
};

const fetchJson = async (url: string): Promise<unknown> => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
};

const main = async (): Promise<void> => {
  // before anything asks the library for its backend: it instantiates its kernels on first use
  if (probing) installKernelProbe();
  const request = requestOf(params);
  if (E.isLeft(request)) return fail(request.left);
  const r = request.right;
  for (const [name, value] of Object.entries({ seed: r.seed, steps: r.steps, samples: r.samples, cpu: r.cpuCapability })) {
    const field = document.querySelector<HTMLInputElement | HTMLSelectElement>(`[name="${name}"]`);
    if (field !== null) field.value = String(value);
  }
  // a browser that refuses to compile the kernels synchronously on its main thread gets them here
  const active = await loadWasm();
  element('backend').textContent = active;
  const [model, config] = await Promise.all([fetchBytes('./model/unet.onnx'), fetchJson('./model/scheduler_config.json')]);
  statusLine.textContent = 'starting onnxruntime-web…';
  let started = 0;
  const onStep = (e: StepEvent): void => {
    if (e.index === 0) started = performance.now();
    const done = e.index + 1;
    const seconds = (performance.now() - started) / 1000;
    progress.max = e.total;
    progress.value = done;
    statusLine.textContent =
      `step ${done} of ${e.total} (t = ${e.timestep})` + (done > 1 ? `, ${((done - 1) / seconds).toFixed(2)} steps/s` : '');
    drawDigits(e.predOriginalSample.data, e.predOriginalSample.offset, r.samples);
    if (reporting) void report({ kind: 'progress', step: done, total: e.total });
  };
  const began = performance.now();
  const out = await sampleDigits(ort, model, config, r, onStep);
  if (E.isLeft(out)) return fail(out.left.message);
  const seconds = (performance.now() - began) / 1000;
  const { sample, timesteps, backend, wasmBuild } = out.right;
  drawDigits(sample, 0, r.samples);
  // the samples' little-endian float32 bytes, copied into an ArrayBuffer of their own for the digest
  const bytes = Uint8Array.from(new Uint8Array(sample.buffer, sample.byteOffset, sample.byteLength));
  // crypto.subtle exists only in secure contexts (https, localhost, 127.0.0.1)
  const sha256 = crypto.subtle === undefined ? null : hex(await crypto.subtle.digest('SHA-256', bytes));
  statusLine.textContent = `done: ${timesteps.length} steps in ${seconds.toFixed(1)} s (${(timesteps.length / seconds).toFixed(2)} steps/s)`;
  const calls = Object.entries(kernelCalls).filter(([, n]) => n > 0);
  element('backend').textContent = probing ? `${backend}, ${wasmBuild ?? 'no'} build (calls into its kernels: ${calls.map(([name, n]) => `${name} ${n}`).join(', ')})` : backend;
  element('timesteps').textContent = `${timesteps.slice(0, 8).join(', ')}${timesteps.length > 8 ? ', …' : ''}`;
  element('hash').textContent = sha256 ?? 'n/a (not a secure context)';
  await report({
    kind: 'result',
    request: r,
    backend,
    wasmBuild,
    kernelCalls: probing ? kernelCalls : null,
    timesteps,
    sha256,
    first: Array.from(sample.subarray(0, 4)),
    bytes: base64(bytes),
    seconds,
    userAgent: navigator.userAgent,
  });
};

if (reporting) {
  addEventListener('error', (e) => void report({ kind: 'error', message: String(e.message) }));
  addEventListener('unhandledrejection', (e) => void report({ kind: 'error', message: String(e.reason) }));
}
main().catch((cause: unknown) => fail(cause instanceof Error ? `${cause.message}\n${cause.stack ?? ''}` : String(cause)));
