import * as E from 'fp-ts/lib/Either.js';
import ndarray from 'ndarray';
import { createScheduler, type DDPMConfig, type DDPMScheduler } from 'ddpm-scheduler';
import { exactDenoiser } from './exactDenoiser.js';

const scheduler = (config: Partial<DDPMConfig> = {}): DDPMScheduler => {
  const s = createScheduler(config);
  if (E.isLeft(s)) throw new Error(s.left.message);
  return s.right;
};

const tensor = (values: number[], shape: number[]) => ndarray(Float32Array.from(values), shape);

describe('exactDenoiser', () => {
  const s = scheduler();
  const t = 300;
  const alphaBar = s.alphasCumprod[t] as number;
  const a = Math.sqrt(alphaBar);
  const b = Math.sqrt(1 - alphaBar);

  it('predicts the noise (x_t - a x0) / b when the dataset has one point', () => {
    const x0 = [0.5, -1];
    const out = exactDenoiser([Float32Array.from(x0)], s)(tensor([0.2, 0.3], [1, 2]), t);
    expect(out.shape).toEqual([1, 2]);
    expect(out.data[0]).toBeCloseTo((0.2 - a * 0.5) / b, 5);
    expect(out.data[1]).toBeCloseTo((0.3 + a) / b, 5);
  });

  it('weights two points by the softmax of -|x_t - a x_i|^2 / (2 b^2)', () => {
    const data = [Float32Array.from([1]), Float32Array.from([-1])];
    const xt = 0.1;
    const w1 = Math.exp(-((xt - a) ** 2) / (2 * b * b));
    const w2 = Math.exp(-((xt + a) ** 2) / (2 * b * b));
    const x0 = (w1 - w2) / (w1 + w2);
    const predicted = exactDenoiser(data, scheduler({ predictionType: 'sample' }))(tensor([xt], [1, 1]), t);
    expect(predicted.data[0]).toBeCloseTo(x0, 6);
    const eps = exactDenoiser(data, s)(tensor([xt], [1, 1]), t);
    expect(eps.data[0]).toBeCloseTo((xt - a * x0) / b, 5);
    const v = exactDenoiser(data, scheduler({ predictionType: 'v_prediction' }))(tensor([xt], [1, 1]), t);
    expect(v.data[0]).toBeCloseTo(a * ((xt - a * x0) / b) - b * x0, 5);
  });

  it('picks the nearest point near t = 0 without overflow, and the mean at pure noise', () => {
    const data = [Float32Array.from([1, 1]), Float32Array.from([-1, -1]), Float32Array.from([1, -1])];
    const sample = scheduler({ predictionType: 'sample' });
    const near = exactDenoiser(data, sample)(tensor([0.9, 0.8], [1, 2]), 0);
    expect(Array.from(near.data)).toEqual([1, 1]);
    const rescaled = scheduler({ predictionType: 'sample', rescaleBetasZeroSnr: true });
    const far = exactDenoiser(data, rescaled)(tensor([5, -3], [1, 2]), 999);
    expect(far.data[0]).toBeCloseTo(1 / 3, 6);
    expect(far.data[1]).toBeCloseTo(-1 / 3, 6);
  });

  it('treats each batch item on its own and reads strided views', () => {
    const data = [Float32Array.from([1, 1]), Float32Array.from([-1, -1])];
    const sample = scheduler({ predictionType: 'sample' });
    const model = exactDenoiser(data, sample);
    const batch = tensor([0.9, 0.9, -0.9, -0.9], [2, 2]);
    expect(Array.from(model(batch, 10).data)).toEqual([1, 1, -1, -1]);
    const reversed = batch.step(-1, 1);
    expect(Array.from(model(reversed, 10).data)).toEqual([-1, -1, 1, 1]);
  });

  it('does not change the sample', () => {
    const x = tensor([0.2, 0.3], [1, 2]);
    exactDenoiser([Float32Array.from([0, 0])], s)(x, t);
    expect(Array.from(x.data)).toEqual([Math.fround(0.2), Math.fround(0.3)]);
  });
});
