import { readFixture } from './fixtures.js';

/** A precision, as the schedule fixture spells it. */
type FixturePrecision = 'float32' | 'float64';

/** One schedule of fixtures/schedule.json (scripts/fixtures/schedule.py). */
export interface ScheduleCase {
  readonly betaSchedule: string;
  readonly numTrainTimesteps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly rescale: boolean;
  readonly precision: FixturePrecision;
  readonly betas: number[];
  readonly alphasCumprod: number[];
}

/** fixtures/schedule.json: every schedule case, the trained-betas cases, and torch's unfused linspace. */
export interface ScheduleFixture {
  readonly cases: ScheduleCase[];
  readonly trainedBetas: number[];
  readonly trained: Array<{ rescale: boolean; precision: FixturePrecision; betas: number[]; alphasCumprod: number[] }>;
  readonly unfusedLinspace: { linear: number[] };
}

let cached: ScheduleFixture | undefined;

/** Reads fixtures/schedule.json once per test file. */
export const scheduleFixture = (): ScheduleFixture => (cached ??= readFixture<ScheduleFixture>('schedule.json'));
