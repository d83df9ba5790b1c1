import cliProgress from 'cli-progress';
import { lineProgress } from './lineProgress.js';
import type { CliIo } from './main.js';

/**
 * The process's own streams, with a cli-progress bar on stderr for the demo's loop when stderr is a
 * terminal, and a progress line a second otherwise (cli-progress draws nothing there); `version` is
 * what `--version` prints.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), nodeIo('0.1.0'));
 * ```
 */
export const nodeIo = (version?: string): CliIo => {
  const bar = new cliProgress.SingleBar(
    { format: 'denoising [{bar}] {value}/{total} steps  {eta_formatted} left', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  // A reader that stops early (`| head`) closes the pipe: that is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  const write = (text: string) => process.stderr.write(text);
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: write,
    progress: process.stderr.isTTY
      ? { start: (total) => bar.start(total, 0), update: (done) => bar.update(done), stop: () => bar.stop() }
      : lineProgress(write),
    ...(version === undefined ? {} : { version }),
  };
};
