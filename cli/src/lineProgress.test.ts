import { lineProgress } from './lineProgress.js';

describe('lineProgress', () => {
  it('writes a line at the start, at most one per interval, and one at the end', () => {
    const lines: string[] = [];
    let clock = 5000;
    const p = lineProgress((s) => lines.push(s), () => clock, 1000);
    p.start(4);
    clock += 400;
    p.update(1); // within the interval: nothing
    clock += 700;
    p.update(2);
    clock += 100;
    p.update(3);
    clock += 100;
    p.stop();
    expect(lines).toEqual(['denoising: 0/4 steps, 0.0 s\n', 'denoising: 2/4 steps, 1.1 s, 1.8 steps/s\n', 'denoising: 3/4 steps, 1.3 s, 2.3 steps/s\n']);
  });
});
