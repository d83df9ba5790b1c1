import { readFixture } from './fixtures.js';

/**
 * One half of a sweep's blocks: the k of u = k 2^-24 in lane j of block t (i = 8 t + j): `'i'` is i
 * itself, `'mix'` an affine scramble of i modulo 2^24, a number is that k in every lane.
 */
export type Half = 'i' | 'mix' | number;

/** One exhaustive sweep of fixtures/torch-avx2-normal.json and torch's SHA-256 of its outputs. */
export interface Sweep {
  readonly name: string;
  readonly first: Half;
  readonly second: Half;
  readonly sha256: string;
}

/** fixtures/torch-avx2-normal.json (scripts/fixtures/torch_avx2_normal.py, real torch 1.13.1 on AVX2). */
export interface Avx2NormalFixture {
  readonly sweepBlocks: number;
  readonly mix: { readonly multiplier: number; readonly increment: number };
  readonly powerOfTwoRadius: { readonly k1: number; readonly radius: number };
  readonly sweeps: readonly Sweep[];
}

export const readAvx2NormalFixture = (): Avx2NormalFixture => readFixture<Avx2NormalFixture>('torch-avx2-normal.json');

const { imul } = Math;

/** The k of lane i for a half of a sweep, with the fixture's scramble. */
export const kOf = (fixture: Avx2NormalFixture, half: Half, i: number): number =>
  half === 'i' ? i : half === 'mix' ? (imul(i, fixture.mix.multiplier) + fixture.mix.increment) & 0xffffff : half;
