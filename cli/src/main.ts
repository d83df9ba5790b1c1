import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from 'ddpm-scheduler';
import { parseCli, type DemoCommand } from './parseCli.js';
import { runDemo, type DemoProgress } from './runDemo.js';
import { loadOnnxRuntimeNode, runNetworkDemo, type OrtNode } from './runNetworkDemo.js';
import { runSchedule } from './runSchedule.js';

/** Where the command line writes. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** A progress display for the demo's loop; none when absent. */
  readonly progress?: DemoProgress;
  /** What `--version` prints (the package's version; bin.ts reads it from package.json). */
  readonly version?: string;
  /** The network demo's default model folder (the package's models/digits; bin.ts finds it). */
  readonly modelDir?: string;
  /** How the network demo gets ONNX Runtime (default: imports onnxruntime-node). */
  readonly loadOrt?: () => Promise<E.Either<SchedulerError, OrtNode>>;
}

const fail = (io: CliIo, message: string, code: number): number => {
  io.stderr(`ddpm-scheduler: ${message}\n`);
  if (code === 2) io.stderr('Run ddpm-scheduler --help for the commands and options.\n');
  return code;
};

const mean = (xs: ReadonlyArray<{ readonly rms: number }>): number => xs.reduce((a, x) => a + x.rms, 0) / Math.max(1, xs.length);

const networkDemo = async (c: DemoCommand, io: CliIo): Promise<number> => {
  const dir = c.model ?? io.modelDir;
  if (dir === undefined) return fail(io, '--model: received nothing; allowed: a model folder (this caller of main knows no default)', 2);
  const ort = await (io.loadOrt ?? loadOnnxRuntimeNode)();
  if (E.isLeft(ort)) return fail(io, ort.left.message, 1);
  const report = await runNetworkDemo(c, dir, ort.right, io.progress);
  if (E.isLeft(report)) return fail(io, report.left.message, 1);
  const r = report.right;
  const rms = r.nearest.map((n) => n.rms);
  const confident = r.classes.filter((k) => k.confidence >= 0.9).length;
  io.stdout(
    [
      `Sampled ${c.samples} digits from the trained network (${dir}), ${r.label}, seed ${c.seed}: ${r.stepsPerSecond.toFixed(1)} steps/s (${r.loopSeconds.toFixed(1)} s, model included).`,
      `wrote ${r.samplesPng}  (the samples, ${Math.min(8, c.samples)} per row)`,
      `wrote ${r.trajectoryPng}  (rows: x_t of the first ${Math.min(8, c.samples)} samples at t = ${r.trajectoryTimesteps.join(', ')}, then the final samples)`,
      `wrote ${r.scheduleSvg}  (log-SNR and alphaBar of the schedule)`,
      `wrote ${r.reportJson}  (per sample: digit, confidence, nearest training image)`,
      `classes (the classifier beside the model): ${r.distinctClasses} of 10 digits appear; ${r.classCounts.map((n, d) => `${d}: ${n}`).join(', ')}; ${confident} of ${c.samples} with confidence >= 0.9`,
      `nearest training image (RMS per pixel, values in [-1, 1]): mean ${mean(r.nearest).toFixed(3)}, min ${Math.min(...rms).toFixed(3)}, max ${Math.max(...rms).toFixed(3)}; for scale: a training digit to its nearest other one ${mean(r.trainingNearest).toFixed(3)}, the initial noise ${mean(r.noiseNearest).toFixed(3)}`,
      '',
    ].join('\n'),
  );
  return 0;
};

/**
 * The `ddpm-scheduler` command line: parses `argv` (the arguments after the script), runs the command
 * and returns the exit code: 0 on success, 2 for bad arguments, 1 when the command itself failed
 * (a config that does not load, a folder that cannot be written). Messages go to `io.stderr`;
 * `--version` prints `io.version`.
 *
 * @example
 * ```ts
 * const code = await main(['schedule', '--steps', '5'], { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) });
 * ```
 */
export const main = async (argv: ReadonlyArray<string>, io: CliIo): Promise<number> => {
  const parsed = parseCli(argv);
  if (E.isLeft(parsed)) return fail(io, parsed.left.message, 2);
  const c = parsed.right;
  if (c.command === 'help') {
    io.stdout(c.text);
    return 0;
  }
  if (c.command === 'version') {
    if (io.version === undefined) return fail(io, 'the version is not known to this caller of main', 1);
    io.stdout(`${io.version}\n`);
    return 0;
  }
  if (c.command === 'schedule') {
    const out = await runSchedule(c);
    if (E.isLeft(out)) return fail(io, out.left.message, 1);
    io.stdout(out.right);
    return 0;
  }
  if (!c.exact) return networkDemo(c, io);
  const report = await runDemo(c, io.progress);
  if (E.isLeft(report)) return fail(io, report.left.message, 1);
  const r = report.right;
  const drawn = r.digitCounts.map((n, d) => `${d}: ${n}`).join(', ');
  io.stdout(
    [
      `Sampled ${c.samples} digit glyphs with the exact denoiser, ${r.label}, seed ${c.seed}.`,
      `wrote ${r.samplesPng}  (the samples, ${Math.min(8, c.samples)} per row)`,
      `wrote ${r.trajectoryPng}  (sample 0: x_t on top, predicted x0 below, at t = ${r.trajectoryTimesteps.join(', ')})`,
      `wrote ${r.scheduleSvg}  (log-SNR and alphaBar of the schedule)`,
      `quality: mean RMS distance to the nearest training glyph ${r.meanNearestRms.toPrecision(3)} (pixels in [-1, 1]; the initial noise: ${r.noiseNearestRms.toPrecision(3)})`,
      `nearest digits: ${drawn}`,
      '',
    ].join('\n'),
  );
  return 0;
};
