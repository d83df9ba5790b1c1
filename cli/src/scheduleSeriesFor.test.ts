import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, type DDPMScheduler } from 'ddpm-scheduler';
import type { ScheduleCommand } from './parseCli.js';
import { scheduleSeriesFor, withSteps } from './scheduleSeriesFor.js';

const linear = { betaSchedule: 'linear', rescaleZeroSnr: false } as const;
const base: ScheduleCommand = { command: 'schedule', configs: [], schedules: [linear], format: 'table' };
const right = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

describe('withSteps', () => {
  const s = right(createScheduler());

  it('keeps the scheduler when nothing is asked', () => {
    expect(right(withSteps(s, {}))).toBe(s);
  });

  it('sets the spacing, the offset and the number of steps', () => {
    const t = right(withSteps(s, { steps: 4, spacing: 'leading', stepsOffset: 1 }));
    expect(Array.from(t.timesteps)).toEqual([751, 501, 251, 1]);
    expect(Array.from(right(withSteps(s, { steps: 4, spacing: 'trailing' })).timesteps)).toEqual([999, 749, 499, 249]);
    expect(s.numInferenceSteps).toBeNull();
  });

  it('returns the scheduler error for a number of steps beyond T', () => {
    const r = withSteps(s, { steps: 1001 });
    expect(E.isLeft(r) && r.left.parameter).toBe('numInferenceSteps');
  });
});

describe('scheduleSeriesFor', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ddpm-cli-'));
    writeFileSync(join(dir, 'scheduler_config.json'), JSON.stringify({ _class_name: 'DDPMScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012 }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes one labelled schedule per --beta-schedule from the flags', async () => {
    const flags = { numTrainTimesteps: 100, rescaleZeroSnr: true };
    const schedules = [{ betaSchedule: 'linear', ...flags }, { betaSchedule: 'squaredcos_cap_v2', ...flags }] as const;
    const series = right(await scheduleSeriesFor({ ...base, schedules, steps: 10 }));
    expect(series.map((x) => x.label)).toEqual([
      'linear 0.0001..0.02, T=100, zero-SNR rescale, 10 leading steps',
      'squaredcos_cap_v2, T=100, zero-SNR rescale, 10 leading steps',
    ]);
    expect(series.map((x) => x.scheduler.alphasCumprod[99])).toEqual([0, 0]);
    expect(series[0]?.scheduler.timesteps).toHaveLength(10);
  });

  it('reads config files and folders, before the flag schedules', async () => {
    const series = right(await scheduleSeriesFor({ ...base, configs: [dir, join(dir, 'scheduler_config.json')], schedules: [{ ...linear, betaStart: 0.001 }] }));
    expect(series).toHaveLength(3);
    expect(series[0]?.label).toBe(dir);
    expect(series.map((x: { scheduler: DDPMScheduler }) => x.scheduler.config.betaSchedule)).toEqual(['scaled_linear', 'scaled_linear', 'linear']);
    expect(series[2]?.scheduler.config.betaStart).toBe(0.001);
  });

  it('gives each schedule its own flags: the three-schedule plot of docs/cli.md keeps linear at diffusers\' betas', async () => {
    const schedules = [linear, { betaSchedule: 'squaredcos_cap_v2', rescaleZeroSnr: false }, { betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, rescaleZeroSnr: false }] as const;
    const series = right(await scheduleSeriesFor({ ...base, schedules }));
    expect(series.map((x) => x.label)).toEqual(['linear 0.0001..0.02, T=1000', 'squaredcos_cap_v2, T=1000', 'scaled_linear 0.00085..0.012, T=1000']);
  });

  it('stops at a config that does not load or values the scheduler refuses', async () => {
    const missing = await scheduleSeriesFor({ ...base, configs: [join(dir, 'nope.json')] });
    expect(E.isLeft(missing) && missing.left._tag).toBe('IoError');
    const bad = await scheduleSeriesFor({ ...base, schedules: [{ ...linear, betaEnd: 2 }] });
    expect(E.isLeft(bad) && bad.left.parameter).toBe('betaEnd');
  });
});
