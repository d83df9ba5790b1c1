import type { DemoProgress } from './runDemo.js';

/**
 * A progress display for a stream that is not a terminal (a pipe, a log file, CI), where a redrawn bar
 * shows nothing: a line `denoising: <done>/<total> steps, <s> s, <rate> steps/s` (no rate at 0 s) at the start, then at most one a
 * second (`intervalMs`), and one at the end. `now` is the clock in milliseconds (injected for tests).
 *
 * @example
 * ```ts
 * const progress = lineProgress((s) => process.stderr.write(s));
 * progress.start(1000); // denoising: 0/1000 steps, 0.0 s
 * ```
 */
export const lineProgress = (write: (text: string) => void, now: () => number = Date.now, intervalMs = 1000): DemoProgress => {
  let total = 0;
  let done = 0;
  let started = 0;
  let last = 0;
  const line = (t: number) => {
    const seconds = (t - started) / 1000;
    const rate = seconds > 0 ? `, ${(done / seconds).toFixed(1)} steps/s` : '';
    write(`denoising: ${done}/${total} steps, ${seconds.toFixed(1)} s${rate}\n`);
  };
  return {
    start: (n) => {
      total = n;
      done = 0;
      started = last = now();
      line(started);
    },
    update: (n) => {
      done = n;
      const t = now();
      if (t - last >= intervalMs) {
        last = t;
        line(t);
      }
    },
    stop: () => line(now()),
  };
};
