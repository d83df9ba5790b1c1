/**
 * torch.randn's float32 Box-Muller block on the default and AVX512 builds (`normal_fill_16`, the
 * scalar loop): per lane j < 8, `u1 = 1 - u[j]`, `radius = sqrtf(-2 * logf(u1))`,
 * `theta = (float)(2.0 * pi * u[j + 8])` (the constant and the product in double, rounded once),
 * `out[j] = radius * cosf(theta) * std + mean` and `out[j + 8] = radius * sinf(theta) * std + mean`
 * with std 1 and mean 0. `logf`, `cosf` and `sinf` are the C library's: glibc's, reproduced bit for
 * bit by glibcFloat.ts.
 *
 * @module
 */
import { cosf, logf, sinf } from './glibcFloat.js';

// Bound once: a global `Math.*` lookup in a hot loop costs ~800 ns under jest's module wrapper.
const { fround, sqrt } = Math;

// 2.0f * c10::pi<double> is a double (2 pi exactly doubled), and so is its product with the float u2.
const TWO_PI = 2 * Math.PI;
const HALF = 8;

/**
 * Box-Muller in place over the 16 float32 uniforms `out[base .. base + 16)`, as torch's scalar
 * `normal_fill_16` computes it with glibc's float functions.
 *
 * @example
 * ```ts
 * const block = new Float32Array(16).fill(0.25);
 * scalarNormalBlock(block, 0); // block[8] = sqrtf(-2 logf(0.75)) * sinf(pi / 2) ≈ 0.7585
 * ```
 * @internal
 */
export const scalarNormalBlock = (out: Float32Array, base: number): void => {
  const end = base + HALF;
  for (let j = base; j < end; j++) {
    const u1 = 1 - (out[j] as number); // (0, 1] for the log; exact in float32
    // -2 * logf(u1) is exact; sqrt of a float32 in double, rounded once, is sqrtf.
    const radius = fround(sqrt(-2 * logf(u1)));
    const theta = fround(TWO_PI * (out[j + HALF] as number));
    // radius * cos is a product of two float32 values: exact in double, rounded once on store;
    // * 1 changes nothing and + 0 turns -0 into +0, as torch's `* std + mean` does.
    out[j] = radius * cosf(theta) + 0;
    out[j + HALF] = radius * sinf(theta) + 0;
  }
};
