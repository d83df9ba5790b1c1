import type { DDPMConfig } from '../src/scheduler/index.js';
import { readFixture } from './fixtures.js';

/**
 * One seeded loop of fixtures/loops.json (scripts/fixtures/loops.py, the numpy transcription): its config,
 * seed, steps and results. The parity tests compare with torch's own loops (torchLoops in
 * test-utils/torchFixtures.ts); these configs remain the workload of src/kernels/crossBackend.test.ts,
 * which compares the two backends with each other.
 */
export interface LoopCase {
  readonly name: string;
  readonly config: Partial<DDPMConfig>;
  readonly seed: string;
  readonly steps: number;
  readonly modelShift: number;
  readonly timesteps: ReadonlyArray<number>;
  readonly absSums: ReadonlyArray<number>;
  readonly final: ReadonlyArray<number>;
}

/** The seeded loops of fixtures/loops.json. */
export const readLoops = (): ReadonlyArray<LoopCase> => readFixture<{ loops: ReadonlyArray<LoopCase> }>('loops.json').loops;

/** Whether a config's variance type needs the model's variance channels (one definition, in torchFixtures.ts). */
export { learnsVariance } from './torchFixtures.js';
