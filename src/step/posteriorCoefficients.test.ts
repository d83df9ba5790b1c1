import * as E from 'fp-ts/lib/Either.js';
import { TORCH_FLAVORS, capabilityOf, float32Of, float32Value, torchStep } from '../../test-utils/torchFixtures.js';
import { checkTimestepPair, coefficientsOf, posteriorCoefficients } from './posteriorCoefficients.js';
import type { PosteriorCoefficients } from './types.js';

// the default capture's linear schedule, for the tests that do not compare with torch
const table = float32Of(torchStep('default').schedules.linear?.alphasCumprod ?? []);

const get = (t: number, prev = t - 1, varianceType: Parameters<typeof coefficientsOf>[3] = 'fixed_small') => {
  const r = posteriorCoefficients(table, t, prev, varianceType);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

describe('posteriorCoefficients', () => {
  // diffusers' _get_variance(t, variance_type): what each fixed type returns, and where the library keeps it
  const returned: Record<string, { readonly name: string; readonly of: (k: PosteriorCoefficients) => number }> = {
    fixed_small: { name: 'variance', of: (k) => k.variance },
    // exp(0.5 * log(variance)): a standard deviation, the noise scale
    fixed_small_log: { name: 'noiseScale', of: (k) => k.noiseScale },
    fixed_large: { name: 'currentBetaT', of: (k) => k.currentBetaT },
    // log(beta_t): diffusers returns the log and takes its square root (NaN); the library keeps the log
    // as maxLogVariance and uses exp(log / 2) as the noise scale
    fixed_large_log: { name: 'maxLogVariance', of: (k) => k.maxLogVariance },
  };

  describe.each(TORCH_FLAVORS.map((flavor) => [flavor] as const))("against diffusers' _get_variance on torch 1.13 (fixtures/torch/%s/step.json)", (flavor) => {
    const torch = torchStep(flavor);
    // at t = 0 no noise is added: the noise scale is 0 there, and diffusers' exp(0.5 * log(variance)) unused
    const cases = torch.variances.filter((v) => !(v.varianceType === 'fixed_small_log' && v.timestep === 0));
    it.each(cases.map((v) => [v.schedule, v.timestep, v.varianceType, returned[v.varianceType]?.name, v] as const))(
      "'%s' at t = %i: %s's value is the coefficients' %s bit for bit",
      (_schedule, t, varianceType, _name, v) => {
        const alphasCumprod = float32Of(torch.schedules[v.schedule]?.alphasCumprod ?? []);
        // the flavor's kernel family: torch's float32 log and exp of the variances round by it
        const k = coefficientsOf(alphasCumprod, t, v.prevTimestep, varianceType, capabilityOf(flavor));
        expect(k.prevTimestep).toBe(v.prevTimestep);
        expect(returned[varianceType]?.of(k)).toBe(float32Value(v.value));
      },
    );
  });

  it("gives diffusers' variance constants for the default linear schedule: t=0 -> 0, 487 -> 0.00979, 999 -> 0.02", () => {
    expect(Math.abs(get(0).variance - 0)).toBeLessThan(1e-5);
    expect(Math.abs(get(487).variance - 0.00979)).toBeLessThan(1e-5);
    expect(Math.abs(get(999).variance - 0.02)).toBeLessThan(1e-5);
  });

  it('clamps the variance at float32 1e-20 when prevTimestep is -1', () => {
    expect(get(0).variance).toBe(Math.fround(1e-20));
    expect(get(0).alphaProdTPrev).toBe(1);
  });

  it('gives each fixed variance type its noise scale, and no noise at t = 0', () => {
    const k = get(487);
    expect(get(487, 486, 'fixed_small').noiseScale).toBe(Math.fround(Math.sqrt(k.variance)));
    expect(get(487, 486, 'fixed_large').noiseScale).toBe(Math.fround(Math.sqrt(k.currentBetaT)));
    expect(get(487, 486, 'fixed_small_log').noiseScale).toBeCloseTo(Math.sqrt(k.variance), 7);
    // the corrected fixed_large_log: sqrt(beta), not the square root of a log (NaN in diffusers)
    expect(get(487, 486, 'fixed_large_log').noiseScale).toBeCloseTo(Math.sqrt(k.currentBetaT), 7);
    expect(Number.isNaN(get(487, 486, 'learned').noiseScale)).toBe(true);
    expect(get(0, -1, 'fixed_large').noiseScale).toBe(0);
    expect(get(0).addsNoise).toBe(false);
    expect(get(1).addsNoise).toBe(true);
  });

  it('computes in double for a Float64Array table', () => {
    const f64 = Float64Array.from(table);
    const r = posteriorCoefficients(f64, 1, 0);
    if (E.isLeft(r)) throw new Error(r.left.message);
    expect(r.right.precision).toBe('float64');
    expect(r.right.currentBetaT).toBe(1 - (f64[1] as number) / (f64[0] as number));
    expect(get(1).precision).toBe('float32');
  });

  it('supports multi-step jumps (prevTimestep far below timestep)', () => {
    const k = get(999, 899);
    expect(k.currentAlphaT).toBe(Math.fround((table[999] as number) / (table[899] as number)));
  });

  it('rejects timesteps outside the table, non-integers, and prevTimestep not below timestep', () => {
    const msg = (t: number, p: number) => {
      const r = posteriorCoefficients(table, t, p);
      return E.isLeft(r) ? `${r.left._tag} ${r.left.message}` : 'right';
    };
    expect(msg(1000, 999)).toBe('InvalidTimestep timestep: received 1000; allowed: an integer in [0, 1000)');
    expect(msg(2.5, 1)).toMatch(/^InvalidTimestep timestep: received 2.5/);
    expect(msg(5, 5)).toMatch(/^InvalidTimestep prevTimestep: received 5; allowed: an integer in \[-1, 5\)/);
    expect(msg(5, -2)).toMatch(/^InvalidTimestep prevTimestep: received -2/);
  });

  it('rejects a timestep where alphasCumprod is 1 (the posterior divides by 1 - alphaBar)', () => {
    const r = checkTimestepPair(Float32Array.from([1, 0.5]), 0, -1);
    expect(E.isLeft(r) && r.left.message).toMatch(/^timestep: received 0; allowed: a timestep where alphasCumprod < 1/);
  });
});
