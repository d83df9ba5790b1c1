import * as E from 'fp-ts/lib/Either.js';
import { createScheduler, type DDPMScheduler } from 'ddpm-scheduler';
import { formatScheduleTable } from './formatScheduleTable.js';

const twoSteps = (): DDPMScheduler => {
  const s = createScheduler({ numTrainTimesteps: 2, trainedBetas: [0.5, 1], precision: 'float64' });
  if (E.isLeft(s)) throw new Error(s.left.message);
  return s.right;
};

describe('formatScheduleTable', () => {
  it('prints t, beta, alphaBar, SNR and log-SNR per timestep under a heading', () => {
    expect(formatScheduleTable([{ label: 'two', scheduler: twoSteps() }]).split('\n')).toEqual([
      '# two (2 rows)',
      '     t          beta      alphaBar           snr    log-snr',
      '     0    5.00000e-1    5.00000e-1    1.00000e+0     0.0000',
      '     1    1.00000e+0             0             0       -inf',
    ]);
  });

  it('separates several schedules by a blank line', () => {
    const text = formatScheduleTable([
      { label: 'a', scheduler: twoSteps() },
      { label: 'b', scheduler: twoSteps() },
    ]);
    expect(text.split('\n\n').map((block) => block.split('\n')[0])).toEqual(['# a (2 rows)', '# b (2 rows)']);
  });
});
