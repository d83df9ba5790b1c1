/**
 * Where a step's noise comes from when none is given: one generator for the whole batch
 * (`torch.randn(shape, generator=g)`), or one per batch item as diffusers' `randn_tensor` draws with
 * `generator=[g_0, g_1, ...]`: `torch.randn((1, ...rest), generator=g_i)` for each item, concatenated.
 * Internal to the step and scheduler layers.
 *
 * @module
 * @internal
 */
import * as E from 'fp-ts/lib/Either.js';
import { schedulerError, type SchedulerError } from '../errors.js';
import type { CpuCapability } from '../cpuCapability.js';
import { isGeneratorValue, notAGenerator, type GeneratorValue, type TorchGenerator } from '../random/generator.js';
import { normalsInto } from '../random/randn.js';

/**
 * One generator for the batch, or one per batch item (diffusers' `generator=[...]`).
 *
 * @example
 * ```ts
 * const one: Generators = torchGenerator(0);
 * const perItem: Generators = [torchGenerator(0), torchGenerator(1)];
 * ```
 */
export type Generators = TorchGenerator | ReadonlyArray<TorchGenerator>;

/** A checked {@link Generators}: the library's own generator values. @internal */
export type NoiseSource = GeneratorValue | ReadonlyArray<GeneratorValue>;

const otherFamily = (parameter: string, g: GeneratorValue, capability: CpuCapability): SchedulerError =>
  schedulerError(
    'InvalidGeneratorState',
    parameter,
    g.cpuCapability,
    `a generator of cpuCapability '${capability}', the step's (torchGenerator(seed, { cpuCapability: '${capability}' }))`,
    'its noise would match no torch run of the scheduler\'s CPU kernel family',
  );

/**
 * Checks a step's or a loop's `generator` argument: absent, one generator the library made, or an
 * array of exactly `batch` of them; each of the kernel family `capability`.
 *
 * @example
 * ```ts
 * checkGenerators([torchGenerator(0)], 2, 'avx512', 'generator')
 * // left: InvalidGeneratorState 'generator': one generator per batch item (2)
 * ```
 * @internal
 */
export const checkGenerators = (
  value: unknown,
  batch: number,
  capability: CpuCapability,
  parameter: string,
): E.Either<SchedulerError, NoiseSource | undefined> => {
  if (value === undefined) return E.right(undefined);
  if (isGeneratorValue(value)) return value.cpuCapability === capability ? E.right(value) : E.left(otherFamily(parameter, value, capability));
  if (!Array.isArray(value)) return E.left(notAGenerator(parameter, value));
  if (value.length !== batch) {
    return E.left(
      schedulerError(
        'InvalidGeneratorState',
        parameter,
        value,
        `one generator, or an array of one generator per batch item (${batch})`,
        `an array of ${value.length}`,
      ),
    );
  }
  const list: GeneratorValue[] = [];
  for (let b = 0; b < batch; b++) {
    const g: unknown = value[b];
    if (!isGeneratorValue(g)) return E.left(notAGenerator(`${parameter}[${b}]`, g));
    if (g.cpuCapability !== capability) return E.left(otherFamily(`${parameter}[${b}]`, g, capability));
    list.push(g);
  }
  return E.right(Object.freeze(list));
};

/**
 * Fills `out` (a contiguous batch of `batch` items) with standard normal noise from `source` and
 * returns the advanced source. One generator draws `randn(out.length)`. An array draws
 * `randn(item)` for each item b from its own generator, where `draws(b)` is true; an item that does
 * not draw is zero-filled and keeps its generator.
 *
 * @example
 * ```ts
 * const next = drawNoiseInto(noise.data, [g0, g1], 2, () => true);
 * ```
 * @internal
 */
export const drawNoiseInto = (out: Float32Array, source: NoiseSource, batch: number, draws: (b: number) => boolean): NoiseSource => {
  if (!Array.isArray(source)) return normalsInto(out, source as GeneratorValue) as GeneratorValue;
  const item = batch === 0 ? 0 : out.length / batch;
  const next: GeneratorValue[] = [];
  for (let b = 0; b < batch; b++) {
    const g = source[b] as GeneratorValue;
    const slice = out.subarray(b * item, (b + 1) * item);
    if (draws(b)) {
      next.push(normalsInto(slice, g) as GeneratorValue);
    } else {
      slice.fill(0);
      next.push(g);
    }
  }
  return Object.freeze(next);
};
