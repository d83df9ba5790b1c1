// Imports the built package by its own name through the exports map, as an ESM user would.
import assert from 'node:assert/strict';
import * as lib from 'ddpm-scheduler';
import * as node from 'ddpm-scheduler/node';
import { expectedExports, exercise, exerciseNode } from './smoke-checks.cjs';

for (const name of expectedExports) assert.notEqual(lib[name], undefined, `ESM export ${name}`);
exercise(lib, 'esm');
exerciseNode(node);
console.log(`smoke (esm): ${expectedExports.length} exports present and working`);
