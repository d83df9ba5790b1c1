import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, denoise, randn, schedulerError, torchGenerator, type DDPMScheduler, type SchedulerError } from 'ddpm-scheduler';
import { loadScheduler } from 'ddpm-scheduler/node';
import { writeDemoFile, spreadIndices } from './demoFiles.js';
import { digitGlyphs, GLYPH_SIZE } from './digitGlyphs.js';
import { encodePng } from './encodePng.js';
import { exactDenoiser } from './exactDenoiser.js';
import { imageGrid } from './imageGrid.js';
import { nearestGlyph } from './nearestGlyph.js';
import type { DemoCommand } from './parseCli.js';
import { withSteps } from './scheduleSeriesFor.js';
import { scheduleSvg } from './scheduleSvg.js';

/** Where the demo reports progress (a progress bar in the CLI). */
export interface DemoProgress {
  readonly start: (total: number) => void;
  readonly update: (done: number) => void;
  readonly stop: () => void;
}

/** What the demo did: the files it wrote and how close the samples came to the training glyphs. */
export interface DemoReport {
  readonly samplesPng: string;
  readonly trajectoryPng: string;
  readonly scheduleSvg: string;
  /** The timesteps shown in the trajectory, in loop order. */
  readonly trajectoryTimesteps: ReadonlyArray<number>;
  /** Mean over samples of the RMS distance per pixel to the nearest training glyph. */
  readonly meanNearestRms: number;
  /** The same figure for the initial noise, for scale. */
  readonly noiseNearestRms: number;
  /** How many samples landed nearest to each digit 0-9. */
  readonly digitCounts: ReadonlyArray<number>;
  readonly numInferenceSteps: number;
  readonly label: string;
}

const TRAJECTORY_COLUMNS = 10;
const ITEM = GLYPH_SIZE * GLYPH_SIZE;

const schedulerFor = async (c: DemoCommand): Promise<E.Either<SchedulerError, DDPMScheduler>> => {
  const loaded = c.config === undefined ? createScheduler() : await loadScheduler(c.config);
  const flavor = c.cpuCapability;
  const base = flavor === undefined ? loaded : E.flatMap((s: DDPMScheduler) => createScheduler({ ...s.config, cpuCapability: flavor }))(loaded);
  return E.flatMap((s: DDPMScheduler) => withSteps(s, { steps: c.steps, ...(c.spacing === undefined ? {} : { spacing: c.spacing }) }))(base);
};


const item = (data: Float32Array, n: number): Float32Array => data.slice(n * ITEM, (n + 1) * ITEM);

/**
 * The demo behind `npm run demo` and `ddpm-scheduler demo`: samples `c.samples` 16 x 16 digit glyphs
 * with the exact denoiser of the 30-glyph dataset ({@link digitGlyphs}, {@link exactDenoiser}),
 * starting from `randn` of `torchGenerator(c.seed)` (the numbers of `torch.manual_seed(seed)` then
 * `torch.randn(samples, 1, 16, 16)`), through the real `denoise` loop with the step noise drawn from
 * the same generator. Writes into `c.out`: `samples.png` (the final samples), `trajectory.png` (the
 * first sample's x_t above its predicted x0 at ten steps, labelled with t) and `schedule.svg`.
 *
 * @example
 * ```ts
 * const report = await runDemo({ command: 'demo', steps: 50, seed: 0n, out: 'demo-output', samples: 8 });
 * // right({ samplesPng: 'demo-output/samples.png', meanNearestRms: 0.01, ... })
 * ```
 */
export const runDemo = async (c: DemoCommand, progress?: DemoProgress): Promise<E.Either<SchedulerError, DemoReport>> => {
  const scheduler = await schedulerFor(c);
  if (E.isLeft(scheduler)) return scheduler;
  const s = scheduler.right;
  const dataset = digitGlyphs().map((g) => g.pixels);
  const [xT, generator] = randn(torchGenerator(c.seed, { cpuCapability: s.config.cpuCapability }), [c.samples, 1, GLYPH_SIZE, GLYPH_SIZE]);
  const chosen = new Set(spreadIndices(s.timesteps.length, TRAJECTORY_COLUMNS));
  const states: Float32Array[] = [];
  const predictions: Float32Array[] = [];
  const shown: number[] = [];
  let current = xT;
  progress?.start(s.timesteps.length);
  const result = denoise(s, exactDenoiser(dataset, s), xT, {
    generator,
    onStep: (e) => {
      if (chosen.has(e.index)) {
        states.push(item(current.data, 0));
        predictions.push(item(e.predOriginalSample.data, 0));
        shown.push(e.timestep);
      }
      current = e.prevSample;
      progress?.update(e.index + 1);
    },
  });
  progress?.stop();
  if (E.isLeft(result)) return result;
  const final = result.right.sample.data;

  const counts = new Array<number>(10).fill(0);
  let total = 0;
  let noiseTotal = 0;
  for (let n = 0; n < c.samples; n++) {
    const nearest = nearestGlyph(final, dataset, n * ITEM);
    total += nearest.rms;
    noiseTotal += nearestGlyph(xT.data, dataset, n * ITEM).rms;
    const digit = digitGlyphs()[nearest.index]?.digit as number;
    counts[digit] = (counts[digit] as number) + 1;
  }

  try {
    await mkdir(c.out, { recursive: true });
  } catch (cause) {
    return E.left(schedulerError('IoError', '--out', c.out, 'a folder that can be created', (cause as Error).message));
  }
  const samples = Array.from({ length: c.samples }, (_, n) => item(final, n));
  const columns = Math.min(8, c.samples);
  const samplesPng = await writeDemoFile(join(c.out, 'samples.png'), encodePng(imageGrid({ images: samples, size: GLYPH_SIZE, columns, scale: 6, gap: 4 })));
  if (E.isLeft(samplesPng)) return samplesPng;
  const trajectory = imageGrid({
    images: [...states, ...predictions],
    size: GLYPH_SIZE,
    columns: states.length,
    scale: 6,
    gap: 4,
    columnLabels: shown.map(String),
  });
  const trajectoryPng = await writeDemoFile(join(c.out, 'trajectory.png'), encodePng(trajectory));
  if (E.isLeft(trajectoryPng)) return trajectoryPng;
  const label = `${c.config ?? 'diffusers defaults'}, ${s.timesteps.length} ${s.config.timestepSpacing} steps`;
  const svg = await writeDemoFile(join(c.out, 'schedule.svg'), scheduleSvg([{ label, scheduler: s }]));
  if (E.isLeft(svg)) return svg;

  return E.right(
    Object.freeze({
      samplesPng: samplesPng.right,
      trajectoryPng: trajectoryPng.right,
      scheduleSvg: svg.right,
      trajectoryTimesteps: Object.freeze(shown),
      meanNearestRms: total / c.samples,
      noiseNearestRms: noiseTotal / c.samples,
      digitCounts: Object.freeze(counts),
      numInferenceSteps: s.timesteps.length,
      label,
    }),
  );
};
