import * as E from 'fp-ts/lib/Either.js';
import { parseCli } from './parseCli.js';
import { runDemo, type DemoProgress } from './runDemo.js';
import { runSchedule } from './runSchedule.js';

/** Where the command line writes. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** A progress display for the demo's loop; none when absent. */
  readonly progress?: DemoProgress;
  /** What `--version` prints (the package's version; bin.ts reads it from package.json). */
  readonly version?: string;
}

const fail = (io: CliIo, message: string, code: number): number => {
  io.stderr(`ddpm-scheduler: ${message}\n`);
  if (code === 2) io.stderr('Run ddpm-scheduler --help for the commands and options.\n');
  return code;
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
  const report = await runDemo(c, io.progress);
  if (E.isLeft(report)) return fail(io, report.left.message, 1);
  const r = report.right;
  const drawn = r.digitCounts.map((n, d) => `${d}: ${n}`).join(', ');
  io.stdout(
    [
      `Sampled ${c.samples} digit glyphs with ${r.label}, seed ${c.seed}.`,
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
