import { readFixture } from './fixtures.js';

/** One call of a recorded sequence in fixtures/random.json (made by scripts/fixtures/random.py). */
export interface RandomFixtureCall {
  readonly op: 'rand' | 'randn';
  readonly shape: number[];
  readonly numel: number;
  /** Every value, or for large calls the values at `indices`. */
  readonly values: number[];
  readonly indices?: number[];
  readonly sum?: number;
  readonly sumOfSquares?: number;
}

/** A sequence of calls on one freshly seeded generator, and the generator state it ends in. */
export interface RandomFixtureCase {
  readonly name: string;
  /** The seed as given to torch.manual_seed, in decimal (may be negative or beyond 2^53). */
  readonly seed: string;
  readonly calls: RandomFixtureCall[];
  readonly final: {
    readonly index: number;
    readonly cachedNormal: number | null;
    readonly wordsSha256: string;
    readonly word0: number;
  };
}

export interface RandomFixture {
  readonly floatLibmSpreadUlp: number;
  readonly cases: RandomFixtureCase[];
}

/** The golden values of the random layer. */
export const readRandomFixture = (): RandomFixture => readFixture<RandomFixture>('random.json');
