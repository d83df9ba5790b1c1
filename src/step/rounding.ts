/**
 * The rounding of the step layer's scalar arithmetic: `Math.fround` for float32 (diffusers' torch
 * float32 ops), the identity for float64. Internal.
 *
 * @module
 */

const identity = (x: number): number => x;

/**
 * `Math.fround` when `float32`, else the identity.
 *
 * @example
 * ```ts
 * roundingFor(true)(0.1)  // 0.10000000149011612
 * roundingFor(false)(0.1) // 0.1
 * ```
 * @internal
 */
export const roundingFor = (float32: boolean): ((x: number) => number) => (float32 ? Math.fround : identity);
