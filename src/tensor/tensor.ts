import type { NdArray } from 'ndarray';

/**
 * The tensor type of the library: a scijs ndarray over a `Float32Array` (or any object with its
 * interface: the library makes its own with `tensor`, which generates no code), laid out as
 * `[batch, channels, ...]` where a shape is needed. Views (`lo`, `hi`, `step`, `pick`) are accepted
 * wherever a tensor is read.
 */
export type Tensor = NdArray<Float32Array>;
