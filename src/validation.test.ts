import * as E from 'fp-ts/lib/Either.js';
import { configErrors, schedulerError, type SchedulerError } from './errors.js';
import { andThen, validateAll } from './validation.js';

const positive = (parameter: string, x: number): E.Either<SchedulerError, number> =>
  x > 0 ? E.right(x) : E.left(schedulerError('InvalidNumber', parameter, x, 'a number > 0'));

const leftOf = <A>(r: E.Either<SchedulerError, A>): SchedulerError => {
  if (E.isRight(r)) throw new Error(`expected a left, got ${String(r.right)}`);
  return r.left;
};

describe('validateAll', () => {
  it('returns the values of passing checks in their order, typed position for position', () => {
    const r = validateAll('pair', {}, [positive('lo', 1), E.right('linear' as const)]);
    expect(r).toEqual(E.right([1, 'linear']));
    if (E.isRight(r)) {
      const [lo, schedule]: readonly [number, 'linear'] = r.right;
      expect([lo, schedule]).toEqual([1, 'linear']);
    }
  });

  it('returns no values and no error for no checks', () => {
    expect(validateAll('nothing', {}, [])).toEqual(E.right([]));
  });

  it('returns a single problem as itself, not wrapped in InvalidConfig', () => {
    const lo = positive('lo', -1);
    expect(leftOf(validateAll('range', {}, [lo, positive('hi', 2)]))).toBe(leftOf(lo));
  });

  it('gathers several problems into one InvalidConfig about the whole value, in the order of the checks', () => {
    const received = { lo: -1, mid: 1, hi: 0 };
    const checks = [positive('lo', -1), positive('mid', 1), positive('hi', 0)] as const;
    const e = leftOf(validateAll('range', received, checks));
    expect(e).toMatchObject({ _tag: 'InvalidConfig', parameter: 'range', received, allowed: 'a valid configuration' });
    expect(e._tag === 'InvalidConfig' && e.errors).toEqual([leftOf(checks[0]), leftOf(checks[2])]);
    expect(e.message).toBe(
      'range: 2 problems\n  - lo: received -1; allowed: a number > 0\n  - hi: received 0; allowed: a number > 0',
    );
    expect(e).toEqual(configErrors('range', received, [leftOf(checks[0]), leftOf(checks[2])]));
    expect(Object.isFrozen(e)).toBe(true);
  });

  it('flattens a nested InvalidConfig into the outer list, where it stood', () => {
    const [a, b, c] = [positive('a', 0), positive('b', 0), positive('c', 0)].map(leftOf) as [SchedulerError, SchedulerError, SchedulerError];
    const inner = validateAll('inner', {}, [E.left(b), E.left(c)]);
    const e = leftOf(validateAll('outer', {}, [E.left(a), inner]));
    expect(e._tag === 'InvalidConfig' && e.errors).toEqual([a, b, c]);
    expect(e.parameter).toBe('outer');
  });

  it('returns a nested InvalidConfig as its own problems when it is the only failure', () => {
    const [b, c] = [positive('b', 0), positive('c', 0)].map(leftOf) as [SchedulerError, SchedulerError];
    const e = leftOf(validateAll('outer', 'whole', [validateAll('inner', {}, [E.left(b), E.left(c)]), positive('d', 1)]));
    expect(e).toEqual(configErrors('outer', 'whole', [b, c]));
  });

  it('keeps an InvalidConfig that lists no problems (a value of the wrong form) as one problem', () => {
    const wrongForm = configErrors('scheduler_config', 42, [], 'a JSON object');
    expect(leftOf(validateAll('outer', {}, [E.left(wrongForm)]))).toBe(wrongForm);
    const e = leftOf(validateAll('outer', {}, [E.left(wrongForm), positive('d', 0)]));
    expect(e._tag === 'InvalidConfig' && e.errors.map((x) => x.parameter)).toEqual(['scheduler_config', 'd']);
  });

  it('stays linear in the number of checks (a config object may have any number of keys)', () => {
    const checks = Array.from({ length: 200_000 }, (_, i) => positive(`k${i}`, i % 2));
    const start = Date.now();
    const e = leftOf(validateAll('config', {}, checks));
    expect(e._tag === 'InvalidConfig' && e.errors.length).toBe(100_000);
    expect(Date.now() - start).toBeLessThan(5_000);
  });

  it('leaves its checks array unchanged', () => {
    const checks = [positive('a', 0), positive('b', 1)];
    const before = [...checks];
    validateAll('pair', {}, checks);
    expect(checks).toEqual(before);
  });
});

describe('andThen', () => {
  it('is fp-ts flatMap: the next check on the value, the first error unchanged', () => {
    const bad = positive('x', 0);
    const next = (x: number) => positive('y', x - 1);
    for (const e of [positive('x', 3), positive('x', 1), bad]) expect(andThen(e, next)).toEqual(E.flatMap(next)(e));
    expect(andThen(bad, next)).toBe(bad);
    let called = false;
    andThen(bad, (x) => ((called = true), E.right(x)));
    expect(called).toBe(false);
  });
});
