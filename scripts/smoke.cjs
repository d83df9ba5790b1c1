// Requires the built package by its own name through the exports map, as a CommonJS user would.
const assert = require('node:assert/strict');
const lib = require('ddpm-scheduler');
const node = require('ddpm-scheduler/node');
const { expectedExports, exercise, exerciseNode } = require('./smoke-checks.cjs');

for (const name of expectedExports) assert.notEqual(lib[name], undefined, `CJS export ${name}`);
exercise(lib, 'cjs');
exerciseNode(node);
console.log(`smoke (cjs): ${expectedExports.length} exports present and working`);
