import * as E from 'fp-ts/lib/Either.js';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { TORCH_FLAVORS, bitDifference, torchConfig, torchSchedule, type TorchScheduleCase } from '../../test-utils/torchFixtures.js';
import type { BetaSchedule } from '../schedule/index.js';
import ndarray from 'ndarray';
import { addNoise } from './addNoise.js';
import { denoise } from './denoise.js';
import { getVelocity } from './getVelocity.js';
import { createScheduler, isDDPMScheduler } from './scheduler.js';
import { setTimesteps } from './setTimesteps.js';
import { step } from './step.js';

describe('createScheduler', () => {
  it("has diffusers' defaults: linear betas 1e-4 .. 0.02 over 1000 steps, timesteps 999 .. 0, no inference steps", () => {
    const s = unwrap(createScheduler());
    expect(s.length).toBe(1000);
    expect(s.betas[0]).toBe(Math.fround(0.0001));
    expect(s.betas[999]).toBe(Math.fround(0.02));
    expect(s.alphas[0]).toBe(Math.fround(1 - Math.fround(0.0001)));
    expect(s.timesteps[0]).toBe(999);
    expect(s.timesteps[999]).toBe(0);
    expect(s.numInferenceSteps).toBeNull();
    expect(s.customTimesteps).toBe(false);
    expect(s.initNoiseSigma).toBe(1);
    expect(s.warnings).toEqual([]);
  });

  it('is frozen', () => {
    const s = unwrap(createScheduler());
    expect(Object.isFrozen(s)).toBe(true);
    expect(Object.isFrozen(s.config)).toBe(true);
    expect(isDDPMScheduler(s)).toBe(true);
  });

  describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("has torch's tables (fixtures/torch/%s/schedule.json)", (flavor) => {
    const torch = torchSchedule(flavor);
    const cases = torch.cases.filter((c) => c.numTrainTimesteps === 1000);
    const plainOf = (c: TorchScheduleCase) => cases.find((p) => p.betaSchedule === c.betaSchedule && !p.rescale) as TorchScheduleCase;

    it.each(cases.map((c) => [c.betaSchedule, c.rescale ? 'rescaled' : 'plain', c] as const))("'%s' (%s): betas, alphas and alphasCumprod bit for bit", (_name, _rescale, c) => {
      // torch's unrescaled betas as trainedBetas where they come from torch 1.13's linspace; the rescale is the library's
      const config = { betaSchedule: c.betaSchedule as BetaSchedule, betaStart: c.betaStart, betaEnd: c.betaEnd, rescaleBetasZeroSnr: c.rescale };
      const s = unwrap(createScheduler(torchConfig(config, plainOf(c).betas, flavor)));
      expect(bitDifference(s.betas as Float32Array, c.betas)).toBeNull();
      expect(bitDifference(s.alphas as Float32Array, c.alphas)).toBeNull();
      expect(bitDifference(s.alphasCumprod as Float32Array, c.alphasCumprod)).toBeNull();
      if (c.rescale) expect(s.alphasCumprod[999]).toBe(0);
    });
  });

  it('keeps double tables with precision float64', () => {
    const s = unwrap(createScheduler({ precision: 'float64' }));
    expect(s.alphasCumprod).toBeInstanceOf(Float64Array);
    expect(s.betas[0]).toBe(0.0001);
  });

  it('returns config problems as a typed error', () => {
    const r = createScheduler({ betaEnd: 2 });
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidBetas', parameter: 'betaEnd', received: 2 });
  });
});

describe('schedulers are branded: only values the library made are schedulers', () => {
  const real = E.getOrElseW(() => { throw new Error('scheduler'); })(createScheduler());
  const forgeries: ReadonlyArray<readonly [string, unknown]> = [
    ['the old tag alone', { _tag: 'DDPMScheduler' }],
    ['a spread copy', { ...real }],
    ['a JSON round trip', JSON.parse(JSON.stringify(real))],
  ];

  it.each(forgeries)('%s is refused everywhere a scheduler is taken, with a message that says how to make one', (_name, fake) => {
    const sample = ndarray(new Float32Array(8), [1, 8]);
    const results = [
      setTimesteps(fake as never, 10),
      addNoise(fake as never, sample, sample, 5),
      getVelocity(fake as never, sample, sample, 5),
      step(fake as never, { modelOutput: sample, sample, timestep: 5, noise: sample }),
      denoise(fake as never, (x) => x, sample),
    ];
    for (const r of results) {
      expect(E.isLeft(r) && r.left.parameter).toBe('scheduler');
      expect(E.isLeft(r) && r.left.message).toMatch(/createScheduler\(copy\.config\)/);
    }
    expect(isDDPMScheduler(fake)).toBe(false);
  });

  it('every scheduler the library returns is one, and one rebuilt from a copy\'s config equals the original', () => {
    const set = E.getOrElseW(() => { throw new Error('set'); })(setTimesteps(real, 10));
    expect([real, set].every(isDDPMScheduler)).toBe(true);
    const copy = JSON.parse(JSON.stringify(real));
    const rebuilt = E.getOrElseW(() => { throw new Error('rebuilt'); })(createScheduler(copy.config));
    expect(isDDPMScheduler(rebuilt)).toBe(true);
    expect(Array.from(rebuilt.alphasCumprod)).toEqual(Array.from(real.alphasCumprod));
  });
});
