import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { createScheduler } from '../scheduler/index.js';
import { loadScheduler } from './loadScheduler.js';
import { saveScheduler } from './saveScheduler.js';

describe('saveScheduler', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ddpm-save-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes scheduler_config.json that loads back to the same config', async () => {
    const s = unwrap(createScheduler({ predictionType: 'v_prediction', rescaleBetasZeroSnr: true, timestepSpacing: 'trailing' }));
    const written = await saveScheduler(join(dir, 'model', 'scheduler'), s);
    expect(E.isRight(written) && written.right).toBe(join(dir, 'model', 'scheduler', 'scheduler_config.json'));
    const text = readFileSync(join(dir, 'model', 'scheduler', 'scheduler_config.json'), 'utf8');
    expect(JSON.parse(text)._class_name).toBe('DDPMScheduler');
    const back = await loadScheduler(join(dir, 'model'));
    expect(E.isRight(back) && back.right.config).toEqual(s.config);
  });

  it('names the folder when it cannot write', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'not a folder');
    const r = await saveScheduler(join(blocker, 'sub'), unwrap(createScheduler()));
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'IoError', parameter: 'dir' });
  });

  it("refuses a value that is not a scheduler, naming 'scheduler', and creates no folder", async () => {
    const target = join(dir, 'not-made');
    for (const fake of [null, {}, { _tag: 'DDPMScheduler' }]) {
      const r = await saveScheduler(target, fake as never);
      expect(E.isLeft(r) && r.left.parameter).toBe('scheduler');
    }
    expect(existsSync(target)).toBe(false);
  });

  it("refuses a dir that is not a path, naming 'dir'", async () => {
    const s = unwrap(createScheduler());
    for (const bad of [null, 5, '']) {
      const r = await saveScheduler(bad as never, s);
      expect(E.isLeft(r) && [r.left._tag, r.left.parameter]).toEqual(['InvalidOption', 'dir']);
    }
  });
});
