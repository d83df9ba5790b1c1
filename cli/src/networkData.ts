import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import pngjs from 'pngjs';
import { schedulerError, type SchedulerError } from 'ddpm-scheduler';
import { NETWORK_SIZE } from './network.js';

/** The files of a model folder (`cli/models/digits/` is the demo's). */
export const MODEL_FILES = Object.freeze({
  unet: 'unet.onnx',
  classifier: 'classifier.onnx',
  schedulerConfig: 'scheduler_config.json',
  trainImages: 'train-images.png',
});

/** The training set of a model folder, as the network saw it. */
export interface TrainingSet {
  /** `count` images of 16 x 16 values in [-1, 1] (byte / 127.5 - 1, rounded to float32), row by row. */
  readonly images: Float32Array;
  readonly count: number;
  /** The digit of each image (image i is digit i % 10). */
  readonly labels: Uint8Array;
}

const PIXELS = NETWORK_SIZE * NETWORK_SIZE;

/**
 * Decodes `train-images.png` (the training set as one 8-bit grayscale atlas of 16 x 16 tiles, row by
 * row; see scripts/model/digits_data.py) into the values the network was trained on: byte / 127.5 - 1
 * in float32, as `digits_data.to_model` computes them. The tiles after the last image are all zero
 * bytes and are left out when the atlas is not full: `count` is given by the caller or is every tile.
 *
 * @example
 * ```ts
 * const set = decodeTrainingSet(await readFile('cli/models/digits/train-images.png'), 10240);
 * set.right.labels[13]; // 3
 * ```
 */
export const decodeTrainingSet = (bytes: Uint8Array, count?: number): E.Either<SchedulerError, TrainingSet> => {
  if (!(bytes instanceof Uint8Array)) return E.left(schedulerError('IoError', 'train-images.png', bytes, 'the bytes of a PNG file'));
  let png: { width: number; height: number; data: Uint8Array };
  try {
    png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (cause) {
    return E.left(schedulerError('IoError', 'train-images.png', 'unreadable bytes', 'a PNG file', (cause as Error).message));
  }
  const columns = png.width / NETWORK_SIZE;
  const rows = png.height / NETWORK_SIZE;
  if (!Number.isInteger(columns) || !Number.isInteger(rows) || columns === 0 || rows === 0)
    return E.left(schedulerError('IoError', 'train-images.png', `${png.width} x ${png.height}`, `a multiple of ${NETWORK_SIZE} on both sides`));
  const n = count ?? columns * rows;
  if (!Number.isInteger(n) || n < 1 || n > columns * rows)
    return E.left(schedulerError('IoError', 'train-images.png', n, `a count from 1 to ${columns * rows}`));
  const images = new Float32Array(n * PIXELS);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10;
    const r0 = Math.floor(i / columns) * NETWORK_SIZE;
    const c0 = (i % columns) * NETWORK_SIZE;
    for (let y = 0; y < NETWORK_SIZE; y++) {
      for (let x = 0; x < NETWORK_SIZE; x++) {
        const byte = png.data[((r0 + y) * png.width + c0 + x) * 4] as number;
        images[i * PIXELS + y * NETWORK_SIZE + x] = Math.fround(Math.fround(byte / 127.5) - 1);
      }
    }
  }
  return E.right(Object.freeze({ images, count: n, labels }));
};

/**
 * Reads and decodes a model folder's training set ({@link decodeTrainingSet}); the image count comes
 * from `training.json` when the folder has one (the atlas's last row may be partly empty).
 *
 * @example
 * ```ts
 * const set = await loadTrainingSet('cli/models/digits'); // right({ count: 10240, ... })
 * ```
 */
export const loadTrainingSet = async (dir: string): Promise<E.Either<SchedulerError, TrainingSet>> => {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(join(dir, MODEL_FILES.trainImages));
  } catch (cause) {
    return E.left(schedulerError('IoError', '--model', dir, `a folder holding ${MODEL_FILES.trainImages}`, (cause as Error).message));
  }
  let count: number | undefined;
  try {
    const record = JSON.parse(await readFile(join(dir, 'training.json'), 'utf8')) as { trainSet?: { size?: unknown } };
    count = typeof record.trainSet?.size === 'number' ? record.trainSet.size : undefined;
  } catch {
    count = undefined;
  }
  return decodeTrainingSet(bytes, count);
};

/** The nearest training image of one sample. */
export interface NearestImage {
  readonly index: number;
  /** Root-mean-square difference per pixel, on the [-1, 1] scale of the values. */
  readonly rms: number;
}

/**
 * For each of the `count` 16 x 16 images in `samples`, the training image nearest to it (Euclidean)
 * and the RMS difference per pixel; `exclude` skips one training index per sample (for the distance
 * of a training image to its nearest other one). An `InvalidOption` error for a count that `samples`
 * does not hold or an empty training set.
 *
 * @example
 * ```ts
 * nearestImages(final.data, 64, set); // right([{ index: 5133, rms: 0.21 }, ...])
 * ```
 */
export const nearestImages = (
  samples: Float32Array,
  count: number,
  set: TrainingSet,
  exclude?: ReadonlyArray<number>,
): E.Either<SchedulerError, ReadonlyArray<NearestImage>> => {
  if (!(samples instanceof Float32Array)) return E.left(schedulerError('InvalidOption', 'samples', samples, 'a Float32Array of 16 x 16 images'));
  if (typeof set !== 'object' || set === null || !(set.images instanceof Float32Array))
    return E.left(schedulerError('InvalidOption', 'set', set, 'a training set of at least one image'));
  if (!Number.isSafeInteger(count) || count < 0 || count * PIXELS > samples.length)
    return E.left(schedulerError('InvalidOption', 'count', count, `an integer from 0 to ${Math.floor(samples.length / PIXELS)} (the images samples holds)`));
  if (set.count < 1 || set.images.length < set.count * PIXELS)
    return E.left(schedulerError('InvalidOption', 'set', set.count, 'a training set of at least one image'));
  const out: NearestImage[] = [];
  const train = set.images;
  for (let n = 0; n < count; n++) {
    let best = -1;
    let bestSquared = Infinity;
    const base = n * PIXELS;
    const skip = exclude?.[n] ?? -1;
    for (let i = 0; i < set.count; i++) {
      if (i === skip) continue;
      const t = i * PIXELS;
      let squared = 0;
      for (let k = 0; k < PIXELS; k++) {
        const d = (samples[base + k] as number) - (train[t + k] as number);
        squared += d * d;
      }
      if (squared < bestSquared) {
        bestSquared = squared;
        best = i;
      }
    }
    out.push(Object.freeze({ index: best, rms: Math.sqrt(bestSquared / PIXELS) }));
  }
  return E.right(Object.freeze(out));
};

/** The classifier's verdict on one image. */
export interface Classified {
  readonly digit: number;
  /** The softmax probability of `digit`. */
  readonly confidence: number;
}

/**
 * Softmax and argmax of `[count, 10]` logits, row by row; an `InvalidOption` error for a count that
 * `logits` does not hold.
 *
 * @example
 * ```ts
 * classify(new Float32Array([0, 0, 5, 0, 0, 0, 0, 0, 0, 0]), 1); // right([{ digit: 2, confidence: 0.94... }])
 * ```
 */
export const classify = (logits: Float32Array, count: number): E.Either<SchedulerError, ReadonlyArray<Classified>> => {
  if (!(logits instanceof Float32Array)) return E.left(schedulerError('InvalidOption', 'logits', logits, 'a Float32Array of [count, 10] logits'));
  if (!Number.isSafeInteger(count) || count < 0 || count * 10 > logits.length)
    return E.left(schedulerError('InvalidOption', 'count', count, `an integer from 0 to ${Math.floor(logits.length / 10)} (the rows logits holds)`));
  const out: Classified[] = [];
  for (let n = 0; n < count; n++) {
    let best = 0;
    let max = -Infinity;
    for (let k = 0; k < 10; k++) {
      const v = logits[n * 10 + k] as number;
      if (v > max) {
        max = v;
        best = k;
      }
    }
    let sum = 0;
    for (let k = 0; k < 10; k++) sum += Math.exp((logits[n * 10 + k] as number) - max);
    out.push(Object.freeze({ digit: best, confidence: 1 / sum }));
  }
  return E.right(Object.freeze(out));
};
