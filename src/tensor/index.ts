export type { Tensor } from './tensor.js';
