/**
 * Readers for the torch fixtures, fixtures/torch/<flavor>/<name>.json: what real torch 1.13.1 computed
 * running diffusers' own DDPMScheduler and DDIMScheduler (scripts/fixtures/torch_*.py; each script's
 * docstring documents its JSON layout), once per CPU capability. Never made by the code under test.
 *
 * Two flavors were captured: 'default' (torch's scalar kernels; its randn is also the one of 'avx512',
 * so these fixtures stand for both there) and 'avx2'. A test runs the library with the flavor's
 * `cpuCapability` and compares bit for bit.
 *
 * torch 1.13's float32 linspace is not the library's (which follows torch 2.x, see
 * src/schedule/internal.ts): a config whose betas come from a linspace (linear, scaled_linear, sigmoid)
 * is compared with torch's own betas passed as `trainedBetas` (each fixture records them); see
 * {@link torchConfig}.
 */
import { createHash } from 'node:crypto';
import ndarray from 'ndarray';
import type { CpuCapability } from '../src/cpuCapability.js';
import { torchGenerator, type TorchGenerator } from '../src/random/index.js';
import type { DDPMConfig } from '../src/scheduler/index.js';
import type { StepOptions } from '../src/step/index.js';
import { defaultStepOptions } from '../src/step/index.js';
import type { Tensor } from '../src/tensor/index.js';
import { readFixture } from './fixtures.js';
import { firstBitDifference } from './float.js';

// ---------------------------------------------------------------------------------------------------
// model

/** A CPU capability torch fixtures were captured with. */
export type TorchFlavor = 'default' | 'avx2';

/** The captured flavors, in a fixed order. */
export const TORCH_FLAVORS: ReadonlyArray<TorchFlavor> = Object.freeze(['default', 'avx2'] as const);

/** A float32 value as the fixtures spell it: a JSON number, or the strings 'NaN', 'Infinity', '-Infinity'. */
export type JsonFloat = number | 'NaN' | 'Infinity' | '-Infinity';

/** A config as the fixtures record it: the camelCase options passed to diffusers' scheduler. */
export type FixtureConfig = Partial<Omit<DDPMConfig, 'trainedBetas'>> & { readonly setAlphaToOne?: boolean };

/** One schedule of schedule.json (scripts/fixtures/torch_schedule.py). */
export interface TorchScheduleCase {
  readonly betaSchedule: string;
  readonly numTrainTimesteps: number;
  readonly betaStart: number;
  readonly betaEnd: number;
  readonly rescale: boolean;
  readonly betas: ReadonlyArray<JsonFloat>;
  readonly alphas: ReadonlyArray<JsonFloat>;
  readonly alphasCumprod: ReadonlyArray<JsonFloat>;
}

/** schedule.json: every schedule x T x rescale, the trained-betas cases and torch 1.13's own linspace. */
export interface TorchScheduleFixture {
  readonly schedules: ReadonlyArray<string>;
  readonly cases: ReadonlyArray<TorchScheduleCase>;
  readonly trainedBetas: ReadonlyArray<number>;
  readonly trained: ReadonlyArray<{ readonly rescale: boolean; readonly betas: ReadonlyArray<JsonFloat>; readonly alphas: ReadonlyArray<JsonFloat>; readonly alphasCumprod: ReadonlyArray<JsonFloat> }>;
  readonly unfusedLinspace: { readonly linear: ReadonlyArray<JsonFloat>; readonly scaledLinearRoot: ReadonlyArray<JsonFloat> };
}

/** One sweep of timesteps.json: set_timesteps(n) for every n of one (T, spacing, stepsOffset). */
export interface TorchTimestepSweep {
  readonly numTrainTimesteps: number;
  readonly spacing: 'leading' | 'trailing' | 'linspace';
  readonly stepsOffset: number;
  /** One per n = 1..T: the timesteps (T <= 100) or their digest, or null where the library refuses. */
  readonly expected: ReadonlyArray<ReadonlyArray<number> | string | null>;
  readonly trailingExtra: ReadonlyArray<readonly [number, number]>;
  readonly leadingOutOfRange: ReadonlyArray<number>;
  readonly diffusersLengths: Readonly<Record<string, number>>;
}

/** timesteps.json (scripts/fixtures/torch_timesteps.py). */
export interface TorchTimestepsFixture {
  readonly digest: string;
  readonly sweeps: ReadonlyArray<TorchTimestepSweep>;
  readonly previousTimestep: ReadonlyArray<{
    readonly numTrainTimesteps: number;
    readonly spacing: 'leading' | 'trailing' | 'linspace' | null;
    readonly stepsOffset: number;
    readonly steps: number | null;
    readonly customTimesteps: ReadonlyArray<number> | null;
    readonly timesteps: ReadonlyArray<number>;
    readonly previous: ReadonlyArray<number>;
    readonly unset?: ReadonlyArray<readonly [number, number]>;
  }>;
  readonly custom: ReadonlyArray<{
    readonly numTrainTimesteps: number;
    readonly timesteps: ReadonlyArray<number>;
    readonly result: ReadonlyArray<number> | null;
    readonly error: string | null;
  }>;
}

/** A schedule of step.json, with torch's betas before any rescale (`trainedBetas`) and its tables. */
export interface TorchStepSchedule {
  readonly config: FixtureConfig;
  readonly trainedBetas: ReadonlyArray<JsonFloat>;
  readonly betas: ReadonlyArray<JsonFloat>;
  readonly alphasCumprod: ReadonlyArray<JsonFloat>;
}

/** A seeded generator as the fixtures record it: one, or one per batch item. */
export interface GeneratorSpec {
  readonly seeds: ReadonlyArray<string>;
  readonly perItem: boolean;
}

/** One case of step.json: diffusers' DDPMScheduler.step with one option set at one timestep. */
export interface TorchStepCase {
  readonly id: number;
  readonly group: 'grid' | 'scheduled' | 'perItem' | 'schedules';
  readonly clipMode: 'neither' | 'clip' | 'clipRange' | 'threshold' | 'thresholdOverClip';
  readonly schedule: string;
  readonly config: FixtureConfig;
  readonly setTimesteps: null | { readonly steps: number } | { readonly timesteps: ReadonlyArray<number> };
  readonly schedulerTimesteps: ReadonlyArray<number> | null;
  readonly timestep: number;
  readonly prevTimestep: number;
  readonly generator: GeneratorSpec;
  readonly noiseDrawn: boolean;
  /** The key of the noise diffusers drew in `noises`, or null when it drew none. */
  readonly noise: string | null;
  readonly prevSample: ReadonlyArray<JsonFloat>;
  readonly predOriginalSample: ReadonlyArray<JsonFloat>;
  readonly finite: boolean;
  /** Where the library deliberately differs from diffusers (docs/parity.md). */
  readonly deviation: null | 'fixed_large_log' | 'zero_snr_epsilon';
}

/** step.json (scripts/fixtures/torch_step.py). */
export interface TorchStepFixture {
  readonly shape: ReadonlyArray<number>;
  readonly sample: ReadonlyArray<JsonFloat>;
  readonly modelOutput: ReadonlyArray<JsonFloat>;
  readonly sampleScale: number;
  readonly noise: ReadonlyArray<JsonFloat>;
  readonly learnedVariance: ReadonlyArray<JsonFloat>;
  readonly learnedRangeValue: ReadonlyArray<JsonFloat>;
  readonly schedules: Readonly<Record<string, TorchStepSchedule>>;
  readonly noises: Readonly<Record<string, ReadonlyArray<JsonFloat>>>;
  readonly cases: ReadonlyArray<TorchStepCase>;
  /** diffusers' _get_variance(t, variance_type) for the fixed types, no set_timesteps. */
  readonly variances: ReadonlyArray<{
    readonly schedule: string;
    readonly timestep: number;
    readonly prevTimestep: number;
    readonly varianceType: 'fixed_small' | 'fixed_small_log' | 'fixed_large' | 'fixed_large_log';
    readonly value: JsonFloat;
  }>;
  readonly addNoise: ReadonlyArray<{
    readonly schedule: string;
    readonly timesteps: ReadonlyArray<number>;
    readonly noisy: ReadonlyArray<JsonFloat>;
    readonly velocity: ReadonlyArray<JsonFloat>;
  }>;
  readonly quantiles: ReadonlyArray<{ readonly values: ReadonlyArray<JsonFloat>; readonly q: number; readonly quantile: JsonFloat }>;
}

/** How a loop's generator was made: torch.manual_seed ('default'), torch.Generator ('generator') or one per item. */
export interface LoopGeneratorSpec {
  readonly kind: 'default' | 'generator' | 'perItem';
  readonly seeds: ReadonlyArray<string>;
}

/** One seeded loop of loops.json (scripts/fixtures/torch_loops.py). */
export interface TorchLoop {
  readonly name: string;
  readonly config: FixtureConfig;
  readonly generator: LoopGeneratorSpec;
  readonly steps: number | null;
  readonly setTimesteps: null | { readonly steps: number } | { readonly timesteps: ReadonlyArray<number> };
  readonly modelShift: number;
  readonly shape: ReadonlyArray<number>;
  readonly initialSample: 'deterministic' | 'randn' | 'addNoise';
  readonly timesteps: ReadonlyArray<number>;
  readonly prevTimesteps: ReadonlyArray<number>;
  /** torch's betas before any rescale. */
  readonly trainedBetas: ReadonlyArray<JsonFloat>;
  readonly absSums: ReadonlyArray<JsonFloat>;
  /** Every final value, or null when there are more than 4096 (then finalSha256 and finalSlice). */
  readonly final: ReadonlyArray<JsonFloat> | null;
  readonly finalSha256: string;
  readonly finalSlice: { readonly indices: ReadonlyArray<number>; readonly values: ReadonlyArray<JsonFloat> };
  readonly deviation: null | 'fixed_large_log';
}

/** One seeded loop of ddim.json (scripts/fixtures/torch_ddim.py). */
export interface TorchDdimLoop {
  readonly name: string;
  readonly generator: { readonly kind: 'generator' | 'perItem'; readonly seeds: ReadonlyArray<string> };
  readonly steps: number;
  readonly eta: number;
  readonly modelShift: number;
  readonly config: FixtureConfig;
  readonly timesteps: ReadonlyArray<number>;
  readonly prevTimesteps: ReadonlyArray<number>;
  readonly trainedBetas: ReadonlyArray<JsonFloat>;
  readonly absSums: ReadonlyArray<JsonFloat>;
  readonly final: ReadonlyArray<JsonFloat>;
  readonly finalPredOriginalSample: ReadonlyArray<JsonFloat>;
  readonly finalSha256: string;
}

// ---------------------------------------------------------------------------------------------------
// readers

const cache = new Map<string, unknown>();

/** fixtures/torch/<flavor>/<name>.json, read once per test file. */
export const readTorchFixture = <T>(flavor: TorchFlavor, name: string): T => {
  const key = `${flavor}/${name}`;
  if (!cache.has(key)) cache.set(key, readFixture<T>(`torch/${key}.json`));
  return cache.get(key) as T;
};

/** schedule.json of a flavor. */
export const torchSchedule = (flavor: TorchFlavor): TorchScheduleFixture => readTorchFixture(flavor, 'schedule');
/** timesteps.json of a flavor. */
export const torchTimesteps = (flavor: TorchFlavor): TorchTimestepsFixture => readTorchFixture(flavor, 'timesteps');
/** step.json of a flavor. */
export const torchStep = (flavor: TorchFlavor): TorchStepFixture => readTorchFixture(flavor, 'step');
/** The loops of loops.json of a flavor. */
export const torchLoops = (flavor: TorchFlavor): ReadonlyArray<TorchLoop> => readTorchFixture<{ loops: TorchLoop[] }>(flavor, 'loops').loops;
/** The loops of ddim.json of a flavor. */
export const torchDdimLoops = (flavor: TorchFlavor): ReadonlyArray<TorchDdimLoop> => readTorchFixture<{ loops: TorchDdimLoop[] }>(flavor, 'ddim').loops;

// ---------------------------------------------------------------------------------------------------
// values

/** A fixture float as a number ('NaN', 'Infinity' and '-Infinity' included). */
export const numberOf = (v: JsonFloat): number => (typeof v === 'number' ? v : Number(v));

/** A fixture's float32 value as the float32 it spells (its shortest decimal, rounded back). */
export const float32Value = (v: JsonFloat): number => Math.fround(numberOf(v));

/** A fixture's float32 array as a Float32Array (each decimal reads back as its float32 through a double). */
export const float32Of = (values: ReadonlyArray<JsonFloat>): Float32Array => {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = numberOf(values[i] as JsonFloat);
  return out;
};

/** A contiguous float32 tensor of a fixture's values. */
export const tensorOfFixture = (values: ReadonlyArray<JsonFloat>, shape: ReadonlyArray<number>): Tensor =>
  ndarray(float32Of(values), [...shape]);

/**
 * A description of the first bit difference between a float32 result and a fixture's values, or null
 * when they are identical (any NaN equals any NaN); a plain loop, cheap on thousands of values.
 */
export const bitDifference = (actual: Float32Array, expected: ReadonlyArray<JsonFloat> | Float32Array): string | null => {
  const e = expected instanceof Float32Array ? expected : float32Of(expected);
  const d = firstBitDifference(actual, e);
  if (d === null) return null;
  let count = 0;
  const ua = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const ue = new Uint32Array(e.buffer, e.byteOffset, e.length);
  for (let i = 0; i < Math.min(actual.length, e.length); i++) if (ua[i] !== ue[i] && !(actual[i] !== actual[i] && e[i] !== e[i])) count++;
  return `${count} of ${e.length} values differ (length ${actual.length}); first at ${d.index}: ${d.a} vs torch ${d.b}`;
};

/** The hex SHA-256 of float32 values' little-endian bytes, as the fixtures' `finalSha256`. */
export const sha256Float32 = (data: Float32Array): string =>
  createHash('sha256').update(Buffer.from(data.buffer, data.byteOffset, data.byteLength)).digest('hex');

/**
 * sum |x| in double, one element after another in C order: the fixtures' `absSums`. No Math call in
 * the loop (under jest a global Math lookup costs about a microsecond).
 */
export const absSumOf = (data: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    s += v < 0 ? -v : v;
  }
  return s;
};

/**
 * The first index where two sequences of doubles differ (NaN equals NaN), with both values, or null.
 */
export const firstDoubleDifference = (
  actual: ReadonlyArray<number>,
  expected: ReadonlyArray<JsonFloat>,
): { readonly index: number; readonly actual: number | undefined; readonly expected: number | undefined } | null => {
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const e = i < expected.length ? numberOf(expected[i] as JsonFloat) : undefined;
    if (a === e || (a !== a && e !== e && a !== undefined && e !== undefined)) continue;
    return { index: i, actual: a, expected: e };
  }
  return null;
};

// ---------------------------------------------------------------------------------------------------
// configs and generators

/** The library's cpuCapability for a flavor. */
export const capabilityOf = (flavor: TorchFlavor): CpuCapability => flavor;

/** Whether a config's betas come from torch.linspace (linear, the default, scaled_linear and sigmoid). */
export const linspaceBased = (config: { readonly betaSchedule?: string | undefined }): boolean => {
  const schedule = config.betaSchedule ?? 'linear';
  return schedule === 'linear' || schedule === 'scaled_linear' || schedule === 'sigmoid';
};

/**
 * The library config for a fixture's config in a flavor: its options (without DDIM's setAlphaToOne),
 * the flavor's cpuCapability, and torch's own betas as `trainedBetas` when they come from a linspace:
 * the library's float32 linspace is torch 2.x's (fused multiply-add on avx2/avx512), not torch 1.13's
 * (blocks of 16 from vector bases), so only torch's betas give torch's tables. The zero-SNR rescale,
 * alphas and alphasCumprod are still computed by the library from them. squaredcos_cap_v2 and laplace
 * do not depend on a linspace: their betas are the library's own.
 */
export const torchConfig = (config: FixtureConfig, trainedBetas: ReadonlyArray<JsonFloat>, flavor: TorchFlavor): Partial<DDPMConfig> => {
  const { setAlphaToOne: _ddimOnly, ...options } = config;
  return {
    ...options,
    cpuCapability: capabilityOf(flavor),
    ...(linspaceBased(config) ? { trainedBetas: Array.from(float32Of(trainedBetas)) } : {}),
  };
};

/** A seeded generator of the flavor's family. */
export const generatorOf = (seed: string, flavor: TorchFlavor): TorchGenerator => torchGenerator(BigInt(seed), { cpuCapability: capabilityOf(flavor) });

/** One generator, or one per batch item, as a fixture case made them. */
export const generatorsOf = (spec: GeneratorSpec, flavor: TorchFlavor): TorchGenerator | ReadonlyArray<TorchGenerator> =>
  spec.perItem ? spec.seeds.map((s) => generatorOf(s, flavor)) : generatorOf(spec.seeds[0] as string, flavor);

/** The generators of a loop: torch.manual_seed(s) and torch.Generator().manual_seed(s) draw the same. */
export const loopGeneratorsOf = (spec: LoopGeneratorSpec, flavor: TorchFlavor): TorchGenerator | ReadonlyArray<TorchGenerator> =>
  generatorsOf({ seeds: spec.seeds, perItem: spec.kind === 'perItem' }, flavor);

// ---------------------------------------------------------------------------------------------------
// the loops' model

// bound once: under jest every lookup of the global Math costs about a microsecond, per element here
const fround = Math.fround;
const tanh = Math.tanh;

/**
 * The model of the torch loops (scripts/fixtures/torch_loops.py): diffusers' dummy model
 * `sample * t / (t + 1)` in float32, with `shift`, `sample * (t + s) / (t + s + 1)`; for the learned
 * variance types `tanh(sample)` (in double, rounded to float32) appended on dim 1. Reads a contiguous
 * `[batch, C, ...]` sample.
 *
 * @example
 * ```ts
 * denoise(s, loopModel(loop.modelShift, learnsVariance(loop.config)), xT, { generator })
 * ```
 */
export const loopModel =
  (shift = 0, varianceChannels = false) =>
  (x: Tensor, t: number): Tensor => {
    const [batch, channels, ...rest] = x.shape as [number, number, ...number[]];
    let inner = channels;
    for (const n of rest) inner *= n;
    const width = varianceChannels ? 2 * inner : inner;
    const out = new Float32Array(batch * width);
    const num = fround(t + shift);
    const den = fround(t + shift + 1);
    const data = x.data;
    for (let b = 0; b < batch; b++) {
      const from = x.offset + b * inner;
      const to = b * width;
      for (let i = 0; i < inner; i++) {
        const v = data[from + i] as number;
        // torch: (x * t) in float32, then / (t + 1) in float32 (the Float32Array store rounds the quotient)
        out[to + i] = fround(v * num) / den;
        if (varianceChannels) out[to + inner + i] = tanh(v);
      }
    }
    return ndarray(out, [batch, varianceChannels ? 2 * channels : channels, ...rest]);
  };

/** Whether a config's variance type needs the model's variance channels. */
export const learnsVariance = (config: { readonly varianceType?: string | undefined }): boolean =>
  config.varianceType === 'learned' || config.varianceType === 'learned_range';

// ---------------------------------------------------------------------------------------------------
// step cases

/** The step options of a step case's config in a flavor (diffusers' defaults for what it leaves out). */
export const stepOptionsOfCase = (c: TorchStepCase, flavor: TorchFlavor): StepOptions => ({
  ...defaultStepOptions,
  ...(c.config.predictionType === undefined ? {} : { predictionType: c.config.predictionType }),
  ...(c.config.varianceType === undefined ? {} : { varianceType: c.config.varianceType }),
  ...(c.config.clipSample === undefined ? {} : { clipSample: c.config.clipSample }),
  ...(c.config.clipSampleRange === undefined ? {} : { clipSampleRange: c.config.clipSampleRange }),
  ...(c.config.thresholding === undefined ? {} : { thresholding: c.config.thresholding }),
  ...(c.config.dynamicThresholdingRatio === undefined ? {} : { dynamicThresholdingRatio: c.config.dynamicThresholdingRatio }),
  ...(c.config.sampleMaxValue === undefined ? {} : { sampleMaxValue: c.config.sampleMaxValue }),
  cpuCapability: capabilityOf(flavor),
});

/**
 * The model output a step case passed: modelOutput (times sampleScale, exact, for 'sample'), with the
 * learned variance channels appended on dim 1 for 'learned' and 'learned_range'.
 */
export const modelOutputOfCase = (fx: TorchStepFixture, c: TorchStepCase): Tensor => {
  const base = float32Of(fx.modelOutput);
  if (c.config.predictionType === 'sample') for (let i = 0; i < base.length; i++) base[i] = (base[i] as number) * fx.sampleScale;
  const variance = c.config.varianceType;
  if (variance !== 'learned' && variance !== 'learned_range') return ndarray(base, [...fx.shape]);
  const extra = float32Of(variance === 'learned' ? fx.learnedVariance : fx.learnedRangeValue);
  const batch = fx.shape[0] as number;
  const item = base.length / batch;
  const out = new Float32Array(2 * base.length);
  for (let b = 0; b < batch; b++) {
    out.set(base.subarray(b * item, (b + 1) * item), 2 * b * item);
    out.set(extra.subarray(b * item, (b + 1) * item), (2 * b + 1) * item);
  }
  return ndarray(out, [batch, 2 * (fx.shape[1] as number), ...fx.shape.slice(2)]);
};

/** A short name for a step case: its id, group, options and timestep. */
export const stepCaseName = (c: TorchStepCase): string =>
  `#${c.id} ${c.group} ${c.schedule} ${c.config.predictionType ?? 'epsilon'} ${c.config.varianceType ?? 'fixed_small'} ${c.clipMode}` +
  `${c.setTimesteps === null ? '' : ` ${'steps' in c.setTimesteps ? `${c.config.timestepSpacing ?? 'leading'} ${c.setTimesteps.steps}` : 'custom'}`}` +
  ` t=${c.timestep}${c.generator.perItem ? ` items ${c.generator.seeds.join(',')}` : ''}`;

/**
 * The config of one of step.json's named schedules, as `createScheduler` takes it: torch's betas as
 * `trainedBetas` where they come from a linspace (the rescale stays the library's).
 */
export const scheduleConfig = (torch: TorchStepFixture, name: string, flavor: TorchFlavor): Partial<DDPMConfig> => {
  const schedule = torch.schedules[name];
  if (schedule === undefined) throw new Error(`no schedule ${name}`);
  return torchConfig(schedule.config, schedule.trainedBetas, flavor);
};
