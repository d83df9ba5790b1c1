import { writeFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from 'ddpm-scheduler';

/**
 * Writes one of a demo's files; an `IoError` naming `--out` (the folder the user chose) when it cannot.
 *
 * @example
 * ```ts
 * await writeDemoFile('demo-output/samples.png', bytes); // right('demo-output/samples.png')
 * ```
 */
export const writeDemoFile = async (path: string, bytes: Uint8Array | string): Promise<E.Either<SchedulerError, string>> => {
  try {
    await writeFile(path, bytes);
    return E.right(path);
  } catch (cause) {
    return E.left(schedulerError('IoError', '--out', path, 'a writable file', (cause as Error).message));
  }
};

/**
 * At most `k` loop indices of `0 .. n - 1`, evenly spread with the first and the last included (every
 * index when `n <= k`): the steps a trajectory picture shows.
 *
 * @example
 * ```ts
 * spreadIndices(50, 9); // [0, 6, 12, 18, 25, 31, 37, 43, 49]
 * ```
 */
export const spreadIndices = (n: number, k: number): ReadonlyArray<number> => {
  const m = Math.min(k, n);
  return m <= 1 ? [0] : Array.from({ length: m }, (_, i) => Math.round((i * (n - 1)) / (m - 1)));
};
