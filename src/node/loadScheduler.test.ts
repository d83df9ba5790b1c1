import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { loadScheduler, resolveSchedulerConfigPath } from './loadScheduler.js';

describe('loadScheduler', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ddpm-load-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const config = { _class_name: 'DDPMScheduler', beta_schedule: 'scaled_linear', beta_start: 0.00085, beta_end: 0.012, steps_offset: 1 };

  it('reads a scheduler_config.json file', async () => {
    const file = join(dir, 'scheduler_config.json');
    writeFileSync(file, JSON.stringify(config));
    const s = await loadScheduler(file);
    expect(E.isRight(s) && s.right.config.betaSchedule).toBe('scaled_linear');
  });

  it('reads the config in a folder, and in a model folder’s scheduler/ subfolder', async () => {
    mkdirSync(join(dir, 'scheduler'));
    writeFileSync(join(dir, 'scheduler', 'scheduler_config.json'), JSON.stringify(config));
    const fromModel = await loadScheduler(dir);
    expect(E.isRight(fromModel) && fromModel.right.config.stepsOffset).toBe(1);
    const fromFolder = await loadScheduler(join(dir, 'scheduler'));
    expect(E.isRight(fromFolder) && fromFolder.right.config.stepsOffset).toBe(1);
    const path = await resolveSchedulerConfigPath(dir);
    expect(E.isRight(path) && path.right).toBe(join(dir, 'scheduler', 'scheduler_config.json'));
  });

  it('names the path when nothing is there', async () => {
    const r = await loadScheduler(join(dir, 'missing'));
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'IoError', parameter: 'path', received: join(dir, 'missing') });
    const empty = await loadScheduler(dir);
    expect(E.isLeft(empty) && empty.left._tag).toBe('IoError');
  });

  it('names the file when its JSON is bad', async () => {
    const file = join(dir, 'scheduler_config.json');
    writeFileSync(file, '{ "beta_end": ');
    const r = await loadScheduler(file);
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'IoError', received: file });
    expect(E.isLeft(r) && r.left.message).toContain('valid JSON');
  });

  it("returns the config's own problems as fromDiffusersConfig reports them", async () => {
    const file = join(dir, 'scheduler_config.json');
    writeFileSync(file, JSON.stringify({ beta_end: 2 }));
    const r = await loadScheduler(file);
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidBetas', parameter: 'betaEnd' });
  });
});
