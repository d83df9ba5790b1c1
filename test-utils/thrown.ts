import { SchedulerException } from '../src/errors.js';

/**
 * What a call throws, for tests of the throwing conveniences: `[tag, parameter]` of a
 * SchedulerException, anything else thrown as it is, or `'returned'` when nothing was thrown.
 */
export const thrownBy = (call: () => unknown): unknown => {
  try {
    call();
  } catch (e) {
    return e instanceof SchedulerException ? [e.error._tag, e.error.parameter] : e;
  }
  return 'returned';
};
