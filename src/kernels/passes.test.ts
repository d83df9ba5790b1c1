import { firstBitDifference } from '../../test-utils/float.js';
import { jsKernels } from './js/index.js';
import { posteriorElement } from './posteriorElement.js';
import { activeKernels, setBackend, backend } from './select.js';
import {
  CLIP_CLAMP,
  CLIP_NONE,
  CLIP_THRESHOLD,
  NOISE_LEARNED,
  NOISE_NONE,
  NOISE_RANGE,
  NOISE_SCALED,
  PREDICT_EPSILON,
  PREDICT_SAMPLE,
  PREDICT_VELOCITY,
  type ClipMode,
  type Kernels,
  type NoiseKind,
  type PassScalars,
  type PredictionCode,
} from './types.js';
import { EXP_GLIBC, EXP_SLEEF } from './torchMath.js';

const f = Math.fround;
const initial = backend();
setBackend('wasm');
const wasmKernels: Kernels = activeKernels();
setBackend(initial);


const random = (n: number, seed: number, scale: number): Float32Array => {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 16807) % 2147483647;
    return (s / 2147483647 - 0.5) * scale;
  });
};

const EDGES = [0, -0, 1e-30, -1e-30, 2 ** -149, -(2 ** -149), 1e20, -1e20, 3e38, -3e38, 3.4028234663852886e38, Infinity, -Infinity, NaN];

/** Inputs of n elements: random values, with edge values every `every` elements when asked. */
const inputs = (n: number, seed: number, every: number) => {
  const withEdges = (data: Float32Array, offset: number) => {
    if (every > 0) for (let i = offset % every; i < n; i += every) data[i] = EDGES[Math.floor(i / every) % EDGES.length] as number;
    return data;
  };
  return {
    model: withEdges(random(n, seed, 6), 1),
    sample: withEdges(random(n, seed + 1, 4), 2),
    noise: random(n, seed + 2, 4),
    // learned: negative values and -0 among them; learned_range: mostly in [-1, 1]
    variance: withEdges(random(n, seed + 3, 2.5), 3),
  };
};

/** Runs a kernel pass over copies (with an offset, to exercise it) and returns the outputs. */
const pass = (k: Kernels, data: ReturnType<typeof inputs>, s: PassScalars): [Float32Array, Float32Array] => {
  const n = data.model.length;
  const at = (a: Float32Array, offset: number) => {
    const padded = new Float32Array(n + offset);
    padded.set(a, offset);
    return { data: padded, offset };
  };
  const prev = at(new Float32Array(n), 3);
  const x0 = at(new Float32Array(n), 1);
  k.posteriorPass(
    {
      prev, x0, model: at(data.model, 2), sample: at(data.sample, 5),
      noise: s.noise === NOISE_NONE ? null : at(data.noise, 7),
      variance: s.noise === NOISE_LEARNED || s.noise === NOISE_RANGE ? at(data.variance, 4) : null,
    },
    n, s,
  );
  return [x0.data.subarray(1), prev.data.subarray(3)];
};

/** The specification, element by element. */
const specified = (data: ReturnType<typeof inputs>, s: PassScalars): [Float32Array, Float32Array] => {
  const n = data.model.length;
  const x0 = new Float32Array(n);
  const prev = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [y, p] = posteriorElement(data.sample[i] as number, data.model[i] as number, data.noise[i] as number, data.variance[i] as number, s);
    x0[i] = y;
    prev[i] = p;
  }
  return [x0, prev];
};

const predictions: PredictionCode[] = [PREDICT_EPSILON, PREDICT_SAMPLE, PREDICT_VELOCITY];
const clips: ClipMode[] = [CLIP_NONE, CLIP_CLAMP, CLIP_THRESHOLD];
const noises: NoiseKind[] = [NOISE_NONE, NOISE_SCALED, NOISE_LEARNED, NOISE_RANGE];

// learned_range's exp alternates between torch's two (Sleef's, glibc's) with the clip mode, so that
// every mode combination meets both
const scalars = (float32: boolean, prediction: PredictionCode, clipMode: ClipMode, noise: NoiseKind, c: number): PassScalars => {
  const r = float32 ? f : (v: number) => v;
  return {
    float32, prediction, clipMode, noise,
    a: r(0.0681), b: r(0.99768), c: r(c), c0: r(0.0123), ct: r(0.9871), sd: r(0.1537), minLog: r(-5.31), maxLog: r(-3.95),
    expKind: clipMode === CLIP_CLAMP ? EXP_GLIBC : EXP_SLEEF,
  };
};

const combinations = [true, false].flatMap((float32) =>
  predictions.flatMap((p) => clips.flatMap((c) => noises.map((z) => [float32 ? 'float32' : 'float64', p, c, z] as const))),
);

describe('the posterior passes of both backends against the specification', () => {
  it.each(combinations)('%s, prediction %i, clip %i, noise %i: every element equals posteriorElement, on random data with edge values, across blocks', (precision, p, clip, z) => {
    // 1300 elements: more than two JS blocks and a ragged end; edge values every 37th element, so
    // some blocks take the exact path and others the fast one
    for (const [every, c] of [[0, 1], [37, 1], [37, 0.75], [0, 3.4028234663852886e38], [0, Infinity], [211, Infinity]] as const) {
      const data = inputs(1300, 17 + every, every);
      const s = scalars(precision === 'float32', p, clip, z, c);
      const expected = specified(data, s);
      for (const k of [jsKernels, wasmKernels]) {
        const [x0, prev] = pass(k, data, s);
        expect([k.name, c, every, firstBitDifference(x0, expected[0])]).toEqual([k.name, c, every, null]);
        expect([k.name, c, every, firstBitDifference(prev, expected[1])]).toEqual([k.name, c, every, null]);
      }
    }
  });

  it.each(combinations)('%s, prediction %i, clip %i, noise %i: edge values in the noise and the variance only (which the fast loops read, since the block test looks at x0)', (precision, p, clip, z) => {
    const data = inputs(1300, 5, 0);
    for (let i = 0; i < 1300; i += 7) {
      data.noise[i] = EDGES[(i / 7) % EDGES.length] as number;
      data.variance[i + 3] = EDGES[(i / 7 + 5) % EDGES.length] as number;
    }
    const s = scalars(precision === 'float32', p, clip, z, 1);
    const expected = specified(data, s);
    for (const k of [jsKernels, wasmKernels]) {
      const [x0, prev] = pass(k, data, s);
      expect([k.name, firstBitDifference(x0, expected[0])]).toEqual([k.name, null]);
      expect([k.name, firstBitDifference(prev, expected[1])]).toEqual([k.name, null]);
    }
  });

  it('every length from 1 to 70 and around the block and chunk sizes: the same bits on both backends', () => {
    for (const n of [...Array.from({ length: 70 }, (_, i) => i + 1), 511, 512, 513, 1023, 16383, 16384, 16385]) {
      for (const float32 of [true, false]) {
        const data = inputs(n, n, 0);
        const s = scalars(float32, PREDICT_EPSILON, CLIP_CLAMP, NOISE_SCALED, 1);
        const expected = specified(data, s);
        for (const k of [jsKernels, wasmKernels]) {
          const [x0, prev] = pass(k, data, s);
          expect([n, k.name, firstBitDifference(x0, expected[0]), firstBitDifference(prev, expected[1])]).toEqual([n, k.name, null, null]);
        }
      }
    }
  });

  it('a clip range of float32 max or beyond (infinite in float32) gives finite outputs from finite inputs, alike on both backends', () => {
    const data = inputs(600, 3, 0);
    for (const c of [3.4028234663852886e38, f(1e39)]) {
      const s = scalars(true, PREDICT_EPSILON, CLIP_CLAMP, NOISE_SCALED, c);
      const [x0js, prevJs] = pass(jsKernels, data, s);
      const [x0wasm, prevWasm] = pass(wasmKernels, data, s);
      expect(x0js.every(Number.isFinite) && prevJs.every(Number.isFinite)).toBe(true);
      expect(firstBitDifference(x0js, x0wasm)).toBeNull();
      expect(firstBitDifference(prevJs, prevWasm)).toBeNull();
    }
  });
});
