import * as E from 'fp-ts/lib/Either.js';
import type { ScheduleCommand } from './parseCli.js';
import { runSchedule } from './runSchedule.js';

const base: ScheduleCommand = { command: 'schedule', configs: [], schedules: [{ betaSchedule: 'linear', rescaleZeroSnr: false }], format: 'table' };
const text = async (c: Partial<ScheduleCommand>) => {
  const r = await runSchedule({ ...base, ...c });
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

describe('runSchedule', () => {
  it('prints valid JSON with 1000 rows for the default config', async () => {
    const json = JSON.parse(await text({ format: 'json' }));
    expect(json.schedules).toHaveLength(1);
    expect(json.schedules[0].rows).toHaveLength(1000);
    expect(json.schedules[0].config.beta_end).toBe(0.02);
  });

  it('prints a table of the inference timesteps', async () => {
    const lines = (await text({ steps: 3 })).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('# linear 0.0001..0.02, T=1000, 3 leading steps (3 rows)');
    expect(lines.slice(2).map((l) => Number(l.trim().split(/\s+/)[0]))).toEqual([0, 333, 666]);
  });

  it('prints an SVG', async () => {
    expect(await text({ format: 'svg' })).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it('returns the error of a schedule that cannot be made', async () => {
    const r = await runSchedule({ ...base, steps: 5000 });
    expect(E.isLeft(r) && r.left._tag).toBe('InvalidTimesteps');
  });
});
