import * as E from 'fp-ts/lib/Either.js';
import type { SchedulerError } from 'ddpm-scheduler';
import { formatScheduleTable } from './formatScheduleTable.js';
import type { ScheduleCommand } from './parseCli.js';
import { scheduleJson } from './scheduleJson.js';
import { scheduleSeriesFor } from './scheduleSeriesFor.js';
import { scheduleSvg } from './scheduleSvg.js';

/**
 * The output of `ddpm-scheduler schedule`: the schedules the command names, as a table, JSON or SVG
 * text, ending in a newline.
 *
 * @example
 * ```ts
 * const text = await runSchedule({ command: 'schedule', configs: [], schedules: [{ betaSchedule: 'linear', rescaleZeroSnr: false }], format: 'json' });
 * JSON.parse(E.getOrElse(() => '{}')(text)).schedules[0].rows.length; // 1000
 * ```
 */
export const runSchedule = async (c: ScheduleCommand): Promise<E.Either<SchedulerError, string>> => {
  const series = await scheduleSeriesFor(c);
  if (E.isLeft(series)) return series;
  if (c.format === 'json') return E.right(`${JSON.stringify(scheduleJson(series.right), null, 2)}\n`);
  if (c.format === 'svg') return E.right(scheduleSvg(series.right));
  return E.right(`${formatScheduleTable(series.right)}\n`);
};
