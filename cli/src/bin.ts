#!/usr/bin/env node
/**
 * The `ddpm-scheduler` executable: `ddpm-scheduler schedule ...` and `ddpm-scheduler demo ...`
 * (see `ddpm-scheduler --help`). The package's bin, `bin/ddpm-scheduler.js`, runs this file once built.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { nodeIo } from './nodeIo.js';

// the package's own package.json, one folder above src/ and dist/ alike
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
// the package's trained network, beside src/ and dist/
const modelDir = fileURLToPath(new URL('../models/digits/', import.meta.url));
process.exitCode = await main(process.argv.slice(2), { ...nodeIo(version), modelDir });
