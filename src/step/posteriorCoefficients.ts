import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import type { PosteriorCoefficients, Table, VarianceType } from './types.js';
import { roundingOf } from '../kernels/posteriorElement.js';
import { expKindOf, expOfKind, logOf } from '../kernels/torchMath.js';
import { DEFAULT_CPU_CAPABILITY, validateCpuCapability, type CpuCapability } from '../cpuCapability.js';
import { checkTable, checkVarianceType } from './checks.js';

/**
 * The coefficients for a timestep pair that is already known to be valid (see
 * {@link posteriorCoefficients} for the checked form). Float32 tables round every scalar operation to
 * float32 at the same places as diffusers' torch code, because `1 - alphaBar_t / alphaBar_prev` cancels
 * badly near t = 0 and the rounding there is visible in the result.
 *
 * @internal
 */
export const coefficientsOf = (
  alphasCumprod: Table,
  timestep: number,
  prevTimestep: number,
  varianceType: VarianceType,
  capability: CpuCapability = DEFAULT_CPU_CAPABILITY,
): PosteriorCoefficients => {
  // torch's float32 scalar tensors round each op; a Float64Array table asks for double throughout
  const float32 = !(alphasCumprod instanceof Float64Array);
  const r = roundingOf(float32);
  // torch.log / torch.exp of a float32 0-d tensor: glibc's or Sleef's by kernel family
  const log = float32 ? logOf(capability) : Math.log;
  const exp = float32 ? expOfKind(expKindOf(capability)) : Math.exp;
  // 1. alphas and betas: alphaBar_t, alphaBar_prev (1 before the first step), and their complements
  const alphaProdT = alphasCumprod[timestep] as number;
  const alphaProdTPrev = prevTimestep >= 0 ? (alphasCumprod[prevTimestep] as number) : 1;
  const betaProdT = r(1 - alphaProdT);
  const betaProdTPrev = r(1 - alphaProdTPrev);
  const currentAlphaT = r(alphaProdT / alphaProdTPrev);
  const currentBetaT = r(1 - currentAlphaT);
  // 2. the square roots of eq. 15 (x0 from epsilon) and of the v-parameterisation
  const sqrtAlphaProdT = r(Math.sqrt(alphaProdT));
  const sqrtBetaProdT = r(Math.sqrt(betaProdT));
  // 3. DDPM eq. 7: posterior mean weights of x0 and x_t
  const predOriginalSampleCoeff = r(r(r(Math.sqrt(alphaProdTPrev)) * currentBetaT) / betaProdT);
  const currentSampleCoeff = r(r(r(Math.sqrt(currentAlphaT)) * betaProdTPrev) / betaProdT);
  // 4. DDPM eq. 7: posterior variance beta-tilde, clamped (at float32's 1e-20 like torch.clamp) so its log is finite
  const unclamped = r(r(r(1 - alphaProdTPrev) / r(1 - alphaProdT)) * currentBetaT);
  const variance = Math.max(unclamped, r(1e-20));
  const minLogVariance = r(log(variance));
  const maxLogVariance = r(log(currentBetaT));
  const addsNoise = timestep > 0;
  // 5. the noise scale: a standard deviation from a variance or a log-variance
  let noiseScale: number;
  switch (varianceType) {
    case 'fixed_small':
      noiseScale = r(Math.sqrt(variance));
      break;
    case 'fixed_small_log':
      noiseScale = r(exp(r(0.5 * minLogVariance)));
      break;
    case 'fixed_large':
      noiseScale = r(Math.sqrt(currentBetaT));
      break;
    case 'fixed_large_log':
      // a log-variance, so exp(log(beta) / 2) = sqrt(beta); diffusers takes the square root of the log (NaN)
      noiseScale = r(exp(r(0.5 * maxLogVariance)));
      break;
    default:
      noiseScale = NaN;
  }
  const k: PosteriorCoefficients = Object.freeze({
    precision: alphasCumprod instanceof Float64Array ? 'float64' : 'float32',
    timestep,
    prevTimestep,
    alphaProdT,
    alphaProdTPrev,
    betaProdT,
    betaProdTPrev,
    currentAlphaT,
    currentBetaT,
    sqrtAlphaProdT,
    sqrtBetaProdT,
    predOriginalSampleCoeff,
    currentSampleCoeff,
    variance,
    minLogVariance,
    maxLogVariance,
    addsNoise,
    noiseScale: addsNoise || Number.isNaN(noiseScale) ? noiseScale : 0,
  });
  return k;
};

/**
 * Checks one timestep pair against a table of `n` entries: `timestep` an integer in [0, n),
 * `prevTimestep` an integer in [-1, timestep), and alphaBar_t < 1 (else the posterior is undefined).
 *
 * @internal
 */
export const checkTimestepPair = (
  alphasCumprod: Table,
  timestep: number,
  prevTimestep: number,
  timestepName = 'timestep',
  prevTimestepName = 'prevTimestep',
): E.Either<SchedulerError, void> => {
  const n = alphasCumprod.length;
  if (typeof timestep !== 'number' || !Number.isInteger(timestep) || timestep < 0 || timestep >= n) {
    return E.left(schedulerError('InvalidTimestep', timestepName, timestep, `an integer in [0, ${n})`));
  }
  if (
    typeof prevTimestep !== 'number' ||
    !Number.isInteger(prevTimestep) ||
    prevTimestep < -1 ||
    prevTimestep >= timestep
  ) {
    return E.left(
      schedulerError(
        'InvalidTimestep',
        prevTimestepName,
        prevTimestep,
        `an integer in [-1, ${timestep}) (before ${timestepName} = ${timestep}; -1 after the last step)`,
      ),
    );
  }
  return checkNoisedTimestep(alphasCumprod, timestep, timestepName);
};

/**
 * Checks that a timestep known to be in range has alphaBar_t < 1: where it is 1 there is no noise, so
 * the posterior is undefined.
 *
 * @internal
 */
export const checkNoisedTimestep = (alphasCumprod: Table, timestep: number, timestepName: string): E.Either<SchedulerError, void> =>
  (alphasCumprod[timestep] as number) < 1
    ? E.right(undefined)
    : E.left(
        schedulerError(
          'InvalidTimestep',
          timestepName,
          timestep,
          'a timestep where alphasCumprod < 1',
          `alphasCumprod[${timestep}] = ${alphasCumprod[timestep]}: no noise, so the posterior is undefined`,
        ),
      );

/**
 * The scalar coefficients of the DDPM posterior q(x_prev | x_t, x0) for one timestep pair, with
 * diffusers' float32 rounding for a `Float32Array` table and in double for a `Float64Array` table.
 * `prevTimestep` is -1 after the last step (alphaBar_prev = 1 there). The result also carries the
 * noise scale for `varianceType` (0 at timestep 0, where diffusers adds no noise). `cpuCapability`
 * (default `'avx512'`) is the torch kernel family whose float32 `log`/`exp` round the log-variances.
 *
 * @example
 * ```ts
 * // alphasCumprod: the default linear schedule (1000 steps, betas 1e-4 .. 0.02)
 * const c = posteriorCoefficients(alphasCumprod, 487, 486);
 * // right({ variance: 0.00979..., predOriginalSampleCoeff: ..., ... })
 * posteriorCoefficients(alphasCumprod, 1000, 999);  // left(InvalidTimestep)
 * ```
 */
export const posteriorCoefficients = (
  alphasCumprod: Table,
  timestep: number,
  prevTimestep: number,
  varianceType: VarianceType = 'fixed_small',
  cpuCapability?: CpuCapability,
): E.Either<SchedulerError, PosteriorCoefficients> => {
  const table = checkTable(alphasCumprod, 'alphasCumprod');
  if (E.isLeft(table)) return table;
  const variance = checkVarianceType(varianceType, 'varianceType');
  if (E.isLeft(variance)) return variance;
  const capability = validateCpuCapability(cpuCapability, 'cpuCapability');
  if (E.isLeft(capability)) return capability;
  const checked = checkTimestepPair(alphasCumprod, timestep, prevTimestep);
  return E.isLeft(checked) ? checked : E.right(coefficientsOf(alphasCumprod, timestep, prevTimestep, varianceType, capability.right));
};
