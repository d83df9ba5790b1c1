import { configErrors, schedulerError, SchedulerException, showValue } from './errors.js';

describe('schedulerError', () => {
  it('names the parameter, the value received and what is allowed', () => {
    const e = schedulerError('InvalidNumber', 'stepsOffset', -1, 'an integer >= 0');
    expect(e).toMatchObject({ _tag: 'InvalidNumber', parameter: 'stepsOffset', received: -1, allowed: 'an integer >= 0' });
    expect(e.message).toBe('stepsOffset: received -1; allowed: an integer >= 0');
    expect(Object.isFrozen(e)).toBe(true);
  });

  it('appends a detail when one is given', () => {
    expect(schedulerError('InvalidBetas', 'betaEnd', 2, 'a number in (0, 1]', 'diffusers accepts this').message).toBe(
      'betaEnd: received 2; allowed: a number in (0, 1] (diffusers accepts this)',
    );
  });
});

describe('showValue', () => {
  it.each([
    [NaN, 'NaN'],
    [-0, '-0'],
    [Infinity, 'Infinity'],
    [2n ** 64n, '18446744073709551616n'],
    ['cosine', '"cosine"'],
    [undefined, 'undefined'],
    [null, 'null'],
    [[1, 2], '[1, 2]'],
        [new Float64Array(3), 'Float64Array(3)'],
    [{ a: 1 }, '{"a":1}'],
  ])('shows %p as %s', (value, shown) => {
    expect(showValue(value)).toBe(shown);
  });

  it('describes long arrays by their length', () => {
    expect(showValue(new Array(100).fill(0))).toBe('an array of length 100');
  });

  it('describes nested arrays instead of walking them', () => {
    expect(showValue([[1, [2, [3]]]])).toBe('[[1, an array of length 2]]');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(showValue(deep)).toBe('[[an array of length 1]]');
  });

  it('shows an error, an abort reason included, by its name and message', () => {
    expect(showValue(new RangeError('too big'))).toBe('RangeError: too big');
    expect(showValue(new DOMException('This operation was aborted', 'AbortError'))).toBe('AbortError: This operation was aborted');
  });

  it('cuts long strings', () => {
    expect(showValue('x'.repeat(500)).length).toBeLessThan(100);
  });

  it('survives cyclic objects', () => {
    const o: Record<string, unknown> = {};
    o.self = o;
    expect(showValue(o)).toBe('an object');
  });
});

describe('configErrors', () => {
  it('lists every problem in one InvalidConfig error', () => {
    const a = schedulerError('InvalidNumber', 'numTrainTimesteps', 0, 'an integer >= 1');
    const b = schedulerError('InvalidOption', 'betaSchedule', 'cosine', "'linear' | 'scaled_linear'");
    const e = configErrors('config', {}, [a, b]);
    expect(e._tag).toBe('InvalidConfig');
    expect(e._tag === 'InvalidConfig' && e.errors).toEqual([a, b]);
    expect(e.message).toContain(a.message);
    expect(e.message).toContain(b.message);
    expect(e.message.startsWith('config: 2 problems')).toBe(true);
  });
});

describe('SchedulerException', () => {
  it('carries the error value and its message', () => {
    const e = schedulerError('InvalidSeed', 'seed', 0.5, 'an integer');
    const x = new SchedulerException(e);
    expect(x).toBeInstanceOf(Error);
    expect(x.error).toBe(e);
    expect(x.message).toBe(e.message);
  });
});

describe('configErrors without a list', () => {
  it('says the value as a whole is not of the allowed form', () => {
    const e = configErrors('scheduler_config', 42, [], 'a JSON object');
    expect(e.message).toBe('scheduler_config: received 42; allowed: a JSON object');
    expect(e._tag === 'InvalidConfig' && e.errors).toEqual([]);
  });
});
