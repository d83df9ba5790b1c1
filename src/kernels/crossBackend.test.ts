// Choosing a backend changes speed, never a result: every public computation that runs on the kernels
// gives the same bits on the JavaScript and the WebAssembly backend.
import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { deterministicTensor, dummyModel, unwrap } from '../../test-utils/diffusersTest.js';
import { learnsVariance, readLoops, type LoopCase } from '../../test-utils/loopsFixture.js';
import { generatorState, rand, randn, torchGenerator, type TorchGenerator } from '../random/index.js';
import {
  addNoise,
  createScheduler,
  denoise,
  denoiseAsync,
  getVelocity,
  setTimesteps,
  step,
  type DDPMConfig,
  type DDPMScheduler,
} from '../scheduler/index.js';
import type { PredictionType, VarianceType } from '../step/index.js';
import type { Tensor } from '../tensor/index.js';
import { backend, setBackend } from './select.js';
import type { Backend } from './types.js';

const initial = backend();
afterAll(() => setBackend(initial));

/** Runs `f` on each backend; returns both results. */
const onBoth = <A>(f: () => A): readonly [A, A] => {
  const results = (['js', 'wasm'] as const).map((which: Backend) => {
    expect(setBackend(which)).toEqual(E.right(which));
    return f();
  });
  return [results[0] as A, results[1] as A];
};

/**
 * The raw bits of a tensor's values as one hex string (every NaN as one canonical NaN, since its payload
 * is the engine's choice): a string compares in one step, where an array of thousands of numbers costs
 * a deep-equality matcher most of a test's time.
 */
const bits = (t: Tensor): string => {
  const values = Float32Array.from({ length: t.size }, (_, i) => t.data[t.offset + i] as number);
  const words = new Uint32Array(values.buffer);
  let out = '';
  for (let i = 0; i < words.length; i++) out += (Number.isNaN(values[i]) ? 0x7fc00000 : (words[i] as number)).toString(16).padStart(8, '0');
  return out;
};

const stateOf = (g: TorchGenerator | undefined) => (g === undefined ? null : generatorState(g));

const predictions: PredictionType[] = ['epsilon', 'sample', 'v_prediction'];
const variances: VarianceType[] = ['fixed_small', 'fixed_small_log', 'fixed_large', 'fixed_large_log', 'learned', 'learned_range'];
const clips = [
  ['clip 1', { clipSample: true, clipSampleRange: 1 }],
  ['clip 1e39', { clipSample: true, clipSampleRange: 1e39 }],
  ['threshold', { clipSample: false, thresholding: true, sampleMaxValue: 1.5, dynamicThresholdingRatio: 0.9 }],
  ['none', { clipSample: false }],
] as const;
const precisions = ['float32', 'float64'] as const;

const stepCases = predictions.flatMap((p) =>
  variances.flatMap((v) => clips.flatMap(([clip, c]) => precisions.map((precision) => [p, v, clip, precision, { ...c }] as const))),
);

describe('step gives identical bits on both backends', () => {
  // [4, 3, 8, 8]: 768 elements, so the noise takes torch's 16-wide float32 path
  const sample = deterministicTensor();
  const noise = deterministicTensor(true);

  it.each(stepCases)('%s, %s, %s, %s: given and drawn noise, shared and per-item timesteps, every output and the generator', (predictionType, varianceType, _clip, precision, clip) => {
    const learned = varianceType === 'learned' || varianceType === 'learned_range';
    const config: Partial<DDPMConfig> = { predictionType, varianceType, precision, ...clip };
    const s = unwrap(setTimesteps(unwrap(createScheduler(config)), 10));
    const model = dummyModel(3, learned);
    const run = (timestep: number | number[], withNoise: boolean, seed: number) =>
      onBoth(() => {
        const r = unwrap(
          step(s, { modelOutput: model(sample, 500), timestep, sample, ...(withNoise ? { noise } : { generator: torchGenerator(seed) }) }),
        );
        return [bits(r.prevSample), bits(r.predOriginalSample), stateOf(r.generator)];
      });
    for (const [timestep, withNoise, seed] of [[900, true, 0], [900, false, 1], [0, false, 2], [[900, 0, 400, 100], false, 3], [[0, 500, 0, 900], true, 4]] as const) {
      const [js, wasm] = run(timestep as number | number[], withNoise, seed);
      expect(wasm).toEqual(js);
    }
  });
});

describe('the forward process gives identical bits on both backends', () => {
  it.each(precisions)('addNoise and getVelocity, %s tables, shared and per-item timesteps', (precision) => {
    const s = unwrap(createScheduler({ precision }));
    const [x0] = randn(torchGenerator(5), [4, 3, 8, 8]);
    const [z] = randn(torchGenerator(6), [4, 3, 8, 8]);
    for (const t of [0, 999, [3, 500, 998, 0]] as const) {
      const [js, wasm] = onBoth(() => [bits(unwrap(addNoise(s, x0, z, t as number))), bits(unwrap(getVelocity(s, x0, z, t as number)))]);
      expect(wasm).toEqual(js);
    }
  });
});

describe('the generator gives identical bits on both backends', () => {
  const seeds = [0, 1, 42, 2n ** 32n + 7n, 2n ** 63n, -1];
  const sizes = [1, 2, 15, 16, 17, 31, 32, 33, 100, 255, 768, 1000, 4099, 16384, 65536];

  it.each(seeds.map((seed) => [String(seed), seed] as const))('seed %s: rand and randn of every size class, in one call sequence, and the state after', (_name, seed) => {
    const [js, wasm] = onBoth(() => {
      let g = torchGenerator(seed);
      const drawn: string[] = [];
      for (const n of sizes) {
        const [r, g1] = randn(g, [n]);
        const [u, g2] = rand(g1, [n % 7 + 1]);
        drawn.push(bits(r), bits(u));
        g = g2;
      }
      return [drawn, generatorState(g)];
    });
    expect(wasm).toEqual(js);
  });
});


describe('denoise and denoiseAsync give identical bits on both backends', () => {
  const loops = readLoops();
  const learned = learnsVariance;
  const extra: Array<Pick<LoopCase, 'name' | 'config' | 'seed' | 'steps' | 'modelShift'>> = [
    { name: 'float64 tables, v-prediction, thresholding', config: { precision: 'float64', predictionType: 'v_prediction', thresholding: true, clipSample: false }, seed: '3', steps: 25, modelShift: 0 },
    { name: 'learned_range, trailing spacing, zero terminal SNR', config: { varianceType: 'learned_range', timestepSpacing: 'trailing', rescaleBetasZeroSnr: true, predictionType: 'v_prediction' }, seed: '4', steps: 25, modelShift: 1 },
  ];

  it.each([...loops, ...extra].map((l) => [l.name, l] as const))('%s', async (_name, loop) => {
    const s: DDPMScheduler = unwrap(setTimesteps(unwrap(createScheduler(loop.config)), loop.steps));
    const model = dummyModel(loop.modelShift, learned(loop.config));
    const [js, wasm] = onBoth(() => {
      const trace: string[] = [];
      const out = unwrap(denoise(s, model, deterministicTensor(), { generator: torchGenerator(BigInt(loop.seed)), onStep: (e) => trace.push(bits(e.predOriginalSample)) }));
      return [bits(out.sample), trace, stateOf(out.generator)];
    });
    expect(wasm).toEqual(js);
    setBackend('wasm');
    const viaAsync = unwrap(await denoiseAsync(s, async (x, t) => model(x, t), deterministicTensor(), { generator: torchGenerator(BigInt(loop.seed)) }));
    expect(bits(viaAsync.sample)).toEqual(js[0]);
  });

  it('a batch of SD-sized latents ([2, 4, 64, 64]) over 10 steps', () => {
    const s = unwrap(setTimesteps(unwrap(createScheduler({ betaSchedule: 'scaled_linear', betaStart: 0.00085, betaEnd: 0.012, clipSample: false })), 10));
    const xT = ndarray(randn(torchGenerator(9), [2, 4, 64, 64])[0].data, [2, 4, 64, 64]);
    const [js, wasm] = onBoth(() => bits(unwrap(denoise(s, dummyModel(), xT, { generator: torchGenerator(10) })).sample));
    expect(wasm).toEqual(js);
  });
});
