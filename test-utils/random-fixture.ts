import { readFixture } from './fixtures.js';

/**
 * One call of a recorded sequence in fixtures/torch/<capability>/random.json, recorded from real torch
 * by scripts/fixtures/torch_random.py.
 */
export interface RandomFixtureCall {
  readonly op: 'rand' | 'randn';
  readonly shape: number[];
  readonly numel: number;
  /** Every value, or for large calls the values at `indices`. */
  readonly values: number[];
  readonly indices?: number[];
  /** For large calls: the SHA-256 of all the values' little-endian float32 bytes. */
  readonly sha256?: string;
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
  readonly torchVersion: string;
  readonly atenCpuCapability: string;
  readonly cases: RandomFixtureCase[];
}

/** The torch builds recorded: the default build's kernels and the AVX2 build's. */
export type RecordedCapability = 'default' | 'avx2';

/**
 * The golden values of the random layer, from real torch running `capability`'s kernels. The AVX512
 * build's randn is the default build's scalar loop (there is no AVX512 kernel for it), so 'default'
 * also stands for 'avx512'.
 */
export const readRandomFixture = (capability: RecordedCapability): RandomFixture =>
  readFixture<RandomFixture>(`torch/${capability}/random.json`);
