import { scheduleRows } from './scheduleRows.js';
import type { ScheduleSeries } from './scheduleSeries.js';

const number = (x: number): string => (x === 0 ? '0' : Number.isFinite(x) ? x.toExponential(5) : x > 0 ? 'inf' : '-inf');
const fixed = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : x > 0 ? 'inf' : '-inf');
const cell = (s: string, width: number) => s.padStart(width);

/**
 * A plain-text table per schedule: a heading with the label and the number of rows, then one line per
 * timestep with t, beta, alphaBar, SNR and log-SNR. Schedules are separated by a blank line.
 *
 * @example
 * ```ts
 * formatScheduleTable([{ label: 'default', scheduler: unwrap(setTimesteps(unwrap(createScheduler()), 2)) }]);
 * // '# default (2 rows)\n     t          beta      alphaBar           snr    log-snr\n     0   1.00000e-4 ...'
 * ```
 */
export const formatScheduleTable = (series: ReadonlyArray<ScheduleSeries>): string =>
  series
    .map(({ label, scheduler }) => {
      const rows = scheduleRows(scheduler);
      const head = [cell('t', 6), cell('beta', 14), cell('alphaBar', 14), cell('snr', 14), cell('log-snr', 11)].join('');
      const lines = rows.map((r) =>
        [cell(String(r.t), 6), cell(number(r.beta), 14), cell(number(r.alphaBar), 14), cell(number(r.snr), 14), cell(fixed(r.logSnr), 11)].join(''),
      );
      return [`# ${label} (${rows.length} rows)`, head, ...lines].join('\n');
    })
    .join('\n\n');
