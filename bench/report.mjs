// Pure helpers of the benchmark harness: medians, ratios, targets, and the text and markdown tables.
// Nothing here measures or reads the clock, so every figure printed is one the harness measured.

/** The median of a non-empty list of numbers (the mean of the two middle values for an even count). */
export const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** A duration in nanoseconds with a unit that keeps three or four significant digits. */
export const formatTime = (ns) => {
  if (!Number.isFinite(ns)) return 'n/a';
  if (ns >= 1e9) return `${(ns / 1e9).toFixed(3)} s`;
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(ns >= 1e8 ? 1 : ns >= 1e7 ? 2 : 3)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(ns >= 1e5 ? 1 : ns >= 1e4 ? 2 : 3)} µs`;
  return `${ns.toFixed(ns >= 100 ? 1 : 2)} ns`;
};

/** A ratio as "1.23x" (two decimals below 10, one up to 100, none above). */
export const formatRatio = (r) => {
  if (!Number.isFinite(r)) return 'n/a';
  return `${r.toFixed(r >= 100 ? 0 : r >= 10 ? 1 : 2)}x`;
};

/** Bytes as an integer count with thousands separators. */
export const formatBytes = (b) => `${Math.round(b).toLocaleString('en-US')} B`;

/** The element count as written in the issue: 16 384, 1 048 576. */
export const formatCount = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f');

/** Bandwidth in GB/s for `bytes` moved in `ns` nanoseconds. */
export const gbPerSecond = (bytes, ns) => bytes / ns;

/**
 * A target of the form "measured <= limit" (a ratio that must not exceed `limit`) or "measured >= limit".
 * Returns the verdict and, when missed, by how much (the measured ratio over the limit).
 */
export const verdict = (measured, limit, direction) => {
  if (!Number.isFinite(measured)) return { met: false, text: 'not measured' };
  const met = direction === '<=' ? measured <= limit : measured >= limit;
  if (met) return { met, text: 'met' };
  const factor = direction === '<=' ? measured / limit : limit / measured;
  return { met, text: `missed by ${((factor - 1) * 100).toFixed(1)}%` };
};

const widthsOf = (headers, rows) =>
  headers.map((h, c) => Math.max(h.length, ...rows.map((r) => String(r[c]).length)));

/** A plain-text table with the first column left-aligned and the others right-aligned. */
export const textTable = (headers, rows) => {
  const widths = widthsOf(headers, rows);
  const line = (cells) =>
    cells.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
};

/** A GitHub markdown table, numeric columns right-aligned. */
export const markdownTable = (headers, rows) => {
  const escape = (cell) => String(cell).replace(/\|/g, '\\|');
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `|${headers.map((_, c) => (c === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`),
  ].join('\n');
};
