import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import pngjs from 'pngjs';
import type { DemoCommand } from './parseCli.js';
import { runDemo } from './runDemo.js';

describe('runDemo', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ddpm-demo-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const command = (over: Partial<DemoCommand> = {}): DemoCommand => ({ command: 'demo', steps: 25, seed: 0n, out: join(dir, 'out'), samples: 6, exact: true, ...over });

  it('samples glyphs close to the training set, writes two PNGs and an SVG, and reports progress', async () => {
    const progress: string[] = [];
    const r = await runDemo(command(), {
      start: (total) => progress.push(`start ${total}`),
      update: (done) => progress.push(String(done)),
      stop: () => progress.push('stop'),
    });
    if (E.isLeft(r)) throw new Error(r.left.message);
    const report = r.right;
    expect(progress[0]).toBe('start 25');
    expect(progress.slice(1, -1)).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1)));
    expect(progress.at(-1)).toBe('stop');
    expect(report.numInferenceSteps).toBe(25);
    expect(report.trajectoryTimesteps).toEqual([960, 840, 760, 640, 520, 440, 320, 200, 120, 0]);
    // the exact denoiser recovers training glyphs; the noise it started from is far from all of them
    expect(report.meanNearestRms).toBeLessThan(0.05);
    expect(report.noiseNearestRms).toBeGreaterThan(1);
    expect(report.digitCounts.reduce((a, b) => a + b, 0)).toBe(6);
    const samples = pngjs.PNG.sync.read(readFileSync(report.samplesPng));
    expect([samples.width, samples.height]).toEqual([4 + 6 * (96 + 4), 4 + 96 + 4]);
    const trajectory = pngjs.PNG.sync.read(readFileSync(report.trajectoryPng));
    expect(trajectory.width).toBe(4 + 10 * 100);
    expect(readFileSync(report.scheduleSvg, 'utf8')).toContain('25 leading steps');
  }, 20_000);

  it('gives the same samples for the same seed and others for another', async () => {
    const small = { steps: 5, samples: 2 };
    const a = await runDemo(command({ ...small, out: join(dir, 'a') }));
    const b = await runDemo(command({ ...small, out: join(dir, 'b') }));
    const c = await runDemo(command({ ...small, out: join(dir, 'c'), seed: 1n }));
    const bytes = (r: typeof a) => (E.isRight(r) ? readFileSync(r.right.samplesPng) : Buffer.alloc(0));
    expect(bytes(a).length).toBeGreaterThan(0);
    expect(bytes(a).equals(bytes(b))).toBe(true);
    expect(bytes(a).equals(bytes(c))).toBe(false);
  }, 20_000);

  it('returns the error of a config that does not load or a folder that cannot be made', async () => {
    const missing = await runDemo(command({ config: join(dir, 'missing.json') }));
    expect(E.isLeft(missing) && missing.left._tag).toBe('IoError');
    const blocked = await runDemo(command({ out: join(dir, 'out', 'samples.png', 'x') }));
    expect(E.isLeft(blocked) && blocked.left.parameter).toBe('--out');
  });
});
