import { parseArgs } from 'node:util';
import * as E from 'fp-ts/lib/Either.js';
import {
  BETA_SCHEDULES,
  CPU_CAPABILITIES,
  PREDICTION_TYPES,
  schedulerError,
  TIMESTEP_SPACINGS,
  type BetaSchedule,
  type CpuCapability,
  type PredictionType,
  type SchedulerError,
  type TimestepSpacing,
} from 'ddpm-scheduler';

/** The formats of `ddpm-scheduler schedule`. */
export const SCHEDULE_FORMATS = Object.freeze(['table', 'json', 'svg'] as const);
/** One of {@link SCHEDULE_FORMATS}. */
export type ScheduleFormat = (typeof SCHEDULE_FORMATS)[number];

/**
 * One schedule made from flags: a `--beta-schedule` with the flags written after it (before the next
 * `--beta-schedule`), over the flags written before the first one, over diffusers' defaults.
 */
export interface FlagSchedule {
  readonly betaSchedule: BetaSchedule;
  readonly betaStart?: number;
  readonly betaEnd?: number;
  readonly numTrainTimesteps?: number;
  readonly rescaleZeroSnr: boolean;
}

/** `ddpm-scheduler schedule ...`, parsed. */
export interface ScheduleCommand {
  readonly command: 'schedule';
  /** scheduler_config.json files (or folders holding one), one schedule each. */
  readonly configs: ReadonlyArray<string>;
  /** Schedules made from the flags, one per --beta-schedule; empty when only --config was given. */
  readonly schedules: ReadonlyArray<FlagSchedule>;
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
  /** `--exact`: sample the exact denoiser of the glyph set instead of the trained network. */
  readonly exact: boolean;
  /** `--model`: the network's folder (default: the package's models/digits). */
  readonly model?: string;
  /** `--prediction-type`: the target the network's epsilon is converted to (network demo only). */
  readonly predictionType?: PredictionType;
  /** `--cpu-capability`: the torch CPU flavor of the noise (default the library's, avx512). */
  readonly cpuCapability?: CpuCapability;
}

/** `--help`, or no command at all: the text to print. */
export interface HelpCommand {
  readonly command: 'help';
  readonly text: string;
}

/** `--version`: print the command line's version. */
export interface VersionCommand {
  readonly command: 'version';
}

/** What {@link parseCli} makes of the arguments. */
export type CliCommand = ScheduleCommand | DemoCommand | HelpCommand | VersionCommand;

/** The most samples the demo draws: the grid of samples.png is then 32 rows of 8 (about 20 s at 1000 steps). */
export const MAX_SAMPLES = 256;
/** The most inference steps `--steps` takes (a schedule's T bounds it too: setTimesteps refuses more than T). */
export const MAX_STEPS = 10_000;

/** The text of `ddpm-scheduler --help`. */
export const USAGE = `Usage: ddpm-scheduler <command> [options]

Commands:
  schedule   print t, beta, alphaBar, SNR and log-SNR per timestep of one or several schedules
  demo       sample 16x16 digits from the trained network (ONNX Runtime) or, with --exact, the exact
             denoiser of the glyph set; write PNG grids, an SVG of the schedule and a report

schedule options:
  --config <file>             a diffusers scheduler_config.json (or a folder holding one); repeat to compare
  --beta-schedule <name>      ${BETA_SCHEDULES.join(' | ')}; repeat to compare (default linear)
  --beta-start <x>            first beta (default 0.0001)
  --beta-end <x>              last beta (default 0.02)
  --num-train-timesteps <n>   training timesteps T (default 1000)
  --rescale-zero-snr          rescale the betas to zero terminal SNR
                              (these four apply to the --beta-schedule they follow; written before
                              the first --beta-schedule, to every one)
  --steps <n>                 show the n inference timesteps instead of all T (at most ${MAX_STEPS}, and T)
  --spacing <s>               ${TIMESTEP_SPACINGS.join(' | ')} (default: the config's, leading)
  --steps-offset <n>          offset added to leading timesteps (default: the config's, 0)
  --format <f>                ${SCHEDULE_FORMATS.join(' | ')} (default table); svg plots log-SNR and alphaBar

demo options:
  --steps <n>                 inference steps (default 1000; at most ${MAX_STEPS}, and T)
  --spacing <s>               ${TIMESTEP_SPACINGS.join(' | ')} (default: the config's)
  --seed <n>                  torch.manual_seed of the noise (default 0)
  --out <dir>                 where to write the pictures (default demo-output)
  --samples <n>               how many samples (default 64, at most ${MAX_SAMPLES})
  --config <file>             a scheduler_config.json to sample with (default: the model's; with
                              --exact, diffusers' defaults)
  --model <dir>               the network's folder: unet.onnx, classifier.onnx, scheduler_config.json,
                              train-images.png (default: the one this package ships)
  --prediction-type <p>       ${PREDICTION_TYPES.join(' | ')}: convert the network's epsilon to this
                              target and sample with a scheduler of that type (default epsilon)
  --cpu-capability <c>        ${CPU_CAPABILITIES.join(' | ')}: the torch CPU build whose randn to
                              reproduce (default avx512)
  --exact                     the exact denoiser of the 30-glyph set instead of the network

  -h, --help                  show this text
  -v, --version               print the version
`;

const invalid = (parameter: string, received: unknown, allowed: string, detail?: string): E.Either<SchedulerError, never> =>
  E.left(schedulerError('InvalidOption', parameter, received, allowed, detail));

const integer = (name: string, value: string | undefined, min: number, max?: number): E.Either<SchedulerError, number | undefined> => {
  if (value === undefined) return E.right(undefined);
  const n = Number(value);
  const allowed = max === undefined ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return /^\s*[-+]?\d+\s*$/.test(value) && Number.isSafeInteger(n) && n >= min && (max === undefined || n <= max)
    ? E.right(n)
    : invalid(`--${name}`, value, allowed);
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
  model: { type: 'string' },
  'prediction-type': { type: 'string' },
  'cpu-capability': { type: 'string' },
  exact: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

// parseArgs reads `--seed -1` as two options; a string option followed by a negative number takes it as
// its value, as `--seed=-1` does.
const joinNegativeValues = (args: ReadonlyArray<string>, options: Readonly<Record<string, { readonly type: string }>>): string[] => {
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const next = args[i + 1];
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else {
      joined.push(arg);
    }
  }
  return joined;
};

// parseArgs throws on unknown options and missing values; turn that into an error value naming the option.
const parse = <O extends typeof SCHEDULE_OPTIONS | typeof DEMO_OPTIONS>(command: string, args: ReadonlyArray<string>, options: O) => {
  try {
    return E.right(parseArgs({ args: joinNegativeValues(args, options), options, strict: true, allowPositionals: false, tokens: true }));
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return invalid(command, args.join(' '), `the options listed by --help`, message);
  }
};

/** The flags one schedule is made from, as written (checked afterwards). */
interface FlagsText {
  betaSchedule?: string;
  'beta-start'?: string;
  'beta-end'?: string;
  'num-train-timesteps'?: string;
  'rescale-zero-snr'?: boolean;
}
const SCHEDULE_FLAGS = ['beta-start', 'beta-end', 'num-train-timesteps', 'rescale-zero-snr'] as const;

const flagSchedule = (shared: FlagsText, own: FlagsText): E.Either<SchedulerError, FlagSchedule> => {
  const text: FlagsText = { ...shared, ...own };
  const betaSchedule = oneOf('beta-schedule', text.betaSchedule ?? 'linear', BETA_SCHEDULES);
  const betaStart = real('beta-start', text['beta-start']);
  const betaEnd = real('beta-end', text['beta-end']);
  const numTrainTimesteps = integer('num-train-timesteps', text['num-train-timesteps'], 1);
  if (E.isLeft(betaSchedule)) return betaSchedule;
  if (E.isLeft(betaStart)) return betaStart;
  if (E.isLeft(betaEnd)) return betaEnd;
  if (E.isLeft(numTrainTimesteps)) return numTrainTimesteps;
  return E.right({
    betaSchedule: betaSchedule.right as BetaSchedule,
    rescaleZeroSnr: text['rescale-zero-snr'] === true,
    ...(betaStart.right === undefined ? {} : { betaStart: betaStart.right }),
    ...(betaEnd.right === undefined ? {} : { betaEnd: betaEnd.right }),
    ...(numTrainTimesteps.right === undefined ? {} : { numTrainTimesteps: numTrainTimesteps.right }),
  });
};

const parseSchedule = (args: ReadonlyArray<string>): E.Either<SchedulerError, CliCommand> => {
  const parsed = parse('schedule', args, SCHEDULE_OPTIONS);
  if (E.isLeft(parsed)) return parsed;
  const v = parsed.right.values;
  if (v.help === true) return E.right({ command: 'help', text: USAGE });
  // In the order written: the schedule flags before the first --beta-schedule are shared, the later ones
  // belong to the --beta-schedule they follow.
  const shared: FlagsText = {};
  const own: FlagsText[] = [];
  for (const token of parsed.right.tokens) {
    if (token.kind !== 'option') continue;
    if (token.name === 'beta-schedule') {
      own.push({ betaSchedule: token.value as string });
    } else if ((SCHEDULE_FLAGS as ReadonlyArray<string>).includes(token.name)) {
      const target = own[own.length - 1] ?? shared;
      (target as Record<string, unknown>)[token.name] = token.name === 'rescale-zero-snr' ? true : token.value;
    }
  }
  const configs = v.config ?? [];
  // schedule flags without a --beta-schedule make one linear schedule; --config alone makes none
  const flagged = Object.keys(shared).length > 0;
  const texts = own.length > 0 ? own : configs.length === 0 || flagged ? [{}] : [];
  const schedules: FlagSchedule[] = [];
  for (const text of texts) {
    const made = flagSchedule(shared, text);
    if (E.isLeft(made)) return made;
    schedules.push(made.right);
  }
  const steps = integer('steps', v.steps, 1, MAX_STEPS);
  const stepsOffset = integer('steps-offset', v['steps-offset'], 0);
  const spacing = oneOf('spacing', v.spacing, TIMESTEP_SPACINGS);
  const format = oneOf('format', v.format, SCHEDULE_FORMATS);
  if (E.isLeft(steps)) return steps;
  if (E.isLeft(stepsOffset)) return stepsOffset;
  if (E.isLeft(spacing)) return spacing;
  if (E.isLeft(format)) return format;
  return E.right({
    command: 'schedule',
    configs,
    schedules,
    format: format.right ?? 'table',
    ...(steps.right === undefined ? {} : { steps: steps.right }),
    ...(stepsOffset.right === undefined ? {} : { stepsOffset: stepsOffset.right }),
    ...(spacing.right === undefined ? {} : { spacing: spacing.right }),
  });
};

const parseDemo = (args: ReadonlyArray<string>): E.Either<SchedulerError, CliCommand> => {
  const parsed = parse('demo', args, DEMO_OPTIONS);
  if (E.isLeft(parsed)) return parsed;
  const v = parsed.right.values;
  if (v.help === true) return E.right({ command: 'help', text: USAGE });
  const steps = integer('steps', v.steps, 1, MAX_STEPS);
  const samples = integer('samples', v.samples, 1, MAX_SAMPLES);
  const spacing = oneOf('spacing', v.spacing, TIMESTEP_SPACINGS);
  const predictionType = oneOf('prediction-type', v['prediction-type'], PREDICTION_TYPES);
  const cpuCapability = oneOf('cpu-capability', v['cpu-capability'], CPU_CAPABILITIES);
  if (E.isLeft(steps)) return steps;
  if (E.isLeft(samples)) return samples;
  if (E.isLeft(spacing)) return spacing;
  if (E.isLeft(predictionType)) return predictionType;
  if (E.isLeft(cpuCapability)) return cpuCapability;
  const exact = v.exact === true;
  if (exact && v.model !== undefined) return invalid('--model', v.model, 'no --model with --exact (the exact denoiser has no network)');
  if (exact && predictionType.right !== undefined)
    return invalid('--prediction-type', predictionType.right, 'no --prediction-type with --exact (the exact denoiser predicts epsilon)');
  if (v.model !== undefined && v.model.trim() === '') return invalid('--model', v.model, 'a model folder');
  const seedText = v.seed ?? '0';
  if (!/^-?\d+$/.test(seedText.trim())) return invalid('--seed', seedText, 'an integer, as torch.manual_seed takes');
  if (v.out !== undefined && v.out.trim() === '') return invalid('--out', v.out, 'a folder to write into');
  return E.right({
    command: 'demo',
    steps: steps.right ?? 1000,
    samples: samples.right ?? 64,
    seed: BigInt(seedText.trim()),
    out: v.out ?? 'demo-output',
    exact,
    ...(spacing.right === undefined ? {} : { spacing: spacing.right }),
    ...(v.config === undefined ? {} : { config: v.config }),
    ...(v.model === undefined ? {} : { model: v.model }),
    ...(predictionType.right === undefined ? {} : { predictionType: predictionType.right }),
    ...(cpuCapability.right === undefined ? {} : { cpuCapability: cpuCapability.right }),
  });
};

/**
 * Parses the arguments of the `ddpm-scheduler` command line (without `node` and the script): a command,
 * `schedule` or `demo`, and its options, with `node:util`'s `parseArgs` (a negative number may follow
 * its option: `--seed -1`). No arguments, `help`, `--help` or `-h` give the usage text; `--version` or
 * `-v` the version command. Unknown commands and options, missing values and values out
 * of range come back as `InvalidOption` errors that name the option, the value and what is allowed.
 *
 * @example
 * ```ts
 * parseCli(['schedule', '--steps', '10', '--format', 'json']);
 * // right({ command: 'schedule', steps: 10, format: 'json', schedules: [{ betaSchedule: 'linear', rescaleZeroSnr: false }], ... })
 * parseCli(['schedule', '--steps', 'ten']);
 * // left: '--steps: received "ten"; allowed: an integer from 1 to 10000'
 * ```
 */
export const parseCli = (argv: ReadonlyArray<string>): E.Either<SchedulerError, CliCommand> => {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return E.right({ command: 'help', text: USAGE });
  if (command === '--version' || command === '-v') return rest.length === 0 ? E.right({ command: 'version' }) : invalid('--version', rest.join(' '), 'no other arguments');
  if (command === 'schedule') return parseSchedule(rest);
  if (command === 'demo') return parseDemo(rest);
  return invalid('command', command, 'schedule or demo (see --help)');
};
