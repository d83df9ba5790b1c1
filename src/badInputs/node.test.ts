import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { left, runBadInputs, type BadInput } from '../../test-utils/badInputs.js';
import { loadScheduler, resolveSchedulerConfigPath, saveScheduler } from '../node/index.js';
import { createScheduler } from '../scheduler/index.js';

// The Node conveniences over hostile files and arguments: every bad input is a typed error naming the
// parameter, and nothing is created on disk for a bad argument.

const dir = mkdtempSync(join(tmpdir(), 'ddpm-bad-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const s = unwrap(createScheduler());
const empty = join(dir, 'empty');
mkdirSync(empty);
const asFolder = join(dir, 'folder-named-config');
mkdirSync(join(asFolder, 'scheduler_config.json'), { recursive: true });

const rows: ReadonlyArray<BadInput> = [
  left('loadScheduler a file that is not JSON', () => loadScheduler(file('text.json', 'num_train_timesteps = 1000')), 'IoError', 'path'),
  left('loadScheduler an empty file', () => loadScheduler(file('empty.json', '')), 'IoError', 'path'),
  left('loadScheduler a JSON array', () => loadScheduler(file('array.json', '[1, 2]')), 'InvalidConfig', 'scheduler_config'),
  left('loadScheduler a JSON null', () => loadScheduler(file('null.json', 'null')), 'InvalidConfig', 'scheduler_config'),
  left('loadScheduler a huge number', () => loadScheduler(file('huge.json', '{"num_train_timesteps": 1e400}')), 'InvalidNumber', 'numTrainTimesteps'),
  left('loadScheduler a __proto__ key', () => loadScheduler(file('proto.json', '{"__proto__": {"beta_end": 5}, "beta_end": 5}')), 'InvalidBetas', 'betaEnd'),
  left('loadScheduler a deeply nested value', () => loadScheduler(file('deep.json', `{"trained_betas": ${'['.repeat(10000)}${']'.repeat(10000)}}`)), 'InvalidBetas', 'trained_betas[0]'),
  left('loadScheduler a missing file', () => loadScheduler(join(dir, 'missing.json')), 'IoError', 'path'),
  left('loadScheduler a folder without a config', () => loadScheduler(empty), 'IoError', 'path'),
  left('loadScheduler a folder whose scheduler_config.json is a folder', () => loadScheduler(asFolder), 'IoError', 'path'),
  left('loadScheduler a path that is not a string', () => loadScheduler(42 as never), 'IoError', 'path'),
  left('loadScheduler null', () => loadScheduler(null as never), 'IoError', 'path'),
  left('resolveSchedulerConfigPath a missing folder', () => resolveSchedulerConfigPath(join(dir, 'nowhere')), 'IoError', 'path'),
  left('saveScheduler a null scheduler', () => saveScheduler(join(dir, 'out-null'), null as never), 'InvalidConfig', 'scheduler'),
  left('saveScheduler a copy of a scheduler', () => saveScheduler(join(dir, 'out-copy'), { ...s } as never), 'InvalidConfig', 'scheduler'),
  left('saveScheduler dir null', () => saveScheduler(null as never, s), 'InvalidOption', 'dir'),
  left('saveScheduler dir empty', () => saveScheduler('', s), 'InvalidOption', 'dir'),
  left('saveScheduler dir a file', () => saveScheduler(file('a-file', 'x'), s), 'IoError', 'dir'),
];

runBadInputs('loadScheduler and saveScheduler: every bad input is a typed error naming the parameter', rows);

it('a refused saveScheduler creates no folder', () => {
  expect(existsSync(join(dir, 'out-null'))).toBe(false);
  expect(existsSync(join(dir, 'out-copy'))).toBe(false);
});
