import type { ScheduleTables } from '../schedule/index.js';

/** What {@link formatScheduleSummary} shows. */
export interface ScheduleSummaryInput {
  /** The first line, e.g. the config in words. */
  readonly title: string;
  readonly tables: ScheduleTables;
  /** The timesteps to list with beta, alphaBar and SNR. Those outside the tables are skipped. */
  readonly rows: ReadonlyArray<number>;
  /** Inference timesteps per spacing name; the first `headLength` of each are shown. */
  readonly spacings: ReadonlyArray<readonly [string, Int32Array]>;
  /** Default 8. */
  readonly headLength?: number;
}

const number = (x: number): string => (x === 0 ? '0' : Number.isFinite(x) ? x.toExponential(4) : String(x));

/**
 * A plain-text summary of a schedule: one row per chosen timestep with t, beta, alphaBar and the
 * signal-to-noise ratio alphaBar / (1 - alphaBar), then the head of each spacing's timesteps. Pure.
 *
 * @example
 * ```ts
 * const tables = makeTables(new Float32Array([0.1, 0.5]));
 * formatScheduleSummary({ title: 'two steps', tables, rows: [0, 1], spacings: [['trailing', Int32Array.from([1, 0])]] });
 * // 'two steps\n      t        beta    alphaBar         snr\n      0   1.0000e-1   9.0000e-1 ...'
 * ```
 */
export const formatScheduleSummary = (input: ScheduleSummaryInput): string => {
  const { betas, alphasCumprod } = input.tables;
  const headLength = input.headLength ?? 8;
  const cell = (s: string, width: number) => s.padStart(width);
  const lines = [input.title, [cell('t', 7), cell('beta', 12), cell('alphaBar', 12), cell('snr', 12)].join('')];
  for (const t of input.rows) {
    if (!Number.isInteger(t) || t < 0 || t >= betas.length) continue;
    const alphaBar = alphasCumprod[t] as number;
    const snr = alphaBar / (1 - alphaBar);
    lines.push([cell(String(t), 7), cell(number(betas[t] as number), 12), cell(number(alphaBar), 12), cell(number(snr), 12)].join(''));
  }
  for (const [name, timesteps] of input.spacings) {
    const head = Array.from(timesteps.subarray(0, headLength)).join(', ');
    const more = timesteps.length > headLength ? ', …' : '';
    lines.push(`${name} (${timesteps.length}): ${head}${more}`);
  }
  return lines.join('\n');
};
