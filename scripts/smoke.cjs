// Requires the built package by its own name through the exports map, as a CommonJS user would.
const assert = require('node:assert/strict');
const lib = require('ddpm-scheduler');
const { expectedExports, exercise } = require('./smoke-checks.cjs');

for (const name of expectedExports) assert.equal(typeof lib[name], 'function', `CJS export ${name}`);
exercise(lib, 'cjs');
console.log(`smoke (cjs): ${expectedExports.length} exports present and working`);
