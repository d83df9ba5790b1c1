import { parseArgs } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import { BETA_SCHEDULES, schedulerError, TIMESTEP_SPACINGS, type BetaSchedule, type SchedulerError, type TimestepSpacing } from 'ddpm-scheduler';

/** The formats of `ddpm-scheduler schedule`. */
export const SCHEDULE_FORMATS = Object.freeze(['table', 'json', 'svg'] as const);
/** One of {@link SCHEDULE_FORMATS}. */
export type ScheduleFormat = (typeof SCHEDULE_FORMATS)[number];

/** `ddpm-scheduler schedule ...`, parsed. */
export interface ScheduleCommand {
  readonly command: 'schedule';
  /** scheduler_config.json files (or folders holding one), one schedule each. */
  readonly configs: ReadonlyArray<string>;
  /** Schedules made from the flags, one per --beta-schedule; empty when only --config was given. */
  readonly betaSchedules: ReadonlyArray<BetaSchedule>;
  readonly betaStart?: number;
  readonly betaEnd?: number;
  readonly numTrainTimesteps?: number;
  readonly rescaleZeroSnr: boolean;
  readonly steps?: number;
  readonly spacing?: TimestepSpacing;
  readonly stepsOffset?: number;
  readonly format: ScheduleFormat;
}

/** `ddpm-scheduler demo ...` (and `npm run demo`), parsed. */
export interface DemoCommand {
  readonly command: 'demo';
  readonly steps: number;
  readonly spacing?: TimestepSpacing;
  readonly seed: bigint;
  readonly out: string;
  readonly config?: string;
  readonly samples: number;
}

/** `--help`, or no command at all: the text to print. */
export interface HelpCommand {
  readonly command: 'help';
  readonly text: string;
}

/** What {@link parseCli} makes of the arguments. */
export type CliCommand = ScheduleCommand | DemoCommand | HelpCommand;

/** The text of `ddpm-scheduler --help`. */
export const USAGE = `Usage: ddpm-scheduler <command> [options]

Commands:
  schedule   print t, beta, alphaBar, SNR and log-SNR per timestep of one or several schedules
  demo       sample 16x16 digit glyphs with the exact denoiser; write PNG grids and an SVG of the schedule

schedule options:
  --config <file>             a diffusers scheduler_config.json (or a folder holding one); repeat to compare
  --beta-schedule <name>      ${BETA_SCHEDULES.join(' | ')}; repeat to compare (default linear)
  --beta-start <x>            first beta (default 0.0001)
  --beta-end <x>              last beta (default 0.02)
  --num-train-timesteps <n>   training timesteps T (default 1000)
  --rescale-zero-snr          rescale the betas to zero terminal SNR
  --steps <n>                 show the n inference timesteps instead of all T
  --spacing <s>               ${TIMESTEP_SPACINGS.join(' | ')} (default: the config's, leading)
  --steps-offset <n>          offset added to leading timesteps (default: the config's, 0)
  --format <f>                ${SCHEDULE_FORMATS.join(' | ')} (default table); svg plots log-SNR and alphaBar

demo options:
  --steps <n>                 inference steps (default 1000)
  --spacing <s>               ${TIMESTEP_SPACINGS.join(' | ')} (default: the config's)
  --seed <n>                  torch.manual_seed of the noise (default 0)
  --out <dir>                 where to write the pictures (default demo-output)
  --config <file>             a scheduler_config.json to sample with (default: diffusers' defaults)
  --samples <n>               how many samples (default 32)

  -h, --help                  show this text
`;

const invalid = (parameter: string, received: unknown, allowed: string, detail?: string): E.Either<SchedulerError, never> =>
  E.left(schedulerError('InvalidOption', parameter, received, allowed, detail));

const integer = (name: string, value: string | undefined, min: number): E.Either<SchedulerError, number | undefined> => {
  if (value === undefined) return E.right(undefined);
  const n = Number(value);
  return /^\s*[-+]?\d+\s*$/.test(value) && Number.isSafeInteger(n) && n >= min
    ? E.right(n)
    : invalid(`--${name}`, value, `an integer >= ${min}`);
};

const real = (name: string, value: string | undefined): E.Either<SchedulerError, number | undefined> => {
  if (value === undefined) return E.right(undefined);
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) ? E.right(n) : invalid(`--${name}`, value, 'a finite number, e.g. 0.0001');
};

const oneOf = <A extends string>(name: string, value: string | undefined, options: ReadonlyArray<A>): E.Either<SchedulerError, A | undefined> =>
  value === undefined || (options as ReadonlyArray<string>).includes(value)
    ? E.right(value as A | undefined)
    : invalid(`--${name}`, value, `one of ${options.join(', ')}`);

const SCHEDULE_OPTIONS = {
  config: { type: 'string', multiple: true },
  'beta-schedule': { type: 'string', multiple: true },
  'beta-start': { type: 'string' },
  'beta-end': { type: 'string' },
  'num-train-timesteps': { type: 'string' },
  'rescale-zero-snr': { type: 'boolean' },
  steps: { type: 'string' },
  spacing: { type: 'string' },
  'steps-offset': { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const DEMO_OPTIONS = {
  steps: { type: 'string' },
  spacing: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  config: { type: 'string' },
  samples: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

// parseArgs throws on unknown options and missing values; turn that into an error value naming the option.
const parse = <O extends typeof SCHEDULE_OPTIONS | typeof DEMO_OPTIONS>(command: string, args: ReadonlyArray<string>, options: O) => {
  try {
    return E.right(parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return invalid(command, args.join(' '), `the options listed by --help`, message);
  }
};

const parseSchedule = (args: ReadonlyArray<string>): E.Either<SchedulerError, CliCommand> => {
  const parsed = parse('schedule', args, SCHEDULE_OPTIONS);
  if (E.isLeft(parsed)) return parsed;
  const v = parsed.right;
  if (v.help === true) return E.right({ command: 'help', text: USAGE });
  const schedules: BetaSchedule[] = [];
  for (const name of v['beta-schedule'] ?? []) {
    const checked = oneOf('beta-schedule', name, BETA_SCHEDULES);
    if (E.isLeft(checked)) return checked;
    schedules.push(checked.right as BetaSchedule);
  }
  const betaStart = real('beta-start', v['beta-start']);
  const betaEnd = real('beta-end', v['beta-end']);
  const numTrainTimesteps = integer('num-train-timesteps', v['num-train-timesteps'], 1);
  const steps = integer('steps', v.steps, 1);
  const stepsOffset = integer('steps-offset', v['steps-offset'], 0);
  const spacing = oneOf('spacing', v.spacing, TIMESTEP_SPACINGS);
  const format = oneOf('format', v.format, SCHEDULE_FORMATS);
  for (const r of [betaStart, betaEnd, numTrainTimesteps, steps, stepsOffset, spacing, format]) if (E.isLeft(r)) return r;
  const configs = v.config ?? [];
  const flagged =
    v['beta-start'] !== undefined || v['beta-end'] !== undefined || v['num-train-timesteps'] !== undefined || v['rescale-zero-snr'] === true;
  const betaSchedules = schedules.length > 0 ? schedules : configs.length === 0 || flagged ? (['linear'] as BetaSchedule[]) : [];
  const right = <A>(r: E.Either<SchedulerError, A>) => (r as E.Right<A>).right;
  return E.right({
    command: 'schedule',
    configs,
    betaSchedules,
    rescaleZeroSnr: v['rescale-zero-snr'] === true,
    format: right(format) ?? 'table',
    ...(right(betaStart) === undefined ? {} : { betaStart: right(betaStart) }),
    ...(right(betaEnd) === undefined ? {} : { betaEnd: right(betaEnd) }),
    ...(right(numTrainTimesteps) === undefined ? {} : { numTrainTimesteps: right(numTrainTimesteps) }),
    ...(right(steps) === undefined ? {} : { steps: right(steps) }),
    ...(right(stepsOffset) === undefined ? {} : { stepsOffset: right(stepsOffset) }),
    ...(right(spacing) === undefined ? {} : { spacing: right(spacing) }),
  } as ScheduleCommand);
};

const parseDemo = (args: ReadonlyArray<string>): E.Either<SchedulerError, CliCommand> => {
  const parsed = parse('demo', args, DEMO_OPTIONS);
  if (E.isLeft(parsed)) return parsed;
  const v = parsed.right;
  if (v.help === true) return E.right({ command: 'help', text: USAGE });
  const steps = integer('steps', v.steps, 1);
  const samples = integer('samples', v.samples, 1);
  const spacing = oneOf('spacing', v.spacing, TIMESTEP_SPACINGS);
  if (E.isLeft(steps)) return steps;
  if (E.isLeft(samples)) return samples;
  if (E.isLeft(spacing)) return spacing;
  const seedText = v.seed ?? '0';
  if (!/^-?\d+$/.test(seedText.trim())) return invalid('--seed', seedText, 'an integer, as torch.manual_seed takes');
  if (v.out !== undefined && v.out.trim() === '') return invalid('--out', v.out, 'a folder to write into');
  return E.right({
    command: 'demo',
    steps: steps.right ?? 1000,
    samples: samples.right ?? 32,
    seed: BigInt(seedText.trim()),
    out: v.out ?? 'demo-output',
    ...(spacing.right === undefined ? {} : { spacing: spacing.right }),
    ...(v.config === undefined ? {} : { config: v.config }),
  });
};

/**
 * Parses the arguments of the `ddpm-scheduler` command line (without `node` and the script): a command,
 * `schedule` or `demo`, and its options, with `node:util`'s `parseArgs`. No arguments, `help`,
 * `--help` or `-h` give the usage text. Unknown commands and options, missing values and values out
 * of range come back as `InvalidOption` errors that name the option, the value and what is allowed.
 *
 * @example
 * ```ts
 * parseCli(['schedule', '--steps', '10', '--format', 'json']);
 * // right({ command: 'schedule', steps: 10, format: 'json', betaSchedules: ['linear'], ... })
 * parseCli(['schedule', '--steps', 'ten']);
 * // left: '--steps: received "ten"; allowed: an integer >= 1'
 * ```
 */
export const parseCli = (argv: ReadonlyArray<string>): E.Either<SchedulerError, CliCommand> => {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return E.right({ command: 'help', text: USAGE });
  if (command === 'schedule') return parseSchedule(rest);
  if (command === 'demo') return parseDemo(rest);
  return invalid('command', command, 'schedule or demo (see --help)');
};
