#!/usr/bin/env node
/**
 * The `ddpm-scheduler` executable: `ddpm-scheduler schedule ...` and `ddpm-scheduler demo ...`
 * (see `ddpm-scheduler --help`). The package's bin, `bin/ddpm-scheduler.js`, runs this file once built.
 *
 * @module
 */
import { main } from './main.js';
import { nodeIo } from './nodeIo.js';

process.exitCode = await main(process.argv.slice(2), nodeIo());
