import { toDiffusersConfig, type DiffusersDDPMConfig } from 'ddpm-scheduler';
import { scheduleRows } from './scheduleRows.js';
import type { ScheduleSeries } from './scheduleSeries.js';

/** The JSON form of one schedule: `logSnr` is null where it is -Infinity (JSON has no infinities). */
export interface ScheduleJson {
  readonly label: string;
  /** The config as diffusers' scheduler_config.json. */
  readonly config: DiffusersDDPMConfig;
  readonly numInferenceSteps: number | null;
  readonly rows: ReadonlyArray<{ t: number; beta: number; alphaBar: number; snr: number; logSnr: number | null }>;
}

/**
 * The schedules as plain JSON-safe data: `{ schedules: [{ label, config, numInferenceSteps, rows }] }`,
 * the rows as {@link scheduleRows} makes them.
 *
 * @example
 * ```ts
 * JSON.stringify(scheduleJson([{ label: 'default', scheduler: unwrap(createScheduler()) }]));
 * ```
 */
export const scheduleJson = (series: ReadonlyArray<ScheduleSeries>): { readonly schedules: ReadonlyArray<ScheduleJson> } => ({
  schedules: series.map(({ label, scheduler }) => ({
    label,
    config: toDiffusersConfig(scheduler),
    numInferenceSteps: scheduler.numInferenceSteps,
    rows: scheduleRows(scheduler).map((r) => ({ ...r, logSnr: Number.isFinite(r.logSnr) ? r.logSnr : null })),
  })),
});
