import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { fromDiffusersConfig, schedulerError, type DDPMScheduler, type SchedulerError, type StepEvent } from 'ddpm-scheduler';
import { spreadIndices, writeDemoFile } from './demoFiles.js';
import { encodePng } from './encodePng.js';
import { imageGrid } from './imageGrid.js';
import { sampleNetwork, NETWORK_SIZE, type OrtLike, type OrtSessionLike, type OrtTensorLike } from './network.js';
import { classify, loadTrainingSet, MODEL_FILES, nearestImages, type Classified, type NearestImage } from './networkData.js';
import type { DemoCommand } from './parseCli.js';
import type { DemoProgress } from './runDemo.js';
import { withSteps } from './scheduleSeriesFor.js';
import { scheduleSvg } from './scheduleSvg.js';

/** onnxruntime-node as the network demo uses it: tensors and sessions made from a file. */
export interface OrtNode extends OrtLike {
  readonly InferenceSession: { create(path: string): Promise<OrtSessionLike & { release?: () => Promise<void> }> };
}

/** What the network demo did: the files it wrote, how fast it ran and what its samples are. */
export interface NetworkDemoReport {
  readonly samplesPng: string;
  readonly trajectoryPng: string;
  readonly scheduleSvg: string;
  readonly reportJson: string;
  /** The timesteps of the trajectory's rows, in loop order (the last row is the final sample). */
  readonly trajectoryTimesteps: ReadonlyArray<number>;
  /** The classifier's digit and confidence for each sample. */
  readonly classes: ReadonlyArray<Classified>;
  /** How many samples the classifier puts in each digit 0-9. */
  readonly classCounts: ReadonlyArray<number>;
  /** How many of the ten digits appear at least once. */
  readonly distinctClasses: number;
  /** Each sample's nearest training image. */
  readonly nearest: ReadonlyArray<NearestImage>;
  /** The same distance for the first training images to their nearest other training image, for scale. */
  readonly trainingNearest: ReadonlyArray<NearestImage>;
  /** The same distance for the initial noise. */
  readonly noiseNearest: ReadonlyArray<NearestImage>;
  readonly numInferenceSteps: number;
  /** Wall time of the denoising loop (model calls and steps). */
  readonly loopSeconds: number;
  readonly stepsPerSecond: number;
  readonly label: string;
}

const TRAJECTORY_ROWS = 9;
const TRAJECTORY_COLUMNS = 8;
const PIXELS = NETWORK_SIZE * NETWORK_SIZE;

const ioError = (parameter: string, received: string, allowed: string, cause: unknown): SchedulerError =>
  schedulerError('IoError', parameter, received, allowed, cause instanceof Error ? cause.message : String(cause));

/**
 * The demo's default ONNX Runtime, onnxruntime-node, imported when first needed (an optional peer of the
 * command line); an `IoError` that says how to install it when it is not there.
 *
 * @example
 * ```ts
 * const ort = await loadOnnxRuntimeNode(); // right(the onnxruntime-node module)
 * ```
 */
export const loadOnnxRuntimeNode = async (): Promise<E.Either<SchedulerError, OrtNode>> => {
  try {
    const specifier = 'onnxruntime-node';
    const ort = (await import(specifier)) as { default?: OrtNode } & OrtNode;
    return E.right(ort.InferenceSession === undefined && ort.default !== undefined ? ort.default : ort);
  } catch (cause) {
    return E.left(ioError('onnxruntime-node', 'not installed', 'onnxruntime-node installed beside the command line (npm install onnxruntime-node), or --exact for the exact-denoiser demo', cause));
  }
};

const schedulerOf = async (c: DemoCommand, dir: string): Promise<E.Either<SchedulerError, DDPMScheduler>> => {
  const path = c.config ?? join(dir, MODEL_FILES.schedulerConfig);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (cause) {
    return E.left(ioError(c.config === undefined ? '--model' : '--config', path, 'a readable scheduler_config.json', cause));
  }
  // --prediction-type replaces the config's, as a config written for that target would
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  const configured = c.predictionType === undefined || !isObject ? json : { ...(json as object), prediction_type: c.predictionType };
  const typed = fromDiffusersConfig(configured, c.cpuCapability === undefined ? {} : { cpuCapability: c.cpuCapability });
  return E.flatMap((s: DDPMScheduler) => withSteps(s, { steps: c.steps, ...(c.spacing === undefined ? {} : { spacing: c.spacing }) }))(typed);
};

const tile = (data: Float32Array, n: number): Float32Array => data.slice(n * PIXELS, (n + 1) * PIXELS);

/**
 * `ddpm-scheduler demo` (and `npm run demo`): samples the trained digit network of `modelDir`
 * (`unet.onnx`, an epsilon predictor, through onnxruntime-node) with the scheduler of its
 * `scheduler_config.json` (or `--config`), `--steps` and `--spacing`, as diffusers' DDPM pipeline does:
 * `torch.manual_seed(seed)`, `randn([samples, 1, 16, 16])`, one model call and one step per timestep,
 * the step noise from the same generator. `--prediction-type` converts the network's epsilon into
 * that target (see `unetModel`) and samples with a scheduler of that type. Then the classifier
 * (`classifier.onnx`) names each sample's digit and every sample is compared with the whole training set
 * (`train-images.png`). Writes into `c.out`: `samples.png` (8 a row), `trajectory.png` (rows: x_t of
 * the first 8 samples at 9 timesteps, labelled with t, then the final samples), `schedule.svg`
 * and `report.json` (per sample: digit, confidence, nearest training image and distance).
 *
 * @example
 * ```ts
 * const report = await runNetworkDemo(command, 'cli/models/digits', ort, progress);
 * // right({ distinctClasses: 10, stepsPerSecond: 52, ... })
 * ```
 */
export const runNetworkDemo = async (
  c: DemoCommand,
  modelDir: string,
  ort: OrtNode,
  progress?: DemoProgress,
  now: () => number = () => performance.now(),
): Promise<E.Either<SchedulerError, NetworkDemoReport>> => {
  const scheduler = await schedulerOf(c, modelDir);
  if (E.isLeft(scheduler)) return scheduler;
  const s = scheduler.right;
  const training = await loadTrainingSet(modelDir);
  if (E.isLeft(training)) return training;
  let unet: OrtSessionLike & { release?: () => Promise<void> };
  let classifier: OrtSessionLike & { release?: () => Promise<void> };
  try {
    unet = await ort.InferenceSession.create(join(modelDir, MODEL_FILES.unet));
  } catch (cause) {
    return E.left(ioError('--model', join(modelDir, MODEL_FILES.unet), 'an ONNX model ONNX Runtime loads', cause));
  }
  try {
    classifier = await ort.InferenceSession.create(join(modelDir, MODEL_FILES.classifier));
  } catch (cause) {
    await unet.release?.();
    return E.left(ioError('--model', join(modelDir, MODEL_FILES.classifier), 'an ONNX model ONNX Runtime loads', cause));
  }
  try {
    const shownColumns = Math.min(TRAJECTORY_COLUMNS, c.samples);
    const rows = new Set(spreadIndices(s.timesteps.length, TRAJECTORY_ROWS));
    const trajectory: Float32Array[] = [];
    const shown: number[] = [];
    let current: Float32Array | undefined;
    const onStep = (e: StepEvent) => {
      if (rows.has(e.index) && current !== undefined) {
        for (let n = 0; n < shownColumns; n++) trajectory.push(tile(current, n));
        shown.push(e.timestep);
      }
      current = e.prevSample.data;
      progress?.update(e.index + 1);
    };
    progress?.start(s.timesteps.length);
    const started = now();
    // the first step's input is x_T: record it through the model's own input
    const recording: OrtSessionLike = {
      run: (feeds) => {
        if (current === undefined) current = (feeds.sample as OrtTensorLike).data as Float32Array;
        return unet.run(feeds);
      },
    };
    const out = await sampleNetwork(ort, recording, s, {
      seed: c.seed,
      samples: c.samples,
      onStep,
      ...(c.predictionType === undefined ? {} : { predictionType: c.predictionType }),
    });
    const loopSeconds = (now() - started) / 1000;
    progress?.stop();
    if (E.isLeft(out)) return out;
    const final = out.right.sample.data;
    for (let n = 0; n < shownColumns; n++) trajectory.push(tile(final, n));

    let logits: Float32Array;
    try {
      const o = await classifier.run({ image: new ort.Tensor('float32', final, [c.samples, 1, NETWORK_SIZE, NETWORK_SIZE]) });
      logits = (o.logits as OrtTensorLike).data as Float32Array;
    } catch (cause) {
      return E.left(ioError('--model', join(modelDir, MODEL_FILES.classifier), 'a classifier that runs on the samples', cause));
    }
    const classified = classify(logits, c.samples);
    if (E.isLeft(classified)) return classified;
    const classes = classified.right;
    const classCounts = new Array<number>(10).fill(0);
    for (const k of classes) classCounts[k.digit] = (classCounts[k.digit] as number) + 1;
    const set = training.right;
    const probe = Math.min(c.samples, set.count);
    const found = [
      nearestImages(final, c.samples, set),
      nearestImages(set.images.subarray(0, probe * PIXELS), probe, set, Array.from({ length: probe }, (_, i) => i)),
      nearestImages(out.right.xT.data, c.samples, set),
    ];
    for (const f of found) if (E.isLeft(f)) return f;
    const [nearest, trainingNearest, noiseNearest] = found.map((f) => (f as E.Right<ReadonlyArray<NearestImage>>).right) as [
      ReadonlyArray<NearestImage>,
      ReadonlyArray<NearestImage>,
      ReadonlyArray<NearestImage>,
    ];

    try {
      await mkdir(c.out, { recursive: true });
    } catch (cause) {
      return E.left(ioError('--out', c.out, 'a folder that can be created', cause));
    }
    const images = Array.from({ length: c.samples }, (_, n) => tile(final, n));
    const samplesPng = await writeDemoFile(join(c.out, 'samples.png'), encodePng(imageGrid({ images, size: NETWORK_SIZE, columns: Math.min(8, c.samples), scale: 6, gap: 4 })));
    if (E.isLeft(samplesPng)) return samplesPng;
    const trajectoryPng = await writeDemoFile(
      join(c.out, 'trajectory.png'),
      encodePng(imageGrid({ images: trajectory, size: NETWORK_SIZE, columns: shownColumns, scale: 6, gap: 4, rowLabels: [...shown.map(String), ''] })),
    );
    if (E.isLeft(trajectoryPng)) return trajectoryPng;
    const label = `${c.config ?? 'the model\u2019s scheduler_config.json'}, ${s.timesteps.length} ${s.config.timestepSpacing} steps`;
    const svg = await writeDemoFile(join(c.out, 'schedule.svg'), scheduleSvg([{ label, scheduler: s }]));
    if (E.isLeft(svg)) return svg;
    const stepsPerSecond = s.timesteps.length / loopSeconds;
    const reportJson = await writeDemoFile(
      join(c.out, 'report.json'),
      `${JSON.stringify(
        {
          seed: c.seed.toString(),
          samples: c.samples,
          steps: s.timesteps.length,
          spacing: s.config.timestepSpacing,
          predictionType: s.config.predictionType,
          cpuCapability: s.config.cpuCapability,
          loopSeconds,
          stepsPerSecond,
          classCounts,
          perSample: classes.map((k, n) => ({
            digit: k.digit,
            confidence: k.confidence,
            nearestTrainingImage: (nearest[n] as NearestImage).index,
            nearestRms: (nearest[n] as NearestImage).rms,
          })),
        },
        null,
        1,
      )}\n`,
    );
    if (E.isLeft(reportJson)) return reportJson;
    return E.right(
      Object.freeze({
        samplesPng: samplesPng.right,
        trajectoryPng: trajectoryPng.right,
        scheduleSvg: svg.right,
        reportJson: reportJson.right,
        trajectoryTimesteps: Object.freeze(shown),
        classes,
        classCounts: Object.freeze(classCounts),
        distinctClasses: classCounts.filter((k) => k > 0).length,
        nearest,
        trainingNearest,
        noiseNearest,
        numInferenceSteps: s.timesteps.length,
        loopSeconds,
        stepsPerSecond,
        label,
      }),
    );
  } finally {
    await unet.release?.();
    await classifier.release?.();
  }
};
