import type { DDPMScheduler } from 'ddpm-scheduler';

/** One timestep of a schedule as the CLI shows it. */
export interface ScheduleRow {
  readonly t: number;
  readonly beta: number;
  /** alphaBar_t, the signal kept at t: x_t = sqrt(alphaBar) x0 + sqrt(1 - alphaBar) eps. */
  readonly alphaBar: number;
  /** alphaBar / (1 - alphaBar); 0 at zero terminal SNR. */
  readonly snr: number;
  /** The natural log of `snr`; -Infinity at zero terminal SNR. */
  readonly logSnr: number;
}

/**
 * The rows of a schedule, in increasing t: every training timestep before `setTimesteps`, the
 * inference timesteps after it. beta and alphaBar are the scheduler's own table values (float32 unless
 * the config says `precision: 'float64'`); SNR and log-SNR are computed from alphaBar in double.
 *
 * @example
 * ```ts
 * const rows = scheduleRows(unwrap(createScheduler()));
 * rows[999]; // { t: 999, beta: 0.02, alphaBar: 4.04e-5, snr: 4.04e-5, logSnr: -10.1 }
 * ```
 */
export const scheduleRows = (s: DDPMScheduler): ReadonlyArray<ScheduleRow> => {
  const ts = Array.from(s.timesteps).sort((x, y) => x - y);
  return Object.freeze(
    ts.map((t) => {
      const alphaBar = s.alphasCumprod[t] as number;
      return Object.freeze({
        t,
        beta: s.betas[t] as number,
        alphaBar,
        snr: alphaBar / (1 - alphaBar),
        // log(a) - log1p(-a) rather than log(a / (1 - a)): 1 - a loses digits when alphaBar is near 1 (small t).
        logSnr: Math.log(alphaBar) - Math.log1p(-alphaBar),
      });
    }),
  );
};
