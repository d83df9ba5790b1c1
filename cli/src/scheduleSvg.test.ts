import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, setTimesteps, type DDPMConfig, type DDPMScheduler } from 'ddpm-scheduler';
import { scheduleSvg } from './scheduleSvg.js';

const make = (config: Partial<DDPMConfig>, steps?: number): DDPMScheduler => {
  const s = E.flatMap((x: DDPMScheduler) => (steps === undefined ? E.right(x) : setTimesteps(x, steps)))(createScheduler(config));
  if (E.isLeft(s)) throw new Error(s.left.message);
  return s.right;
};

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('scheduleSvg', () => {
  const svg = scheduleSvg([
    { label: 'linear <default>', scheduler: make({}) },
    { label: 'cosine & rescaled', scheduler: make({ betaSchedule: 'squaredcos_cap_v2', rescaleBetasZeroSnr: true }) },
  ]);

  it('is one svg element with two panels and one line per schedule in each', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('log-SNR against t');
    expect(svg).toContain('alphaBar against t');
    expect(count(svg, /<path d="M/g)).toBe(4);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('has tick labels on both axes and a legend with escaped labels', () => {
    expect(svg).toContain('>1,000</text>');
    expect(svg).toContain('>0.8</text>');
    // d3-format writes a true minus sign (U+2212)
    expect(svg).toContain('>\u221210</text>');
    expect(svg).toContain('linear &lt;default&gt;');
    expect(svg).toContain('cosine &amp; rescaled (zero SNR: log-SNR = -inf at t = 999)');
  });

  it('leaves the -Infinity log-SNR out of the line', () => {
    const rescaled = scheduleSvg([{ label: 'r', scheduler: make({ rescaleBetasZeroSnr: true }) }]);
    const logSnrPath = /<path d="([^"]*)"/.exec(rescaled)?.[1] ?? '';
    // d3-shape's line: one M, then an L per further defined point (999 of the 1000 rows are finite)
    expect(count(logSnrPath, /M/g)).toBe(1);
    expect(count(logSnrPath, /L/g)).toBe(998);
  });

  it('marks the timesteps of a short inference schedule with dots', () => {
    const dotted = scheduleSvg([{ label: 'ten', scheduler: make({}, 10) }]);
    expect(count(dotted, /<circle /g)).toBe(20);
  });
});
