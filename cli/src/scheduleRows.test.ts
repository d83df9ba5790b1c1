import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, setTimesteps, type DDPMConfig, type DDPMScheduler } from 'ddpm-scheduler';
import { scheduleRows } from './scheduleRows.js';

const make = (config: Partial<DDPMConfig> = {}, steps?: number): DDPMScheduler => {
  const s = E.flatMap((x: DDPMScheduler) => (steps === undefined ? E.right(x) : setTimesteps(x, steps)))(createScheduler(config));
  if (E.isLeft(s)) throw new Error(s.left.message);
  return s.right;
};

describe('scheduleRows', () => {
  it('lists every training timestep in increasing t before setTimesteps', () => {
    const rows = scheduleRows(make());
    expect(rows).toHaveLength(1000);
    expect(rows.map((r) => r.t)).toEqual(Array.from({ length: 1000 }, (_, t) => t));
  });

  it('gives the float32 table values and the SNR in double', () => {
    const [first] = scheduleRows(make());
    expect(first?.beta).toBe(Math.fround(0.0001));
    expect(first?.alphaBar).toBe(Math.fround(1 - Math.fround(0.0001)));
    const a = Math.fround(0.9999);
    expect(first?.snr).toBe(a / (1 - a));
    expect(first?.logSnr).toBeCloseTo(Math.log(a / (1 - a)), 12);
    // the default schedule's last alphaBar is about 4.04e-5 (diffusers: alphas_cumprod[-1])
    const last = scheduleRows(make())[999];
    expect(last?.alphaBar).toBeCloseTo(4.036e-5, 8);
    expect(last?.logSnr).toBeCloseTo(Math.log(4.036e-5 / (1 - 4.036e-5)), 3);
  });

  it('lists the inference timesteps after setTimesteps', () => {
    expect(scheduleRows(make({}, 5)).map((r) => r.t)).toEqual([0, 200, 400, 600, 800]);
    expect(scheduleRows(make({ timestepSpacing: 'trailing' }, 4)).map((r) => r.t)).toEqual([249, 499, 749, 999]);
  });

  it('has SNR 0 and log-SNR -Infinity at zero terminal SNR', () => {
    const last = scheduleRows(make({ rescaleBetasZeroSnr: true }))[999];
    expect(last).toEqual({ t: 999, beta: 1, alphaBar: 0, snr: 0, logSnr: -Infinity });
  });

  it('decreases in log-SNR along t', () => {
    const rows = scheduleRows(make({ betaSchedule: 'squaredcos_cap_v2' }));
    for (let i = 1; i < rows.length; i++) expect((rows[i] as { logSnr: number }).logSnr).toBeLessThan((rows[i - 1] as { logSnr: number }).logSnr);
  });
});
