import * as E from 'fp-ts/lib/Either.js';
import { parseCli, USAGE } from './parseCli.js';

const left = (argv: string[]) => {
  const r = parseCli(argv);
  if (E.isRight(r)) throw new Error(`expected an error for ${argv.join(' ')}`);
  return r.left;
};

describe('parseCli', () => {
  it('gives the usage for no arguments, help, --help and -h, also after a command', () => {
    for (const argv of [[], ['help'], ['--help'], ['-h'], ['schedule', '--help'], ['demo', '-h']]) {
      expect(parseCli(argv)).toEqual(E.right({ command: 'help', text: USAGE }));
    }
    expect(USAGE).toContain('schedule');
    expect(USAGE).toContain('--rescale-zero-snr');
  });

  it('reads schedule with its defaults: the linear schedule as a table', () => {
    expect(parseCli(['schedule'])).toEqual(E.right({ command: 'schedule', configs: [], schedules: [{ betaSchedule: 'linear', rescaleZeroSnr: false }], format: 'table' }));
  });

  it('reads every schedule option, repeated configs and schedules; flags before the first --beta-schedule are shared', () => {
    const r = parseCli([
      'schedule', '--config', 'a.json', '--config', 'b', '--num-train-timesteps', '500', '--rescale-zero-snr',
      '--beta-schedule', 'linear', '--beta-schedule', 'squaredcos_cap_v2', '--beta-start', '0.00085', '--beta-end', '0.012',
      '--steps', '20', '--spacing', 'trailing', '--steps-offset', '1', '--format', 'svg',
    ]);
    expect(r).toEqual(
      E.right({
        command: 'schedule', configs: ['a.json', 'b'],
        schedules: [
          { betaSchedule: 'linear', numTrainTimesteps: 500, rescaleZeroSnr: true },
          { betaSchedule: 'squaredcos_cap_v2', numTrainTimesteps: 500, rescaleZeroSnr: true, betaStart: 0.00085, betaEnd: 0.012 },
        ],
        steps: 20, spacing: 'trailing', stepsOffset: 1, format: 'svg',
      }),
    );
  });

  it('gives each --beta-schedule the flags that follow it, so each plotted schedule keeps its own defaults', () => {
    const r = parseCli(['schedule', '--beta-schedule', 'linear', '--beta-schedule', 'squaredcos_cap_v2', '--beta-schedule', 'scaled_linear', '--beta-start', '0.00085', '--beta-end', '0.012', '--rescale-zero-snr']);
    expect(E.isRight(r) && r.right.command === 'schedule' && r.right.schedules).toEqual([
      { betaSchedule: 'linear', rescaleZeroSnr: false },
      { betaSchedule: 'squaredcos_cap_v2', rescaleZeroSnr: false },
      { betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, rescaleZeroSnr: true },
    ]);
    const own = parseCli(['schedule', '--beta-end', '0.03', '--beta-schedule', 'linear', '--beta-schedule', 'linear', '--beta-end', '0.01']);
    expect(E.isRight(own) && own.right.command === 'schedule' && own.right.schedules.map((s) => s.betaEnd)).toEqual([0.03, 0.01]);
  });

  it('makes one linear schedule from flags without --beta-schedule, also beside configs', () => {
    const r = parseCli(['schedule', '--config', 'a.json', '--beta-start', '0.001']);
    expect(E.isRight(r) && r.right.command === 'schedule' && r.right.schedules).toEqual([{ betaSchedule: 'linear', betaStart: 0.001, rescaleZeroSnr: false }]);
  });

  it('reads --version and -v alone', () => {
    expect(parseCli(['--version'])).toEqual(E.right({ command: 'version' }));
    expect(parseCli(['-v'])).toEqual(E.right({ command: 'version' }));
    expect(left(['--version', 'demo']).parameter).toBe('--version');
  });

  it('takes a negative number after its option, as after =', () => {
    expect(E.isRight(parseCli(['demo', '--seed', '-1'])) && (parseCli(['demo', '--seed', '-1']) as E.Right<{ seed: bigint }>).right.seed).toBe(-1n);
    expect(left(['schedule', '--beta-start', '-0.5', '--steps', '-3']).message).toBe('--steps: received "-3"; allowed: an integer from 1 to 10000');
    expect(left(['demo', '--steps', '-.5']).parameter).toBe('--steps');
    // a flag after an option without its value is still a missing value
    expect(left(['demo', '--seed', '--steps', '2']).message).toContain('--seed');
  });

  it('bounds --samples and --steps, naming the bound', () => {
    expect(left(['demo', '--samples', '100000']).message).toBe('--samples: received "100000"; allowed: an integer from 1 to 256');
    expect(left(['demo', '--steps', '10001']).message).toBe('--steps: received "10001"; allowed: an integer from 1 to 10000');
    expect(left(['schedule', '--steps', '10001']).parameter).toBe('--steps');
    expect(E.isRight(parseCli(['demo', '--samples', '256', '--steps', '10000']))).toBe(true);
  });

  it('makes no flag schedule when only configs are given', () => {
    const r = parseCli(['schedule', '--config', 'a.json']);
    expect(E.isRight(r) && r.right.command === 'schedule' && r.right.schedules).toEqual([]);
  });

  it('reads demo with its defaults and options', () => {
    expect(parseCli(['demo'])).toEqual(E.right({ command: 'demo', steps: 1000, samples: 64, seed: 0n, out: 'demo-output', exact: false }));
    expect(parseCli(['demo', '--steps', '50', '--spacing', 'linspace', '--seed=-3', '--out', 'x', '--config', 'c.json', '--samples', '4'])).toEqual(
      E.right({ command: 'demo', steps: 50, spacing: 'linspace', seed: -3n, out: 'x', config: 'c.json', samples: 4, exact: false }),
    );
    expect(parseCli(['demo', '--exact'])).toEqual(E.right({ command: 'demo', steps: 1000, samples: 64, seed: 0n, out: 'demo-output', exact: true }));
    expect(parseCli(['demo', '--model', 'm', '--prediction-type', 'v_prediction', '--cpu-capability', 'avx2'])).toEqual(
      E.right({ command: 'demo', steps: 1000, samples: 64, seed: 0n, out: 'demo-output', exact: false, model: 'm', predictionType: 'v_prediction', cpuCapability: 'avx2' }),
    );
    const big = parseCli(['demo', '--seed', '18446744073709551615']);
    expect(E.isRight(big) && big.right.command === 'demo' && big.right.seed).toBe(18446744073709551615n);
  });

  it('names the option, the value and what is allowed for bad values', () => {
    expect(left(['schedule', '--steps', 'ten']).message).toBe('--steps: received "ten"; allowed: an integer from 1 to 10000');
    expect(left(['schedule', '--steps', '0']).message).toBe('--steps: received "0"; allowed: an integer from 1 to 10000');
    expect(left(['schedule', '--steps', '2.5']).parameter).toBe('--steps');
    expect(left(['schedule', '--format', 'png']).message).toBe('--format: received "png"; allowed: one of table, json, svg');
    expect(left(['schedule', '--spacing', 'even']).message).toBe('--spacing: received "even"; allowed: one of leading, trailing, linspace');
    expect(left(['schedule', '--beta-schedule', 'cosine']).message).toContain('squaredcos_cap_v2');
    expect(left(['schedule', '--beta-end', 'x']).message).toBe('--beta-end: received "x"; allowed: a finite number, e.g. 0.0001');
    expect(left(['demo', '--seed', '1.5']).message).toBe('--seed: received "1.5"; allowed: an integer, as torch.manual_seed takes');
    expect(left(['demo', '--samples=0']).parameter).toBe('--samples');
    expect(left(['demo', '--out', '']).parameter).toBe('--out');
    expect(left(['demo', '--model', ' ']).parameter).toBe('--model');
    expect(left(['demo', '--exact', '--model', 'm']).parameter).toBe('--model');
    expect(left(['demo', '--exact', '--prediction-type', 'sample']).parameter).toBe('--prediction-type');
    expect(left(['demo', '--prediction-type', 'eps']).message).toBe('--prediction-type: received "eps"; allowed: one of epsilon, sample, v_prediction');
    expect(left(['demo', '--cpu-capability', 'neon']).message).toBe('--cpu-capability: received "neon"; allowed: one of default, avx2, avx512');
  });

  it('refuses unknown commands, unknown options, missing values and positionals', () => {
    expect(left(['sample']).message).toBe('command: received "sample"; allowed: schedule or demo (see --help)');
    expect(left(['schedule', '--colour', 'red']).message).toContain("Unknown option '--colour'");
    expect(left(['demo', '--steps']).message).toContain('--steps');
    expect(left(['schedule', 'extra'])._tag).toBe('InvalidOption');
  });
});
