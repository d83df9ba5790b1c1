import cliProgress from 'cli-progress';
import type { CliIo } from './main.js';

/**
 * The process's own streams, with a cli-progress bar on stderr for the demo's loop (cli-progress
 * draws nothing when stderr is not a terminal).
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), nodeIo());
 * ```
 */
export const nodeIo = (): CliIo => {
  const bar = new cliProgress.SingleBar(
    { format: 'denoising [{bar}] {value}/{total} steps  {eta_formatted} left', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  // A reader that stops early (`| head`) closes the pipe: that is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    progress: { start: (total) => bar.start(total, 0), update: (done) => bar.update(done), stop: () => bar.stop() },
  };
};
