import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import { fromDiffusersConfig } from '../scheduler/fromDiffusersConfig.js';
import type { DDPMScheduler } from '../scheduler/scheduler.js';

/** The file name diffusers gives a scheduler's config. */
export const SCHEDULER_CONFIG_NAME = 'scheduler_config.json';

const isDirectory = async (path: string): Promise<boolean> => {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
};

const isFile = async (path: string): Promise<boolean> => {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
};

/**
 * Finds the config file that `path` stands for: the file itself, `scheduler_config.json` in a
 * directory, or in the `scheduler/` subfolder of a model folder (as diffusers'
 * `from_pretrained(path, subfolder="scheduler")` reads it).
 */
export const resolveSchedulerConfigPath = async (path: string): Promise<E.Either<SchedulerError, string>> => {
  if (!(await isDirectory(path))) {
    return (await isFile(path))
      ? E.right(path)
      : E.left(schedulerError('IoError', 'path', path, `a ${SCHEDULER_CONFIG_NAME} file or a folder holding one`, 'no such file or folder'));
  }
  for (const candidate of [join(path, SCHEDULER_CONFIG_NAME), join(path, 'scheduler', SCHEDULER_CONFIG_NAME)]) {
    if (await isFile(candidate)) return E.right(candidate);
  }
  return E.left(
    schedulerError('IoError', 'path', path, `a folder with ${SCHEDULER_CONFIG_NAME} or scheduler/${SCHEDULER_CONFIG_NAME}`, 'neither file exists'),
  );
};

/**
 * Reads a diffusers `scheduler_config.json` from a file, a directory, or a model folder's `scheduler/`
 * subfolder, and makes the scheduler from it. An unreadable file or bad JSON is an `IoError` or
 * `InvalidConfig` that names the path; the config's own problems come back as `fromDiffusersConfig`
 * reports them.
 *
 * @example
 * ```ts
 * import { loadScheduler } from 'ddpm-scheduler/node';
 * const s = await loadScheduler('models/stable-diffusion-v1-5'); // reads scheduler/scheduler_config.json
 * ```
 */
export const loadScheduler = async (path: string): Promise<E.Either<SchedulerError, DDPMScheduler>> => {
  const file = await resolveSchedulerConfigPath(path);
  if (E.isLeft(file)) return file;
  let text: string;
  try {
    text = await readFile(file.right, 'utf8');
  } catch (cause) {
    return E.left(schedulerError('IoError', 'path', file.right, 'a readable file', (cause as Error).message));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return E.left(schedulerError('IoError', 'path', file.right, 'a file of valid JSON', (cause as Error).message));
  }
  return fromDiffusersConfig(json);
};
