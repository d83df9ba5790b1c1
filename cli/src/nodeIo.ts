import cliProgress from 'cli-progress';
import { lineProgress } from './lineProgress.js';
import type { CliIo } from './main.js';

/**
 * The process's own streams, with a cli-progress bar on stderr for the demo's loop (steps done, steps
 * per second, time left) when stderr is a terminal, and a progress line a second otherwise (cli-progress draws nothing there); `version` is
 * what `--version` prints.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), nodeIo('0.1.0'));
 * ```
 */
export const nodeIo = (version?: string): CliIo => {
  const bar = new cliProgress.SingleBar(
    { format: 'denoising [{bar}] {value}/{total} steps  {rate} steps/s  {eta_formatted} left', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  // A reader that stops early (`| head`) closes the pipe: that is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const write = (text: string) => process.stderr.write(text);
  let started = 0;
  const rate = (done: number) => ({ rate: (done / Math.max(1e-3, (performance.now() - started) / 1000)).toFixed(1) });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: write,
    progress: process.stderr.isTTY
      ? {
          start: (total) => {
            started = performance.now();
            bar.start(total, 0, rate(0));
          },
          update: (done) => bar.update(done, rate(done)),
          stop: () => bar.stop(),
        }
      : lineProgress(write),
    ...(version === undefined ? {} : { version }),
  };
};
