import * as E from 'fp-ts/lib/Either.js';
import {
  validateBetaBound,
  validateBetaSchedule,
  validateNumTrainTimesteps,
  validatePrecision,
  validateStepsOffset,
  validateTimestepSpacing,
  validateTrainedBetas,
} from './validate.js';

describe('validators', () => {
  it('validateNumTrainTimesteps accepts positive integers up to 1 000 000 (bounded memory) and names a custom parameter', () => {
    expect(validateNumTrainTimesteps(1)).toEqual(E.right(1));
    expect(validateNumTrainTimesteps(1_000_000)).toEqual(E.right(1_000_000));
    expect(E.isLeft(validateNumTrainTimesteps(1_000_001))).toBe(true);
    const e = validateNumTrainTimesteps('1000', 'num_train_timesteps');
    expect(E.isLeft(e) && e.left.message).toBe('num_train_timesteps: received "1000"; allowed: an integer in [1, 1000000]');
    expect(E.isLeft(validateNumTrainTimesteps(2 ** 31))).toBe(true);
  });

  it('validateStepsOffset accepts integers >= 0 only', () => {
    expect(validateStepsOffset(0)).toEqual(E.right(0));
    expect(validateStepsOffset(3)).toEqual(E.right(3));
    for (const bad of [-1, 1.5, NaN, '1', undefined]) expect(E.isLeft(validateStepsOffset(bad))).toBe(true);
  });

  it('validateBetaBound accepts (0, 1]', () => {
    expect(validateBetaBound('betaEnd', 1)).toEqual(E.right(1));
    for (const bad of [0, -0.1, 1.0000001, NaN, Infinity, '0.1']) {
      const r = validateBetaBound('betaEnd', bad);
      expect(E.isLeft(r) && r.left._tag).toBe('InvalidBetas');
    }
  });

  it('validateBetaSchedule and validateTimestepSpacing accept exactly the listed names', () => {
    expect(validateBetaSchedule('squaredcos_cap_v2')).toEqual(E.right('squaredcos_cap_v2'));
    expect(E.isLeft(validateBetaSchedule('Linear'))).toBe(true);
    expect(validateTimestepSpacing('linspace')).toEqual(E.right('linspace'));
    const e = validateTimestepSpacing(3, 'timestep_spacing');
    expect(E.isLeft(e) && e.left.message).toBe(`timestep_spacing: received 3; allowed: one of 'leading', 'trailing', 'linspace'`);
  });

  it('validatePrecision defaults to float32', () => {
    expect(validatePrecision(undefined)).toEqual(E.right('float32'));
    expect(validatePrecision('float64')).toEqual(E.right('float64'));
    expect(E.isLeft(validatePrecision('double'))).toBe(true);
  });

  it('validateTrainedBetas returns a table of the precision and checks length and range', () => {
    const r = validateTrainedBetas([0.1, 0.2], 2, 'float64');
    expect(E.isRight(r) && r.right).toEqual(Float64Array.from([0.1, 0.2]));
    expect(E.isLeft(validateTrainedBetas('0.1', undefined, 'float32'))).toBe(true);
    expect(E.isRight(validateTrainedBetas([0.5], undefined, 'float32'))).toBe(true);
  });
});
