// Imports the built package by its own name through the exports map, as an ESM user would.
import assert from 'node:assert/strict';
import * as lib from 'ddpm-scheduler';
import { expectedExports, exercise } from './smoke-checks.cjs';

for (const name of expectedExports) assert.equal(typeof lib[name], 'function', `ESM export ${name}`);
exercise(lib, 'esm');
console.log(`smoke (esm): ${expectedExports.length} exports present and working`);
