import { makeTables } from '../schedule/index.js';
import { formatScheduleSummary } from './scheduleSummary.js';

describe('formatScheduleSummary', () => {
  const tables = makeTables(Float64Array.from([0.1, 0.5, 1]));

  it('lists t, beta, alphaBar and snr for each chosen timestep', () => {
    const text = formatScheduleSummary({ title: 'three steps', tables, rows: [0, 1, 2], spacings: [] });
    expect(text.split('\n')).toEqual([
      'three steps',
      '      t        beta    alphaBar         snr',
      '      0   1.0000e-1   9.0000e-1   9.0000e+0',
      '      1   5.0000e-1   4.5000e-1   8.1818e-1',
      '      2   1.0000e+0           0           0',
    ]);
  });

  it('skips rows outside the tables', () => {
    const text = formatScheduleSummary({ title: 't', tables, rows: [-1, 3, 1.5], spacings: [] });
    expect(text.split('\n')).toHaveLength(2);
  });

  it('shows the head of each spacing and marks a cut', () => {
    const text = formatScheduleSummary({
      title: 't',
      tables,
      rows: [],
      spacings: [
        ['trailing', Int32Array.from([2, 1, 0])],
        ['leading', Int32Array.from([1, 0])],
      ],
      headLength: 2,
    });
    expect(text.split('\n').slice(2)).toEqual(['trailing (3): 2, 1, …', 'leading (2): 1, 0']);
  });
});
