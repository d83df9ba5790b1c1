import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { randn, torchGenerator } from '../random/index.js';
import { coefficientsOf } from '../step/posteriorCoefficients.js';
import { posteriorStepInto } from '../step/posteriorStepInto.js';
import {
  defaultStepOptions,
  type PosteriorCoefficients,
  type PosteriorOutput,
  type PredictionType,
  type StepOptions,
  type VarianceType,
} from '../step/types.js';
import { allocate, type Tensor } from '../tensor/index.js';
import { allocTensor, freeTensor } from '../wasm/allocTensor.js';
import { kernels } from '../wasm/instance.js';
import { backend, setBackend } from './select.js';

const initial = backend();
afterAll(() => setBackend(initial));

// A schedule table like diffusers' default linear one, as float32 and as float64.
const betas = Array.from({ length: 1000 }, (_, t) => 0.0001 + ((0.02 - 0.0001) * t) / 999);
const cumprod = (() => {
  let acc = 1;
  return betas.map((b) => (acc *= 1 - b));
})();
const table32 = Float32Array.from(cumprod);
const table64 = Float64Array.from(cumprod);

const normal = (seed: number, shape: number[], scale = 1): Tensor => {
  const [t] = randn(torchGenerator(seed), shape);
  return ndarray(t.data.map((x) => x * scale), shape);
};

const run = (
  which: 'js' | 'wasm',
  inputs: { modelOutput: Tensor; sample: Tensor; noise?: Tensor },
  k: PosteriorCoefficients | PosteriorCoefficients[],
  options: StepOptions,
  out: PosteriorOutput = { prevSample: allocate(inputs.sample.shape), predOriginalSample: allocate(inputs.sample.shape) },
): PosteriorOutput => {
  expect(setBackend(which)).toEqual(E.right(which));
  const r = posteriorStepInto(out, inputs, k, options);
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

const expectIdentical = (a: PosteriorOutput, b: PosteriorOutput): void => {
  // Bit-identical, NaN and signed zeros included: compare the raw bits.
  expect(new Uint32Array(a.prevSample.data.slice().buffer)).toEqual(new Uint32Array(b.prevSample.data.slice().buffer));
  expect(new Uint32Array(a.predOriginalSample.data.slice().buffer)).toEqual(
    new Uint32Array(b.predOriginalSample.data.slice().buffer),
  );
};

const predictionTypes: PredictionType[] = ['epsilon', 'sample', 'v_prediction'];
const varianceTypes: VarianceType[] = ['fixed_small', 'fixed_small_log', 'fixed_large', 'fixed_large_log', 'learned', 'learned_range'];
const clipModes = ['clip', 'threshold', 'neither'] as const;

describe('the WebAssembly posterior pass', () => {
  // 2 x 3 x 7 x 5: 105 elements per item, not a multiple of 4, so the scalar tail runs too.
  const shape = [2, 3, 7, 5];
  const sample = normal(1, shape, 1.5);
  const noise = normal(3, shape);

  const cases = predictionTypes.flatMap((predictionType) =>
    varianceTypes.flatMap((varianceType) => clipModes.map((clipMode) => [predictionType, varianceType, clipMode] as const)),
  );

  it.each(cases)('gives bit-identical outputs to the JavaScript kernel: %s, %s, %s', (predictionType, varianceType, clipMode) => {
    const learned = varianceType === 'learned' || varianceType === 'learned_range';
    const modelOutput = normal(2, learned ? [2, 6, 7, 5] : shape);
    const options: StepOptions = {
      ...defaultStepOptions,
      predictionType,
      varianceType,
      clipSample: clipMode === 'clip',
      thresholding: clipMode === 'threshold',
      sampleMaxValue: 1.7,
      clipSampleRange: 0.8,
    };
    for (const [t, prev] of [[999, 998], [487, 467], [3, 0], [0, -1]] as const) {
      for (const table of [table32, table64]) {
        const k = coefficientsOf(table, t, prev, varianceType);
        const inputs = { modelOutput, sample, noise };
        expectIdentical(run('wasm', inputs, k, options), run('js', inputs, k, options));
      }
    }
  });

  it('gives bit-identical outputs for every item length from 1 to 70, float32 and float64 tables (the unrolled loop, the 4-wide loop, the scalar tail)', () => {
    const options: StepOptions = { ...defaultStepOptions, clipSampleRange: 0.8 };
    for (const table of [table32, table64]) {
      const k = coefficientsOf(table, 487, 467, 'fixed_small');
      for (let n = 1; n <= 70; n++) {
        const inputs = { modelOutput: normal(2, [1, 1, n]), sample: normal(1, [1, 1, n], 1.5), noise: normal(3, [1, 1, n]) };
        expectIdentical(run('wasm', inputs, k, options), run('js', inputs, k, options));
      }
    }
  });

  it('gives bit-identical outputs on edge values: signed zeros, tiny values, values beyond 2^29 times the clip range', () => {
    // 2 x 2 x 150 (300 elements per item, more than one JS block): the edge values sit in both blocks
    const edgeShape = [2, 2, 150];
    const edges = [0, -0, 1e-30, -1e-30, 2 ** -149, 1e20, -1e20, 3e38, -3e38];
    const withEdges = (seed: number, every: number): Tensor => {
      const t = normal(seed, edgeShape, 2);
      for (let i = 0; i < t.data.length; i += every) t.data[i] = edges[(i / every) % edges.length] as number;
      return t;
    };
    const x = withEdges(11, 7);
    const z = normal(13, edgeShape);
    for (const predictionType of predictionTypes) {
      for (const varianceType of ['fixed_small', 'learned'] as const) {
        for (const clipMode of ['clip', 'threshold'] as const) {
          // learned: the variance half holds negative values and -0 too
          const modelOutput = withEdges(12, 5);
          const m = varianceType === 'learned' ? ndarray(Float32Array.from([...modelOutput.data, ...modelOutput.data]), [2, 4, 150]) : modelOutput;
          const options: StepOptions = {
            ...defaultStepOptions, predictionType, varianceType,
            clipSample: clipMode === 'clip', thresholding: clipMode === 'threshold', sampleMaxValue: 3, clipSampleRange: 1,
          };
          const k = coefficientsOf(table32, 487, 486, varianceType);
          const inputs = { modelOutput: m, sample: x, noise: z };
          expectIdentical(run('wasm', inputs, k, options), run('js', inputs, k, options));
        }
      }
    }
  });

  it('gives bit-identical outputs with one set of coefficients per batch item, one of them at timestep 0', () => {
    const modelOutput = normal(2, shape);
    const k = [coefficientsOf(table32, 500, 499, 'fixed_small'), coefficientsOf(table32, 0, -1, 'fixed_small')];
    const inputs = { modelOutput, sample, noise };
    expectIdentical(run('wasm', inputs, k, defaultStepOptions), run('js', inputs, k, defaultStepOptions));
  });

  it('streams items longer than a staging chunk through it in pieces, with the same results', () => {
    const big = [1, 4, 101, 97]; // 39 188 elements: two full chunks and a ragged third
    const inputs = { modelOutput: normal(4, big), sample: normal(5, big), noise: normal(6, big) };
    const k = coefficientsOf(table32, 700, 680, 'fixed_large');
    expectIdentical(run('wasm', inputs, k, defaultStepOptions), run('js', inputs, k, defaultStepOptions));
  });

  it('allows the outputs to be the very same views as the inputs', () => {
    const modelOutput = normal(2, shape);
    const k = coefficientsOf(table32, 487, 486, 'fixed_small');
    const expected = run('js', { modelOutput, sample, noise }, k, defaultStepOptions);
    const s = ndarray(sample.data.slice(), shape);
    const m = ndarray(modelOutput.data.slice(), shape);
    run('wasm', { modelOutput: m, sample: s, noise }, k, defaultStepOptions, { prevSample: s, predOriginalSample: m });
    expectIdentical({ prevSample: s, predOriginalSample: m }, expected);
  });

  it('reads and writes tensors in WASM memory in place, with the same results and no memory growth', () => {
    const modelOutput = normal(2, shape);
    const k = coefficientsOf(table32, 487, 486, 'fixed_small');
    const expected = run('js', { modelOutput, sample, noise }, k, defaultStepOptions);
    const made = [0, 1, 2, 3, 4].map(() => E.getOrElseW((e: { message: string }) => { throw new Error(e.message); })(allocTensor(shape)));
    const [m, s, z, prev, x0] = made as [Tensor, Tensor, Tensor, Tensor, Tensor];
    m.data.set(modelOutput.data);
    s.data.set(sample.data);
    z.data.set(noise.data);
    const bytes = kernels()?.memory.buffer.byteLength;
    for (let i = 0; i < 3; i++) {
      run('wasm', { modelOutput: m, sample: s, noise: z }, k, defaultStepOptions, { prevSample: prev, predOriginalSample: x0 });
    }
    expect(kernels()?.memory.buffer.byteLength).toBe(bytes);
    expectIdentical({ prevSample: prev, predOriginalSample: x0 }, expected);
    made.forEach((t) => expect(E.isRight(freeTensor(t))).toBe(true));
  });
});
