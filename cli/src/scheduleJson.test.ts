import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, fromDiffusersConfig, type DDPMScheduler } from 'ddpm-scheduler';
import { scheduleJson } from './scheduleJson.js';

const make = (config: Parameters<typeof createScheduler>[0]): DDPMScheduler => {
  const s = createScheduler(config);
  if (E.isLeft(s)) throw new Error(s.left.message);
  return s.right;
};

describe('scheduleJson', () => {
  it('survives JSON.stringify, with null where log-SNR is -Infinity', () => {
    const json = JSON.parse(JSON.stringify(scheduleJson([{ label: 'zero snr', scheduler: make({ rescaleBetasZeroSnr: true }) }])));
    const [schedule] = json.schedules;
    expect(schedule.label).toBe('zero snr');
    expect(schedule.numInferenceSteps).toBeNull();
    expect(schedule.rows).toHaveLength(1000);
    expect(schedule.rows[999]).toEqual({ t: 999, beta: 1, alphaBar: 0, snr: 0, logSnr: null });
    expect(schedule.rows[0].logSnr).toBeGreaterThan(9);
  });

  it('carries the config as scheduler_config.json, which reads back to the same schedule', () => {
    const s = make({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012 });
    const [schedule] = JSON.parse(JSON.stringify(scheduleJson([{ label: 'sd', scheduler: s }]))).schedules;
    expect(schedule.config._class_name).toBe('DDPMScheduler');
    expect(schedule.config.beta_schedule).toBe('scaled_linear');
    const back = fromDiffusersConfig(schedule.config);
    expect(E.isRight(back) && Array.from(back.right.alphasCumprod)).toEqual(Array.from(s.alphasCumprod));
  });
});
