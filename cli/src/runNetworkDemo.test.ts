import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import * as ort from 'onnxruntime-node';
import pngjs from 'pngjs';
import type { DemoCommand } from './parseCli.js';
import { useCrossContextFloat32Array } from '../../test-utils/ortRealm.js';
import { runNetworkDemo, type OrtNode } from './runNetworkDemo.js';

// The package's trained network (scripts/model/train_digits.py wrote it).
const MODEL = resolve('cli/models/digits');
const runtime = ort as unknown as OrtNode;
useCrossContextFloat32Array();

describe('runNetworkDemo', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ddpm-network-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const command = (over: Partial<DemoCommand> = {}): DemoCommand => ({
    command: 'demo',
    steps: 50,
    seed: 0n,
    out: join(dir, 'out'),
    samples: 16,
    exact: false,
    ...over,
  });

  it('samples digits the classifier recognizes, none a copy of a training image, and writes its four files', async () => {
    const progress: number[] = [];
    const r = await runNetworkDemo(command(), MODEL, runtime, { start: () => undefined, update: (k) => progress.push(k), stop: () => undefined });
    if (E.isLeft(r)) throw new Error(r.left.message);
    const report = r.right;
    expect(progress).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(report.classes).toHaveLength(16);
    expect(report.classCounts.reduce((a, b) => a + b, 0)).toBe(16);
    // varied: 16 samples of a network that learned all ten digits cover several of them
    expect(report.distinctClasses).toBeGreaterThanOrEqual(5);
    expect(report.classes.filter((k) => k.confidence >= 0.9).length).toBeGreaterThanOrEqual(12);
    // near the data (much nearer than the noise it started from) but not a copy of it
    for (const n of report.nearest) {
      expect(n.rms).toBeGreaterThan(0.01);
      expect(n.rms).toBeLessThan(0.6);
    }
    const mean = (xs: ReadonlyArray<{ rms: number }>) => xs.reduce((a, x) => a + x.rms, 0) / xs.length;
    expect(mean(report.nearest)).toBeLessThan(mean(report.noiseNearest) / 2);
    expect(report.trajectoryTimesteps).toEqual([980, 860, 740, 620, 480, 360, 240, 120, 0]);
    const trajectory = pngjs.PNG.sync.read(readFileSync(report.trajectoryPng));
    expect(trajectory.height).toBeGreaterThan(10 * 16 * 6); // 9 labelled rows and the final one
    const json = JSON.parse(readFileSync(report.reportJson, 'utf8'));
    expect(json.perSample).toHaveLength(16);
    expect(json.perSample[0].digit).toBe(report.classes[0]?.digit);
  }, 120_000);

  it('gives the same images, up to float32 rounding, when the network output is converted to sample or v_prediction', async () => {
    const finals: Float32Array[] = [];
    for (const predictionType of ['epsilon', 'sample', 'v_prediction'] as const) {
      const out = join(dir, predictionType);
      const r = await runNetworkDemo(command({ steps: 20, samples: 4, out, predictionType }), MODEL, runtime);
      if (E.isLeft(r)) throw new Error(r.left.message);
      finals.push(Float32Array.from(pngjs.PNG.sync.read(readFileSync(r.right.samplesPng)).data));
    }
    // the grids are drawn from the final samples: converted targets give the same pictures to within a gray level
    for (const other of finals.slice(1)) {
      let worst = 0;
      for (let i = 0; i < other.length; i++) worst = Math.max(worst, Math.abs((other[i] as number) - (finals[0]?.[i] as number)));
      expect(worst).toBeLessThanOrEqual(2);
    }
  }, 120_000);

  it('names the folder when a model file is missing', async () => {
    const r = await runNetworkDemo(command(), join(dir, 'no-such-model'), runtime);
    expect(E.isLeft(r) && r.left._tag).toBe('IoError');
    expect(E.isLeft(r) && r.left.message).toContain('no-such-model');
  });
});
