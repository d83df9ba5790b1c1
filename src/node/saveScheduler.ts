import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { isDDPMScheduler, notAScheduler, type DDPMScheduler } from '../scheduler/scheduler.js';
import { toDiffusersConfig } from '../scheduler/toDiffusersConfig.js';
import { SCHEDULER_CONFIG_NAME } from './loadScheduler.js';

/**
 * Writes the scheduler's config as `<dir>/scheduler_config.json` (diffusers' format, two-space indented),
 * creating `dir` when needed, and returns the file's path. A folder that cannot be made or a file that
 * cannot be written is an `IoError` naming the path.
 *
 * @example
 * ```ts
 * import { saveScheduler } from 'ddpm-scheduler/node';
 * await saveScheduler('out/scheduler', scheduler); // Right('out/scheduler/scheduler_config.json')
 * ```
 */
export const saveScheduler = async (dir: string, s: DDPMScheduler): Promise<E.Either<SchedulerError, string>> => {
  // both arguments are checked before anything is created on disk
  if (!isDDPMScheduler(s)) return E.left(notAScheduler(s));
  if (typeof dir !== 'string' || dir === '') return E.left(schedulerError('InvalidOption', 'dir', dir, 'a folder path (a non-empty string)'));
  const file = join(dir, SCHEDULER_CONFIG_NAME);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(file, `${JSON.stringify(toDiffusersConfig(s), null, 2)}\n`, 'utf8');
    return E.right(file);
  } catch (cause) {
    return E.left(schedulerError('IoError', 'dir', dir, 'a folder that can be created and written', (cause as Error).message));
  }
};
