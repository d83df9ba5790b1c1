import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { customTimesteps, timestepsFor } from '../schedule/index.js';
import { isDDPMScheduler, makeScheduler, notAScheduler, type DDPMScheduler } from './scheduler.js';

/**
 * What `setTimesteps` takes: a number of inference steps (spread by the config's `timestepSpacing`),
 * `{ numInferenceSteps }`, or `{ timesteps }`, a strictly decreasing list of your own.
 */
export type TimestepsRequest = number | { readonly numInferenceSteps: number } | { readonly timesteps: ArrayLike<number> };

const resolve = (s: DDPMScheduler, request: unknown): E.Either<SchedulerError, { timesteps: Int32Array; custom: boolean }> => {
  const { numTrainTimesteps, timestepSpacing, stepsOffset } = s.config;
  const spaced = (n: unknown) =>
    E.map((timesteps: Int32Array) => ({ timesteps, custom: false }))(
      timestepsFor(timestepSpacing)({ numTrainTimesteps, numInferenceSteps: n as number, stepsOffset }),
    );
  if (typeof request === 'number') return spaced(request);
  if (typeof request === 'object' && request !== null) {
    const hasSteps = 'numInferenceSteps' in request && (request as { numInferenceSteps?: unknown }).numInferenceSteps !== undefined;
    const hasList = 'timesteps' in request && (request as { timesteps?: unknown }).timesteps !== undefined;
    if (hasSteps && hasList) {
      return E.left(
        schedulerError('InvalidTimesteps', 'request', request, 'either numInferenceSteps or timesteps, not both', 'diffusers refuses both too'),
      );
    }
    if (hasSteps) return spaced((request as { numInferenceSteps: unknown }).numInferenceSteps);
    if (hasList) {
      return E.map((timesteps: Int32Array) => ({ timesteps, custom: true }))(
        customTimesteps((request as { timesteps: ArrayLike<number> }).timesteps, numTrainTimesteps),
      );
    }
  }
  return E.left(
    schedulerError('InvalidTimesteps', 'request', request, 'a number of inference steps, { numInferenceSteps: n } or { timesteps: [...] }'),
  );
};

/**
 * Sets the timesteps of the denoising loop and returns a new scheduler; `s` is unchanged. Takes a number
 * of inference steps n (1 <= n <= numTrainTimesteps, spread by the config's `timestepSpacing` and, for
 * `leading`, shifted by `stepsOffset`), or custom timesteps (strictly decreasing integers in
 * [0, numTrainTimesteps)). Also callable data-last, `setTimesteps(50)(s)`, for `pipe`.
 *
 * Unlike diffusers, `trailing` gives exactly n timesteps, and an offset that would push a timestep to
 * numTrainTimesteps or beyond is an error here rather than an index error later.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * import * as E from 'fp-ts/lib/Either.js';
 * const s = pipe(createScheduler({ stepsOffset: 1 }), E.flatMap(setTimesteps(50)));
 * // timesteps 981, 961, ..., 1
 * ```
 */
export function setTimesteps(s: DDPMScheduler, request: TimestepsRequest): E.Either<SchedulerError, DDPMScheduler>;
export function setTimesteps(request: TimestepsRequest): (s: DDPMScheduler) => E.Either<SchedulerError, DDPMScheduler>;
export function setTimesteps(
  ...args: [DDPMScheduler, TimestepsRequest] | [TimestepsRequest]
): E.Either<SchedulerError, DDPMScheduler> | ((s: DDPMScheduler) => E.Either<SchedulerError, DDPMScheduler>) {
  if (args.length === 1) return (s: DDPMScheduler) => setTimesteps(s, args[0]);
  const [s, request] = args;
  if (!isDDPMScheduler(s)) return E.left(notAScheduler(s));
  return E.map(({ timesteps, custom }: { timesteps: Int32Array; custom: boolean }) =>
    makeScheduler({ ...s, timesteps, numInferenceSteps: timesteps.length, customTimesteps: custom }),
  )(resolve(s, request));
}
