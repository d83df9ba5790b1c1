// The checks shared by the ESM and CJS smoke tests: the public functions exist and really run
// (a wrong fp-ts or ndarray import form fails here, where jest would hide it).
const assert = require('node:assert/strict');

const expectedExports = ['schedulerError', 'SchedulerException'];

const exercise = (lib) => {
  const e = lib.schedulerError('InvalidNumber', 'n', -1, 'an integer >= 1');
  assert.equal(e._tag, 'InvalidNumber');
};

module.exports = { expectedExports, exercise };
