import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, setTimesteps, tensor, type DDPMScheduler } from 'ddpm-scheduler';
import { left, runBadInputs, throws, type BadInput } from '../../test-utils/badInputs.js';
import { FakeTensor, fakeOrt } from '../../test-utils/fakeOrt.js';
import { writeDemoFile } from './demoFiles.js';
import { sampleNetwork, unetModel, type OrtSessionLike } from './network.js';
import { classify, decodeTrainingSet, loadTrainingSet, nearestImages, type TrainingSet } from './networkData.js';
import { runNetworkDemo, type OrtNode } from './runNetworkDemo.js';

// The command line's network pieces over bad inputs: every one is a typed error naming the parameter.
// unetModel is a model for denoiseAsync (a Promise of a tensor), so it rejects with a SchedulerException.

const dir = mkdtempSync(join(tmpdir(), 'ddpm-cli-bad-inputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const s = ((): DDPMScheduler => {
  const r = E.flatMap(setTimesteps(5))(createScheduler());
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
})();
const echo: OrtSessionLike = {
  run: async (feeds) => ({ noise_pred: new FakeTensor('float32', (feeds.sample as FakeTensor).data, (feeds.sample as FakeTensor).dims) }),
};
const failing: OrtSessionLike = { run: async () => Promise.reject(new Error('backend lost')) };
const x = tensor(new Float32Array(256), [1, 1, 16, 16]);
const set: TrainingSet = { images: new Float32Array(256), count: 1, labels: new Uint8Array(1) };
const noOrt = {} as OrtNode;
const command = { command: 'demo', steps: 2, seed: 0n, out: join(dir, 'out'), samples: 1, exact: false } as const;

const rows: ReadonlyArray<BadInput> = [
  left('sampleNetwork a copy of a scheduler', () => sampleNetwork(fakeOrt, echo, { ...s }, { seed: 0, samples: 1 }), 'InvalidConfig', 'scheduler'),
  left('sampleNetwork a null request', () => sampleNetwork(fakeOrt, echo, s, null as never), 'InvalidOption', 'request'),
  left('sampleNetwork 0 samples', () => sampleNetwork(fakeOrt, echo, s, { seed: 0, samples: 0 }), 'InvalidOption', 'samples'),
  left('sampleNetwork 2.5 samples', () => sampleNetwork(fakeOrt, echo, s, { seed: 0, samples: 2.5 }), 'InvalidOption', 'samples'),
  left('sampleNetwork a fractional seed', () => sampleNetwork(fakeOrt, echo, s, { seed: 0.5, samples: 1 }), 'InvalidSeed', 'seed'),
  left('sampleNetwork a session that fails', () => sampleNetwork(fakeOrt, failing, s, { seed: 0, samples: 1 }), 'IoError', 'session'),
  throws('unetModel a copy of a scheduler', () => unetModel(fakeOrt, echo, { ...s })(x, 1), 'InvalidConfig', 'scheduler'),
  throws('unetModel a sample that is not a tensor', () => unetModel(fakeOrt, echo, s)(null as never, 1), 'InvalidTensor', 'sample'),
  throws('unetModel a float64 sample', () => unetModel(fakeOrt, echo, s)({ ...x, data: new Float64Array(256) } as never, 1), 'InvalidTensor', 'sample'),
  throws('unetModel timestep -1', () => unetModel(fakeOrt, echo, s)(x, -1), 'InvalidTimestep', 'timestep'),
  throws('unetModel timestep 1000', () => unetModel(fakeOrt, echo, s)(x, 1000), 'InvalidTimestep', 'timestep'),
  throws('unetModel timestep NaN', () => unetModel(fakeOrt, echo, s)(x, NaN), 'InvalidTimestep', 'timestep'),
  left('decodeTrainingSet a string', () => decodeTrainingSet('png' as never), 'IoError', 'train-images.png'),
  left('decodeTrainingSet bytes that are no PNG', () => decodeTrainingSet(new Uint8Array([1, 2, 3])), 'IoError', 'train-images.png'),
  left('loadTrainingSet a missing folder', () => loadTrainingSet(join(dir, 'nowhere')), 'IoError', '--model'),
  left('nearestImages null samples', () => nearestImages(null as never, 1, set), 'InvalidOption', 'samples'),
  left('nearestImages a count the samples do not hold', () => nearestImages(new Float32Array(256), 2, set), 'InvalidOption', 'count'),
  left('nearestImages a null set', () => nearestImages(new Float32Array(256), 1, null as never), 'InvalidOption', 'set'),
  left('nearestImages an empty set', () => nearestImages(new Float32Array(256), 1, { ...set, count: 0 }), 'InvalidOption', 'set'),
  left('classify null logits', () => classify(null as never, 1), 'InvalidOption', 'logits'),
  left('classify a negative count', () => classify(new Float32Array(10), -1), 'InvalidOption', 'count'),
  left('runNetworkDemo a missing model folder', () => runNetworkDemo(command, join(dir, 'no-model'), noOrt), 'IoError', '--model'),
  left('runNetworkDemo a missing --config', () => runNetworkDemo({ ...command, config: join(dir, 'none.json') }, dir, noOrt), 'IoError', '--config'),
  left('writeDemoFile into a missing folder', () => writeDemoFile(join(dir, 'missing', 'a.png'), 'x'), 'IoError', '--out'),
];

runBadInputs('bad inputs: the command line network pieces', rows);
