import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError } from 'ddpm-scheduler';
import { main } from './main.js';

const run = async (argv: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { stdout: (s) => out.push(s), stderr: (s) => err.push(s) });
  return { code, stdout: out.join(''), stderr: err.join('') };
};

describe('main', () => {
  it('prints the usage and exits 0 for --help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: ddpm-scheduler <command> [options]');
  });

  it('prints the version it is given for --version, and fails without one', async () => {
    const out: string[] = [];
    expect(await main(['--version'], { stdout: (s) => out.push(s), stderr: () => undefined, version: '1.2.3' })).toBe(0);
    expect(out).toEqual(['1.2.3\n']);
    expect((await run(['--version'])).code).toBe(1);
  });

  it('exits 2 with the option, the value and a pointer to --help for bad arguments', async () => {
    const r = await run(['schedule', '--format', 'png']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('ddpm-scheduler: --format: received "png"; allowed: one of table, json, svg\nRun ddpm-scheduler --help for the commands and options.\n');
  });

  it('exits 1 when the command fails', async () => {
    const r = await run(['schedule', '--beta-end', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('betaEnd: received 2');
  });

  it('prints the default schedule as JSON', async () => {
    const r = await run(['schedule', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).schedules[0].rows[999].t).toBe(999);
  });

  it('needs a model folder for the network demo, and says how to get ONNX Runtime when it cannot load', async () => {
    const none = await run(['demo', '--steps', '2']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--model: received nothing');
    const err: string[] = [];
    const code = await main(['demo', '--steps', '2', '--model', 'm'], {
      stdout: () => undefined,
      stderr: (s) => err.push(s),
      loadOrt: async () => E.left(schedulerError('IoError', 'onnxruntime-node', 'not installed', 'onnxruntime-node installed')),
    });
    expect(code).toBe(1);
    expect(err.join('')).toContain('onnxruntime-node: received "not installed"');
  });

  it('runs the exact demo and names the files it wrote and the quality figure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ddpm-main-'));
    try {
      const r = await run(['demo', '--exact', '--steps', '10', '--samples', '2', '--out', dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`wrote ${join(dir, 'samples.png')}`);
      expect(r.stdout).toContain(`wrote ${join(dir, 'trajectory.png')}`);
      expect(r.stdout).toContain(`wrote ${join(dir, 'schedule.svg')}`);
      expect(r.stdout).toMatch(/quality: mean RMS distance to the nearest training glyph \d/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
