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
    expect(parseCli(['schedule'])).toEqual(E.right({ command: 'schedule', configs: [], betaSchedules: ['linear'], rescaleZeroSnr: false, format: 'table' }));
  });

  it('reads every schedule option, repeated configs and schedules', () => {
    const r = parseCli([
      'schedule', '--config', 'a.json', '--config', 'b', '--beta-schedule', 'linear', '--beta-schedule', 'squaredcos_cap_v2',
      '--beta-start', '0.00085', '--beta-end', '0.012', '--num-train-timesteps', '500', '--rescale-zero-snr',
      '--steps', '20', '--spacing', 'trailing', '--steps-offset', '1', '--format', 'svg',
    ]);
    expect(r).toEqual(
      E.right({
        command: 'schedule', configs: ['a.json', 'b'], betaSchedules: ['linear', 'squaredcos_cap_v2'], betaStart: 0.00085, betaEnd: 0.012,
        numTrainTimesteps: 500, rescaleZeroSnr: true, steps: 20, spacing: 'trailing', stepsOffset: 1, format: 'svg',
      }),
    );
  });

  it('makes no flag schedule when only configs are given', () => {
    const r = parseCli(['schedule', '--config', 'a.json']);
    expect(E.isRight(r) && r.right.command === 'schedule' && r.right.betaSchedules).toEqual([]);
  });

  it('reads demo with its defaults and options', () => {
    expect(parseCli(['demo'])).toEqual(E.right({ command: 'demo', steps: 1000, samples: 32, seed: 0n, out: 'demo-output' }));
    expect(parseCli(['demo', '--steps', '50', '--spacing', 'linspace', '--seed=-3', '--out', 'x', '--config', 'c.json', '--samples', '4'])).toEqual(
      E.right({ command: 'demo', steps: 50, spacing: 'linspace', seed: -3n, out: 'x', config: 'c.json', samples: 4 }),
    );
    const big = parseCli(['demo', '--seed', '18446744073709551615']);
    expect(E.isRight(big) && big.right.command === 'demo' && big.right.seed).toBe(18446744073709551615n);
  });

  it('names the option, the value and what is allowed for bad values', () => {
    expect(left(['schedule', '--steps', 'ten']).message).toBe('--steps: received "ten"; allowed: an integer >= 1');
    expect(left(['schedule', '--steps', '0']).message).toBe('--steps: received "0"; allowed: an integer >= 1');
    expect(left(['schedule', '--steps', '2.5']).parameter).toBe('--steps');
    expect(left(['schedule', '--format', 'png']).message).toBe('--format: received "png"; allowed: one of table, json, svg');
    expect(left(['schedule', '--spacing', 'even']).message).toBe('--spacing: received "even"; allowed: one of leading, trailing, linspace');
    expect(left(['schedule', '--beta-schedule', 'cosine']).message).toContain('squaredcos_cap_v2');
    expect(left(['schedule', '--beta-end', 'x']).message).toBe('--beta-end: received "x"; allowed: a finite number, e.g. 0.0001');
    expect(left(['demo', '--seed', '1.5']).message).toBe('--seed: received "1.5"; allowed: an integer, as torch.manual_seed takes');
    expect(left(['demo', '--samples=0']).parameter).toBe('--samples');
    expect(left(['demo', '--out', '']).parameter).toBe('--out');
  });

  it('refuses unknown commands, unknown options, missing values and positionals', () => {
    expect(left(['sample']).message).toBe('command: received "sample"; allowed: schedule or demo (see --help)');
    expect(left(['schedule', '--colour', 'red']).message).toContain("Unknown option '--colour'");
    expect(left(['demo', '--steps']).message).toContain('--steps');
    expect(left(['schedule', 'extra'])._tag).toBe('InvalidOption');
  });
});
