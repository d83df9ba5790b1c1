import * as E from 'fp-ts/lib/Either.js';
import { unwrap } from '../../test-utils/diffusersTest.js';
import { left, runBadInputs, throws, type BadInput } from '../../test-utils/badInputs.js';
import { backend, chooseBackend, setBackend } from '../kernels/index.js';
import {
  allocate,
  checkShape,
  checkTensor,
  contiguousCopy,
  copyStrided,
  float16Into,
  float16ToFloat32,
  float32ToFloat16,
  fromFloat16,
  isContiguous,
  splitChannels,
  tensor,
  toFloat16Into,
} from '../tensor/index.js';
import { allocTensor, freeTensor, reserveTensorMemory } from '../wasm/index.js';
import { liveTensorCount } from '../wasm/allocTensor.js';

// Tensors, the float16 helpers, the WebAssembly arena and the backend switch: every bad input is a
// typed error naming the parameter; the throwing conveniences throw a SchedulerException carrying it.

const x = tensor(new Float32Array(8), [2, 4]);
const freedTwice = () => {
  const a = unwrap(allocTensor([2, 2]));
  unwrap(freeTensor(a));
  return freeTensor(a);
};
const freeAView = () => {
  const a = unwrap(allocTensor([2, 4]));
  try {
    return freeTensor(a.hi(1, 4));
  } finally {
    unwrap(freeTensor(a));
  }
};
const reserveWhileLive = () => {
  const a = unwrap(allocTensor([2, 2]));
  try {
    return reserveTensorMemory(128 * 1024 * 1024);
  } finally {
    unwrap(freeTensor(a));
  }
};

const rows: ReadonlyArray<BadInput> = [
  // tensors
  throws('allocate [NaN]', () => allocate([NaN]), 'InvalidTensor', 'shape[0]'),
  throws('allocate [2, -1]', () => allocate([2, -1]), 'InvalidTensor', 'shape[1]'),
  throws('allocate null', () => allocate(null as never), 'InvalidTensor', 'shape'),
  throws('allocate past the size bound', () => allocate([2 ** 16, 2 ** 16]), 'InvalidTensor', 'shape'),
  left('checkTensor an index past its data', () => checkTensor(tensor(new Float32Array(4), [2, 4]), 'sample'), 'InvalidTensor', 'sample'),
  left('checkTensor a Uint16Array (float16 data)', () => checkTensor({ ...x, data: new Uint16Array(8) }, 'modelOutput'), 'InvalidTensor', 'modelOutput'),
  left('checkTensor rank 1 where 2 is the least', () => checkTensor(tensor(new Float32Array(4), [4]), 'sample'), 'InvalidTensor', 'sample.shape'),
  left('checkShape of another shape', () => checkShape(x, [2, 3], 'noise'), 'InvalidTensor', 'noise.shape'),
  left('checkShape a null tensor', () => checkShape(null as never, [2, 4], 'noise'), 'InvalidTensor', 'noise'),
  throws('copyStrided into a tensor of another shape', () => copyStrided(tensor(new Float32Array(6), [2, 3]), x), 'InvalidTensor', 'dst.shape'),
  throws('copyStrided from null', () => copyStrided(x, null as never), 'InvalidTensor', 'src'),
  throws('contiguousCopy null', () => contiguousCopy(null as never), 'InvalidTensor', 't'),
  throws('splitChannels more channels than there are', () => splitChannels(x, 5), 'InvalidNumber', 'channels'),
  throws('splitChannels a fractional count', () => splitChannels(x, 1.5), 'InvalidNumber', 'channels'),
  throws('splitChannels null', () => splitChannels(null as never, 1), 'InvalidTensor', 't'),
  throws('isContiguous null', () => isContiguous(null as never), 'InvalidTensor', 't'),
  // float16
  throws('float16ToFloat32 65536', () => float16ToFloat32(65536), 'InvalidNumber', 'bits'),
  throws('float16ToFloat32 -1', () => float16ToFloat32(-1), 'InvalidNumber', 'bits'),
  throws('float16ToFloat32 0.5', () => float16ToFloat32(0.5), 'InvalidNumber', 'bits'),
  throws('float32ToFloat16 a string', () => float32ToFloat16('1' as never), 'InvalidNumber', 'value'),
  throws('float32ToFloat16 a bigint', () => float32ToFloat16(1n as never), 'InvalidNumber', 'value'),
  left('float16Into bits of the wrong length', () => float16Into(allocate([2, 4]), new Uint16Array(7)), 'InvalidTensor', 'bits.length'),
  left('float16Into bits a Float32Array', () => float16Into(allocate([2, 4]), new Float32Array(8) as never), 'InvalidTensor', 'bits'),
  left('float16Into out a strided view', () => float16Into(allocate([4, 4]).transpose(1, 0), new Uint16Array(16)), 'InvalidTensor', 'out'),
  left('float16Into out null', () => float16Into(null as never, new Uint16Array(8)), 'InvalidTensor', 'out'),
  left('fromFloat16 shape [2, -4]', () => fromFloat16(new Uint16Array(8), [2, -4]), 'InvalidTensor', 'shape'),
  left('fromFloat16 bits for another shape', () => fromFloat16(new Uint16Array(8), [3, 3]), 'InvalidTensor', 'bits.length'),
  left('toFloat16Into out of the wrong length', () => toFloat16Into(new Uint16Array(4), x), 'InvalidTensor', 'out'),
  left('toFloat16Into t a plain object', () => toFloat16Into(new Uint16Array(8), {} as never), 'InvalidTensor', 't'),
  // the WebAssembly arena
  left('allocTensor null', () => allocTensor(null as never), 'InvalidTensor', 'shape'),
  left('allocTensor 5 (not a list)', () => allocTensor(5 as never), 'InvalidTensor', 'shape'),
  left('allocTensor [-1]', () => allocTensor([-1]), 'InvalidTensor', 'shape[0]'),
  left('allocTensor past the arena', () => allocTensor([1024, 1024, 1024]), 'InvalidTensor', 'shape'),
  left('freeTensor twice', freedTwice, 'InvalidTensor', 'tensor'),
  left('freeTensor a view of part of a tensor', freeAView, 'InvalidTensor', 'tensor'),
  left('freeTensor a tensor of allocate', () => freeTensor(allocate([2, 2])), 'InvalidTensor', 'tensor'),
  left('freeTensor null', () => freeTensor(null as never), 'InvalidTensor', 'tensor'),
  left('reserveTensorMemory 2^40', () => reserveTensorMemory(2 ** 40), 'InvalidNumber', 'bytes'),
  left('reserveTensorMemory 1000 (under a page)', () => reserveTensorMemory(1000), 'InvalidNumber', 'bytes'),
  left('reserveTensorMemory "64MiB"', () => reserveTensorMemory('64MiB' as never), 'InvalidNumber', 'bytes'),
  left('reserveTensorMemory while a tensor is live', reserveWhileLive, 'InvalidNumber', 'bytes'),
  // the backend
  left('setBackend gpu', () => setBackend('gpu'), 'InvalidOption', 'backend'),
  left('setBackend WASM (case matters)', () => setBackend('WASM'), 'InvalidOption', 'backend'),
  left('setBackend null', () => setBackend(null), 'InvalidOption', 'backend'),
  throws('chooseBackend wasmAvailable a string', () => chooseBackend(undefined, 'yes' as never), 'InvalidOption', 'wasmAvailable'),
];

const before = backend();
runBadInputs('tensors, float16, the arena and the backend: every bad input is a typed error naming the parameter', rows);

describe('the arena and backend rows', () => {
  it('leave no tensor live and the backend as it was', () => {
    expect(liveTensorCount()).toBe(0);
    expect(backend()).toBe(before);
  });

  it('an allocation refused for its shape takes nothing from the arena', () => {
    for (let i = 0; i < 20; i++) expect(E.isLeft(allocTensor(5 as never))).toBe(true);
    expect(liveTensorCount()).toBe(0);
  });
});
