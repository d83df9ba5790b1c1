import * as E from 'fp-ts/lib/Either.js';
import { makeTables } from './makeTables.js';
import { validateTables, type TableUse } from './validateTables.js';

const use = (over: Partial<TableUse> = {}): TableUse => ({ source: 'trainedBetas', learnedRange: false, epsilonPrediction: false, ...over });
const tablesOf = (betas: ReadonlyArray<number>, precision: 'float32' | 'float64' = 'float32') =>
  makeTables(precision === 'float32' ? Float32Array.from(betas) : Float64Array.from(betas));

describe('validateTables', () => {
  it('accepts an alphasCumprod that is 0 at the last timestep only (zero terminal SNR), and a single beta of 1', () => {
    expect(E.isRight(validateTables(tablesOf([0.1, 0.5, 1]), use()))).toBe(true);
    expect(E.isRight(validateTables(tablesOf([1]), use({ epsilonPrediction: true })))).toBe(true);
  });

  it('refuses an alphasCumprod that is 0 before the last timestep: the next step is 0 / 0 for every prediction type', () => {
    const r = validateTables(tablesOf([0.1, 1, 0.5]), use());
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidBetas', parameter: 'alphasCumprod[1]', received: 0 });
    expect(E.isLeft(r) && r.left.message).toMatch(/^alphasCumprod\[1\]: received 0; allowed: > 0 before the last timestep \(2\)/);
    expect(E.isLeft(r) && r.left.message).toMatch(/trainedBetas drive alphasCumprod to 0 at timestep 1 of 3/);
    // the float32 product underflows: 0.5^150 = 7e-46 is 0 in float32, not in double
    const halves = new Array(160).fill(0.5);
    expect(E.isLeft(validateTables(tablesOf(halves), use()))).toBe(true);
    expect(E.isRight(validateTables(tablesOf(halves, 'float64'), use()))).toBe(true);
  });

  it("refuses, for learned_range only, an alphasCumprod below 1 that repeats: beta_t = 0 there and log(beta_t) = -inf", () => {
    // 1e-9 leaves 1 - beta = 1 in float32, so alphasCumprod stays at 0.9
    const flat = tablesOf([0.1, 1e-9, 0.1]);
    const r = validateTables(flat, use({ learnedRange: true }));
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidBetas', parameter: 'alphasCumprod[1]', received: Math.fround(0.9) });
    expect(E.isLeft(r) && r.left.message).toMatch(/varianceType 'learned_range'/);
    expect(E.isRight(validateTables(flat, use()))).toBe(true);
    // a repeated 1 is no step at all (step refuses a timestep without noise), so it is allowed
    expect(E.isRight(validateTables(tablesOf([1e-9, 1e-9, 0.1]), use({ learnedRange: true })))).toBe(true);
  });

  it("refuses, for epsilon only, a float64 alphasCumprod in (0, 2^-149): x0 would overflow float32", () => {
    const nearOne = 1 - 2 ** -40; // alpha = 2^-40
    const tiny = tablesOf([nearOne, nearOne, nearOne], 'float64'); // alphasCumprod 2^-40, 2^-80, 2^-120
    expect(E.isRight(validateTables(tiny, use({ epsilonPrediction: true })))).toBe(true);
    const tinier = tablesOf([nearOne, nearOne, nearOne, nearOne], 'float64'); // then 2^-160
    const r = validateTables(tinier, use({ epsilonPrediction: true }));
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidBetas', parameter: 'alphasCumprod[3]', received: 2 ** -160 });
    expect(E.isLeft(r) && r.left.allowed).toBe("0 or >= 2^-149 (float32's smallest positive value) for predictionType 'epsilon'");
    expect(E.isRight(validateTables(tinier, use()))).toBe(true);
    // a float32 table cannot hold a positive value below 2^-149
    expect(E.isRight(validateTables(tablesOf(new Array(149).fill(0.5)), use({ epsilonPrediction: true })))).toBe(true);
  });
});
