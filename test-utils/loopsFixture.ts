import type { DDPMConfig } from '../src/scheduler/index.js';
import { readFixture } from './fixtures.js';

/** One seeded loop of fixtures/loops.json (scripts/fixtures/loops.py): its config, seed, steps and results. */
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

/** Whether a config's variance type needs the model's variance channels. */
export const learnsVariance = (c: Partial<DDPMConfig>): boolean => c.varianceType === 'learned' || c.varianceType === 'learned_range';
