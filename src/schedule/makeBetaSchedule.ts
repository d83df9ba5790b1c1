import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { validateAll } from '../validation.js';
import { validateCpuCapability, type CpuCapability } from '../cpuCapability.js';
import { linspaceFloat32, linspaceFloat64 } from './internal.js';
import { torchSigmoid } from '../kernels/torchMath.js';
import type { BetaSchedule, BetaScheduleSpec, Table } from './types.js';
import {
  validateBetaBound,
  validateBetaSchedule,
  validateNumTrainTimesteps,
  validatePrecision,
  validateTrainedBetas,
} from './validate.js';

/** diffusers caps the alpha-bar schedules' betas below 1 (GLIDE's choice), to keep 1 - beta away from 0. */
const MAX_BETA = 0.999;

const alphaBarCosine = (t: number): number => {
  const c = Math.cos((((t + 0.008) / 1.008) * Math.PI) / 2);
  return c * c;
};

const alphaBarLaplace = (t: number): number => {
  const sign = 0.5 - t >= 0 ? 1 : -1;
  const lambda = -0.5 * sign * Math.log(1 - 2 * Math.abs(0.5 - t) + 1e-6);
  const snr = Math.exp(lambda);
  return Math.sqrt(snr / (1 + snr));
};

/** The alpha-bar discretisation, in double as diffusers does it in Python floats; a Float32Array store rounds once. */
const alphaBarBetas = (alphaBar: (t: number) => number, n: number, out: Table): Table => {
  for (let i = 0; i < n; i++) out[i] = Math.min(1 - alphaBar((i + 1) / n) / alphaBar(i / n), MAX_BETA);
  return out;
};

const scheduleFloat32 = (schedule: BetaSchedule, n: number, start: number, end: number, capability: CpuCapability): Float32Array => {
  // torch 2.x's AVX2 and AVX512 builds fuse linspace's multiply-add; its default build does not
  const fused = capability !== 'default';
  switch (schedule) {
    case 'linear':
      return linspaceFloat32(start, end, n, fused);
    case 'scaled_linear': {
      // the square roots are taken in double (Python), the linspace and the square in float32 (torch)
      const roots = linspaceFloat32(Math.sqrt(start), Math.sqrt(end), n, fused);
      return roots.map((r) => r * r);
    }
    case 'squaredcos_cap_v2':
      return alphaBarBetas(alphaBarCosine, n, new Float32Array(n)) as Float32Array;
    case 'laplace':
      return alphaBarBetas(alphaBarLaplace, n, new Float32Array(n)) as Float32Array;
    case 'sigmoid': {
      // torch: sigmoid(linspace(-6, 6)) * (end - start) + start, every op in float32 (end - start in
      // double first); sigmoid's exp is Sleef's or glibc's by kernel family and element (torchSigmoid)
      const range = Math.fround(end - start);
      const offset = Math.fround(start);
      const x = linspaceFloat32(-6, 6, n, fused);
      return torchSigmoid(capability, x, x).map((sigmoid) => Math.fround(sigmoid * range) + offset);
    }
  }
};

const scheduleFloat64 = (schedule: BetaSchedule, n: number, start: number, end: number): Float64Array => {
  switch (schedule) {
    case 'linear':
      return linspaceFloat64(start, end, n);
    case 'scaled_linear':
      return linspaceFloat64(Math.sqrt(start), Math.sqrt(end), n).map((r) => r * r);
    case 'squaredcos_cap_v2':
      return alphaBarBetas(alphaBarCosine, n, new Float64Array(n)) as Float64Array;
    case 'laplace':
      return alphaBarBetas(alphaBarLaplace, n, new Float64Array(n)) as Float64Array;
    case 'sigmoid':
      return linspaceFloat64(-6, 6, n).map((x) => (1 / (1 + Math.exp(-x))) * (end - start) + start);
  }
};

/** Rounding (a tiny betaStart) or the formula can still leave a beta outside (0, 1]: say which. */
const checkComputed = (betas: Table, schedule: BetaSchedule): E.Either<SchedulerError, Table> => {
  for (let i = 0; i < betas.length; i++) {
    const beta = betas[i] as number;
    if (!(beta > 0 && beta <= 1)) {
      return E.left(
        schedulerError('InvalidBetas', `betas[${i}]`, beta, 'a number in (0, 1]', `computed by the '${schedule}' schedule from betaStart and betaEnd`),
      );
    }
  }
  return E.right(betas);
};

/**
 * The betas of a schedule, with diffusers' float32 numbers by default:
 * - `linear`: torch.linspace(betaStart, betaEnd, T) in float32 (torch 2.x's kernel for `spec.cpuCapability`:
 *   one fused multiply-add per value on `'avx2'` and `'avx512'`, the default, a product and a sum on
 *   `'default'`; torch 1.13 differs, see docs/parity.md);
 * - `scaled_linear`: torch.linspace(sqrt(betaStart), sqrt(betaEnd), T) in float32, squared in float32;
 * - `squaredcos_cap_v2`: the cosine alpha-bar schedule (Nichol & Dhariwal 2021), betas capped at 0.999,
 *   computed in double and rounded to float32;
 * - `laplace`: the Laplace alpha-bar schedule, the same way;
 * - `sigmoid`: sigmoid(linspace(-6, 6, T)) * (betaEnd - betaStart) + betaStart in float32 (GeoDiff), the
 *   sigmoid's exp as torch's kernel family computes it (Sleef's on avx2/avx512, glibc's on default);
 * - `trainedBetas` (when non-null) replace the schedule: `numTrainTimesteps` values in (0, 1].
 *
 * With `precision: 'float64'` every value is computed and kept in double (a Float64Array).
 *
 * Validates every field and reports all problems: one problem gives that error, several an
 * `InvalidConfig` error that lists them. `betaStart` and `betaEnd` must be in (0, 1] for every schedule.
 *
 * @example
 * ```ts
 * import * as E from 'fp-ts/lib/Either.js';
 * const betas = makeBetaSchedule({ numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear' });
 * E.isRight(betas) && betas.right[999]; // 0.019999999552965164 (0.02 in float32)
 * ```
 */
export const makeBetaSchedule = (spec: BetaScheduleSpec): E.Either<SchedulerError, Table> => {
  if (typeof spec !== 'object' || spec === null) {
    return E.left(schedulerError('InvalidOption', 'spec', spec, 'an object { numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas?, precision?, cpuCapability? }'));
  }
  const numTrainTimesteps = validateNumTrainTimesteps(spec.numTrainTimesteps);
  const precision = validatePrecision(spec.precision);
  const capability = validateCpuCapability(spec.cpuCapability);
  const betaStart = validateBetaBound('betaStart', spec.betaStart);
  const betaEnd = validateBetaBound('betaEnd', spec.betaEnd);
  const schedule = validateBetaSchedule(spec.betaSchedule);
  const trainedGiven = spec.trainedBetas !== undefined && spec.trainedBetas !== null;
  const trained: E.Either<SchedulerError, Table | undefined> = trainedGiven
    ? validateTrainedBetas(
        spec.trainedBetas,
        E.isRight(numTrainTimesteps) ? numTrainTimesteps.right : undefined,
        E.isRight(precision) ? precision.right : 'float32',
      )
    : E.right(undefined);
  const checked = validateAll('betaScheduleSpec', spec, [numTrainTimesteps, precision, betaStart, betaEnd, schedule, trained, capability]);
  if (E.isLeft(checked)) return checked;
  const [t, p, start, end, s, trainedTable, c] = checked.right;
  if (trainedTable !== undefined) return E.right(trainedTable);
  const betas = p === 'float32' ? scheduleFloat32(s, t, start, end, c) : scheduleFloat64(s, t, start, end);
  return checkComputed(betas, s);
};
