import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, setTimesteps, type DDPMConfig, type DDPMScheduler, type SchedulerError } from 'ddpm-scheduler';
import { loadScheduler } from 'ddpm-scheduler/node';
import type { ScheduleCommand } from './parseCli.js';
import type { ScheduleSeries } from './scheduleSeries.js';

type Overrides = Pick<ScheduleCommand, 'steps' | 'spacing' | 'stepsOffset'>;

/**
 * Applies the command's spacing, offset and number of steps to a scheduler (a new one; `s` is kept).
 *
 * @example
 * ```ts
 * const s = await withSteps(unwrap(createScheduler()), { steps: 10, spacing: 'trailing' });
 * ```
 */
export const withSteps = (s: DDPMScheduler, o: Overrides): E.Either<SchedulerError, DDPMScheduler> => {
  const config: Partial<DDPMConfig> = {
    ...s.config,
    ...(o.spacing === undefined ? {} : { timestepSpacing: o.spacing }),
    ...(o.stepsOffset === undefined ? {} : { stepsOffset: o.stepsOffset }),
  };
  const made = o.spacing === undefined && o.stepsOffset === undefined ? E.right(s) : createScheduler(config, s.warnings);
  return o.steps === undefined ? made : E.flatMap((m: DDPMScheduler) => setTimesteps(m, o.steps as number))(made);
};

const stepsLabel = (o: Overrides, s: DDPMScheduler): string =>
  o.steps === undefined ? '' : `, ${o.steps} ${s.config.timestepSpacing} steps`;

/**
 * The schedules a `schedule` command asks for: one per `--config` file (read with `loadScheduler`), then
 * one per `--beta-schedule` built from its own flags over diffusers' defaults, each with the command's
 * spacing and steps applied and a label for tables and legends. Stops at the first error.
 *
 * @example
 * ```ts
 * const series = await scheduleSeriesFor(unwrap(parseCli(['schedule', '--beta-schedule', 'linear', '--beta-schedule', 'squaredcos_cap_v2'])) as ScheduleCommand);
 * ```
 */
export const scheduleSeriesFor = async (c: ScheduleCommand): Promise<E.Either<SchedulerError, ReadonlyArray<ScheduleSeries>>> => {
  const series: ScheduleSeries[] = [];
  for (const path of c.configs) {
    const loaded = await loadScheduler(path);
    const s = E.flatMap((l: DDPMScheduler) => withSteps(l, c))(loaded);
    if (E.isLeft(s)) return s;
    series.push({ label: `${path}${stepsLabel(c, s.right)}`, scheduler: s.right });
  }
  for (const f of c.schedules) {
    const created = createScheduler({
      betaSchedule: f.betaSchedule,
      rescaleBetasZeroSnr: f.rescaleZeroSnr,
      ...(f.betaStart === undefined ? {} : { betaStart: f.betaStart }),
      ...(f.betaEnd === undefined ? {} : { betaEnd: f.betaEnd }),
      ...(f.numTrainTimesteps === undefined ? {} : { numTrainTimesteps: f.numTrainTimesteps }),
    });
    const s = E.flatMap((l: DDPMScheduler) => withSteps(l, c))(created);
    if (E.isLeft(s)) return s;
    const { betaStart, betaEnd, numTrainTimesteps } = s.right.config;
    const betas = f.betaSchedule === 'squaredcos_cap_v2' || f.betaSchedule === 'laplace' ? '' : ` ${betaStart}..${betaEnd}`;
    const rescaled = f.rescaleZeroSnr ? ', zero-SNR rescale' : '';
    series.push({ label: `${f.betaSchedule}${betas}, T=${numTrainTimesteps}${rescaled}${stepsLabel(c, s.right)}`, scheduler: s.right });
  }
  return E.right(series);
};
