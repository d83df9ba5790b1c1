import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import pngjs from 'pngjs';
import { classify, decodeTrainingSet, loadTrainingSet, nearestImages, type TrainingSet } from './networkData.js';

const MODEL = resolve('cli/models/digits');

const grayPng = (width: number, height: number, byte: (x: number, y: number) => number): Buffer => {
  const png = new pngjs.PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const v = byte(x, y);
      png.data[i] = png.data[i + 1] = png.data[i + 2] = v;
      png.data[i + 3] = 255;
    }
  }
  return pngjs.PNG.sync.write(png, { colorType: 0 });
};

describe('loadTrainingSet', () => {
  it('reads the 10 240 training images exactly as the training script fed them to the network', async () => {
    const set = await loadTrainingSet(MODEL);
    if (E.isLeft(set)) throw new Error(set.left.message);
    const record = JSON.parse(readFileSync(resolve(MODEL, 'training.json'), 'utf8'));
    expect(set.right.count).toBe(10240);
    expect(Array.from(set.right.labels.subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    // the SHA-256 torch's float32 training tensor had (scripts/model/train_digits.py)
    const bytes = new Uint8Array(set.right.images.buffer, set.right.images.byteOffset, set.right.images.byteLength);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(record.trainSet.sha256);
  });

  it('names the folder when it has no train-images.png', async () => {
    const set = await loadTrainingSet(resolve(MODEL, 'nowhere'));
    expect(E.isLeft(set) && set.left.message).toContain('nowhere');
  });
});

describe('decodeTrainingSet', () => {
  it('maps byte b to float32(float32(b / 127.5) - 1), tile by tile, row by row', () => {
    // two tiles side by side: the first all 0, the second all 255 but one byte 128
    const bytes = grayPng(32, 16, (x, y) => (x < 16 ? 0 : x === 20 && y === 3 ? 128 : 255));
    const set = decodeTrainingSet(bytes);
    if (E.isLeft(set)) throw new Error(set.left.message);
    expect(set.right.count).toBe(2);
    expect(set.right.images[0]).toBe(-1);
    expect(set.right.images[256]).toBe(1);
    expect(set.right.images[256 + 3 * 16 + 4]).toBe(Math.fround(Math.fround(128 / 127.5) - 1));
    const one = decodeTrainingSet(bytes, 1);
    expect(E.isRight(one) && one.right.count).toBe(1);
  });

  it('refuses bytes that are no PNG, an atlas not made of 16 x 16 tiles and a count it does not hold', () => {
    expect(E.isLeft(decodeTrainingSet(new Uint8Array([1, 2, 3])))).toBe(true);
    expect(E.isLeft(decodeTrainingSet(grayPng(20, 16, () => 0)))).toBe(true);
    expect(E.isLeft(decodeTrainingSet(grayPng(16, 16, () => 0), 2))).toBe(true);
    expect(E.isLeft(decodeTrainingSet(grayPng(16, 16, () => 0), 0))).toBe(true);
  });
});

describe('nearestImages', () => {
  const set: TrainingSet = {
    images: Float32Array.from({ length: 3 * 256 }, (_, i) => (i < 256 ? -1 : i < 512 ? 0 : 1)),
    count: 3,
    labels: new Uint8Array([0, 1, 2]),
  };

  it('finds the nearest image and its RMS distance per pixel, or the nearest other one', () => {
    const samples = Float32Array.from({ length: 2 * 256 }, (_, i) => (i < 256 ? 0.9 : 0));
    const found = nearestImages(samples, 2, set);
    if (E.isLeft(found)) throw new Error(found.left.message);
    expect(found.right.map((n) => n.index)).toEqual([2, 1]);
    expect(found.right[0]?.rms).toBeCloseTo(0.1, 6);
    expect(found.right[1]?.rms).toBe(0);
    const other = nearestImages(samples, 2, set, [2, 1]);
    expect(E.isRight(other) && other.right.map((n) => n.index)).toEqual([1, 0]);
  });

  it('refuses a count the samples do not hold and an empty training set', () => {
    const samples = new Float32Array(256);
    for (const count of [2, -1, 0.5, NaN]) {
      const r = nearestImages(samples, count, set);
      expect(E.isLeft(r) && r.left._tag).toBe('InvalidOption');
    }
    const empty = nearestImages(samples, 1, { images: new Float32Array(0), count: 0, labels: new Uint8Array(0) });
    expect(E.isLeft(empty) && empty.left.parameter).toBe('set');
  });
});

describe('classify', () => {
  it('takes the argmax and its softmax probability per row', () => {
    const logits = new Float32Array(20);
    logits[2] = 5;
    logits[10 + 7] = 1;
    logits[10 + 8] = 1;
    const classified = classify(logits, 2);
    if (E.isLeft(classified)) throw new Error(classified.left.message);
    const [a, b] = classified.right;
    expect(a?.digit).toBe(2);
    expect(a?.confidence).toBeCloseTo(Math.exp(5) / (Math.exp(5) + 9), 12);
    expect(b?.digit).toBe(7); // the first of equal logits
    expect(b?.confidence).toBeCloseTo(Math.E / (2 * Math.E + 8), 12);
    for (const count of [3, -1, 1.5]) expect(E.isLeft(classify(logits, count))).toBe(true);
  });
});
