/**
 * Seeded noise with PyTorch's numbers: MT19937 and the CPU generator as immutable values, `rand`
 * and `randn` with `torch.rand` / `torch.randn`'s exact CPU semantics, and the generator state as
 * plain data.
 *
 * @module
 */
export { torchGenerator, tryTorchGenerator, type TorchGenerator, type TorchGeneratorOptions } from './generator.js';
export { rand, randInto, tryRand } from './rand.js';
export { randn, randnInto, tryRandn } from './randn.js';
export { nextUint32, nextUint64 } from './bits.js';
export {
  fromGeneratorState,
  generatorState,
  TORCH_GENERATOR_STATE_KIND,
  type TorchGeneratorState,
} from './state.js';
