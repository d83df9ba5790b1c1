import { scaleLinear, scaleOrdinal } from 'd3-scale';
import { line } from 'd3-shape';
import { scheduleRows, type ScheduleRow } from './scheduleRows.js';
import type { ScheduleSeries } from './scheduleSeries.js';

// Tableau 10: distinguishable lines for up to ten schedules.
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const PANEL_WIDTH = 440;
const PANEL_HEIGHT = 300;
const MARGIN = { top: 48, right: 24, bottom: 52, left: 64 };
const LEGEND_ROW = 20;

// Two decimals of a screen pixel are plenty and keep the file small.
const round = (v: number): number => Math.round(v * 100) / 100;

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Panel {
  readonly title: string;
  readonly yLabel: string;
  readonly value: (r: ScheduleRow) => number;
}

const PANELS: ReadonlyArray<Panel> = [
  { title: 'log-SNR against t', yLabel: 'log SNR = log(alphaBar / (1 - alphaBar))', value: (r) => r.logSnr },
  { title: 'alphaBar against t', yLabel: 'alphaBar (signal kept)', value: (r) => r.alphaBar },
];

/**
 * An SVG picture of one or several schedules: log-SNR against t on the left and alphaBar against t on
 * the right, one coloured line per schedule (dots on the timesteps when an inference schedule has few
 * enough of them), axes with ticks and a legend. Scales come from d3-scale and paths from d3-shape;
 * a log-SNR of -Infinity (zero terminal SNR) leaves a gap and is noted in the legend.
 *
 * @example
 * ```ts
 * const svg = scheduleSvg([{ label: 'linear', scheduler: unwrap(createScheduler()) }]);
 * svg.startsWith('<svg'); // true
 * ```
 */
export const scheduleSvg = (series: ReadonlyArray<ScheduleSeries>): string => {
  const data = series.map((s) => ({ label: s.label, rows: scheduleRows(s.scheduler) }));
  const color = scaleOrdinal<string, string>()
    .domain(data.map((_, i) => String(i)))
    .range(PALETTE);
  const innerWidth = PANEL_WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const legendHeight = data.length * LEGEND_ROW + 16;
  const width = PANEL_WIDTH * PANELS.length;
  const height = PANEL_HEIGHT + legendHeight;
  const maxT = Math.max(1, ...data.flatMap((d) => d.rows.map((r) => r.t)));
  const x = scaleLinear().domain([0, maxT]).range([0, innerWidth]).nice();

  const panels = PANELS.map((panel, p) => {
    const finite = data.flatMap((d) => d.rows.map(panel.value).filter(Number.isFinite));
    const lo = finite.length === 0 ? 0 : Math.min(...finite);
    const hi = finite.length === 0 ? 1 : Math.max(...finite);
    const y = scaleLinear()
      .domain(lo === hi ? [lo - 1, hi + 1] : [lo, hi])
      .range([innerHeight, 0])
      .nice();
    const path = line<ScheduleRow>()
      .defined((r) => Number.isFinite(panel.value(r)))
      .x((r) => round(x(r.t)))
      .y((r) => round(y(panel.value(r))));
    const xTicks = x.ticks(6).map(
      (t) =>
        `<g transform="translate(${x(t)},${innerHeight})"><line y2="6" stroke="#333"/><text y="20" text-anchor="middle">${x.tickFormat(6)(t)}</text></g>`,
    );
    const yTicks = y.ticks(6).map(
      (v) =>
        `<g transform="translate(0,${y(v)})"><line x2="${innerWidth}" stroke="#e5e5e5"/><line x1="-6" stroke="#333"/><text x="-9" dy="0.32em" text-anchor="end">${y.tickFormat(6)(v)}</text></g>`,
    );
    const lines = data.map((d, i) => {
      const stroke = color(String(i));
      const dots =
        d.rows.length <= 60
          ? d.rows
              .filter((r) => Number.isFinite(panel.value(r)))
              .map((r) => `<circle cx="${round(x(r.t))}" cy="${round(y(panel.value(r)))}" r="2.5" fill="${stroke}"/>`)
              .join('')
          : '';
      return `<path d="${path(d.rows as ScheduleRow[]) ?? ''}" fill="none" stroke="${stroke}" stroke-width="2"/>${dots}`;
    });
    return [
      `<g transform="translate(${p * PANEL_WIDTH + MARGIN.left},${MARGIN.top})">`,
      `<text x="${innerWidth / 2}" y="-22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(panel.title)}</text>`,
      ...yTicks,
      `<line x1="0" x2="${innerWidth}" y1="${innerHeight}" y2="${innerHeight}" stroke="#333"/>`,
      `<line y1="0" y2="${innerHeight}" stroke="#333"/>`,
      ...xTicks,
      `<text x="${innerWidth / 2}" y="${innerHeight + 40}" text-anchor="middle">timestep t</text>`,
      `<text transform="translate(-48,${innerHeight / 2}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
      `<g clip-path="url(#plot-area)">${lines.join('')}</g>`,
      `</g>`,
    ].join('\n');
  });

  const legend = data.map((d, i) => {
    const infinite = d.rows.find((r) => r.logSnr === -Infinity);
    const zeroSnr = infinite === undefined ? '' : ` (zero SNR: log-SNR = -inf at t = ${infinite.t})`;
    const y = PANEL_HEIGHT + 8 + i * LEGEND_ROW;
    return `<g transform="translate(${MARGIN.left},${y})"><line x2="28" y1="6" y2="6" stroke="${color(String(i))}" stroke-width="3"/><text x="36" y="10">${escapeXml(`${d.label}${zeroSnr}`)}</text></g>`;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<defs><clipPath id="plot-area"><rect x="-3" y="-3" width="${innerWidth + 6}" height="${innerHeight + 6}"/></clipPath></defs>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
};
