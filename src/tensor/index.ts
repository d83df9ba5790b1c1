export type { Tensor } from './tensor.js';
export { checkTensor, checkShape } from './checkTensor.js';
export { isContiguous } from './isContiguous.js';
export { allocate } from './allocate.js';
export { tensor } from './view.js';
export { splitChannels } from './splitChannels.js';
export { copyStrided, contiguousCopy } from './copyStrided.js';
