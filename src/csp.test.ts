import * as E from 'fp-ts/lib/Either.js';
import {
  addNoise, allocTensor, createScheduler, denoise, freeTensor, getVelocity, randn, setTimesteps, tensor, torchGenerator,
  type Tensor,
} from './index.js';

// Under a Content-Security-Policy without 'unsafe-eval' a browser refuses `new Function` and `eval`.
// The library's own paths must not need them (ndarray's constructor does; the library's tensors are
// made by `tensor`). Here both are refused while a whole sampling loop runs, on the active backend.
const refusingCodeGeneration = <A>(body: () => A): A => {
  const g = globalThis as unknown as { Function: unknown; eval: unknown };
  const saved = [g.Function, g.eval] as const;
  const refuse = () => {
    throw new EvalError('code generation refused (Content-Security-Policy)');
  };
  g.Function = refuse;
  g.eval = refuse;
  try {
    return body();
  } finally {
    [g.Function, g.eval] = saved;
  }
};

const orThrow = <A>(r: E.Either<{ message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message);
  return r.right;
};

describe('the library under a policy that refuses code generation', () => {
  it.each([
    ['fixed_small, clipped', { clipSample: true }],
    ['learned_range, thresholded (splits the model output)', { varianceType: 'learned_range', thresholding: true }],
    ['v_prediction, float64 tables', { predictionType: 'v_prediction', precision: 'float64' }],
  ] as const)('runs randn, addNoise, getVelocity, allocTensor and denoise: %s', (_name, config) => {
    const result = refusingCodeGeneration(() => {
      const s = orThrow(setTimesteps(orThrow(createScheduler(config)), 5));
      const [x0, g] = randn(torchGenerator(0), [2, 4, 8, 8]);
      const [noise, g2] = randn(g, [2, 4, 8, 8]);
      const xT = orThrow(addNoise(s, x0, noise, [999, 999]));
      orThrow(getVelocity(s, x0, noise, [10, 10]));
      const learned = s.config.varianceType === 'learned_range';
      const model = (x: Tensor, t: number): Tensor => {
        const out = new Float32Array(learned ? 2 * x.size : x.size);
        for (let i = 0; i < out.length; i++) out[i] = 0.1 * Math.sin((x.data[i % x.size] as number) + t);
        return tensor(out, learned ? [2, 8, 8, 8] : [2, 4, 8, 8]);
      };
      const w = orThrow(allocTensor([2, 4, 8, 8]));
      orThrow(freeTensor(w));
      return orThrow(denoise(s, model, xT, { generator: g2 })).sample;
    });
    expect(result.shape).toEqual([2, 4, 8, 8]);
    expect(result.data.every(Number.isFinite)).toBe(true);
  });
});
