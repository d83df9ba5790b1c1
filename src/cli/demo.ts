/**
 * `npm run demo`: prints a short summary of the default linear schedule (a few timesteps with beta,
 * alphaBar and SNR) and the first 50-step timesteps of each spacing. Exits with code 1 and a message
 * on any error.
 *
 * @module
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SchedulerError } from '../errors.js';
import { makeBetaSchedule, makeTables, TIMESTEP_SPACINGS, timestepsFor } from '../schedule/index.js';
import { formatScheduleSummary } from './scheduleSummary.js';

const config = { numTrainTimesteps: 1000, betaStart: 0.0001, betaEnd: 0.02, betaSchedule: 'linear' } as const;
const numInferenceSteps = 50;

const summary = (): E.Either<SchedulerError, string> =>
  pipe(
    makeBetaSchedule(config),
    E.map(makeTables),
    E.chain((tables) =>
      pipe(
        TIMESTEP_SPACINGS.map((spacing) =>
          pipe(
            timestepsFor(spacing)({ numTrainTimesteps: config.numTrainTimesteps, numInferenceSteps }),
            E.map((ts) => [spacing, ts] as const),
          ),
        ),
        E.sequenceArray,
        E.map((spacings) =>
          formatScheduleSummary({
            title: `DDPM schedule: linear betas ${config.betaStart} to ${config.betaEnd}, ${config.numTrainTimesteps} training steps, ${numInferenceSteps} inference steps (float32, as diffusers)`,
            tables,
            rows: [0, 1, 10, 100, 250, 500, 750, 999],
            spacings,
          }),
        ),
      ),
    ),
  );

try {
  const result = summary();
  if (E.isRight(result)) {
    process.stdout.write(`${result.right}\n`);
  } else {
    process.stderr.write(`ddpm-scheduler demo: ${result.left.message}\n`);
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`ddpm-scheduler demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
