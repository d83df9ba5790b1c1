import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { validateAll } from '../validation.js';
import type { TimestepRequest, TimestepSpacing } from './types.js';
import { validateNumTrainTimesteps, validateStepsOffset, validateTimestepSpacing } from './validate.js';

/** numpy's round (and ndarray.round): halves go to the even neighbour. */
const roundHalfEven = (x: number): number => {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
};

/** np.linspace(0, T - 1, n).round()[::-1]: numpy computes i * step and sets the last point to T - 1 exactly. */
const linspaceSpacing = (T: number, n: number): Int32Array => {
  const out = new Int32Array(n);
  const step = n > 1 ? (T - 1) / (n - 1) : 0;
  for (let i = 0; i < n; i++) out[n - 1 - i] = roundHalfEven(i === n - 1 && n > 1 ? T - 1 : i * step);
  return out;
};

/** (np.arange(n) * (T // n))[::-1] + offset: integers throughout. */
const leadingSpacing = (T: number, n: number, offset: number): Int32Array => {
  const ratio = Math.floor(T / n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[n - 1 - i] = i * ratio + offset;
  return out;
};

/**
 * np.round(np.arange(T, 0, -T / n)) - 1. numpy's float arange stores start and start + step, then fills
 * start + i * (second - start): that difference, not the step itself, multiplies the index. Its length,
 * ceil(T / (T / n)), is n + 1 for some n; the extra value is -1, and we keep the first n only.
 */
const trailingSpacing = (T: number, n: number): Int32Array => {
  const delta = T + -(T / n) - T;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = roundHalfEven(i === 0 ? T : T + i * delta) - 1;
  return out;
};

const validateSteps = (n: unknown, T: number | undefined): E.Either<SchedulerError, number> => {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    return E.left(schedulerError('InvalidNumber', 'numInferenceSteps', n, 'an integer >= 1'));
  }
  if (T !== undefined && n > T) {
    return E.left(
      schedulerError('InvalidTimesteps', 'numInferenceSteps', n, `an integer in [1, numTrainTimesteps] = [1, ${T}]`),
    );
  }
  return E.right(n);
};

/**
 * The inference timesteps of a spacing, strictly decreasing, as diffusers' `set_timesteps` makes them
 * (numpy's round-half-to-even included):
 * - `leading`: multiples of floor(T / n) from 0, plus `stepsOffset`;
 * - `trailing`: T / n apart, ending at T - 1, always exactly n of them (diffusers returns n + 1, the
 *   last being -1, for some n: we return its first n);
 * - `linspace`: n points from 0 to T - 1, rounded.
 * `stepsOffset` (default 0) shifts `leading` only, as in diffusers. Curried, data last, for `pipe`.
 *
 * Errors: an unknown spacing; numInferenceSteps that is not an integer in [1, T]; numTrainTimesteps that
 * is not a positive integer; a negative or fractional stepsOffset; an offset that pushes a leading
 * timestep to >= T (diffusers fails later with an index error). Several problems give one
 * `InvalidConfig` error that lists them.
 *
 * @example
 * ```ts
 * timestepsFor('trailing')({ numTrainTimesteps: 1000, numInferenceSteps: 4 }); // right(Int32Array [999, 749, 499, 249])
 * timestepsFor('leading')({ numTrainTimesteps: 1000, numInferenceSteps: 4, stepsOffset: 1 }); // right([751, 501, 251, 1])
 * ```
 */
export const timestepsFor =
  (spacing: TimestepSpacing | string) =>
  (request: TimestepRequest): E.Either<SchedulerError, Int32Array> => {
    if (typeof request !== 'object' || request === null) {
      return E.left(schedulerError('InvalidOption', 'request', request, 'an object { numTrainTimesteps, numInferenceSteps, stepsOffset? }'));
    }
    const s = validateTimestepSpacing(spacing);
    const T = validateNumTrainTimesteps(request.numTrainTimesteps);
    const n = validateSteps(request.numInferenceSteps, E.isRight(T) ? T.right : undefined);
    const offset = validateStepsOffset(request.stepsOffset ?? 0);
    const checked = validateAll('timestepRequest', request, [s, T, n, offset]);
    if (E.isLeft(checked)) return checked;
    const [spacingName, trainSteps, steps, stepsOffset] = checked.right;
    switch (spacingName) {
      case 'linspace':
        return E.right(linspaceSpacing(trainSteps, steps));
      case 'trailing':
        return E.right(trailingSpacing(trainSteps, steps));
      case 'leading': {
        const top = (steps - 1) * Math.floor(trainSteps / steps);
        if (top + stepsOffset >= trainSteps) {
          return E.left(
            schedulerError(
              'InvalidTimesteps',
              'stepsOffset',
              stepsOffset,
              `an integer in [0, ${trainSteps - 1 - top}] for ${steps} leading steps of ${trainSteps}`,
              `the first timestep would be ${top + stepsOffset}, not below numTrainTimesteps`,
            ),
          );
        }
        return E.right(leadingSpacing(trainSteps, steps, stepsOffset));
      }
    }
  };
