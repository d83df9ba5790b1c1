/**
 * `npm run demo`: `ddpm-scheduler demo` with the arguments after `--`
 * (`npm run demo -- --steps 100 --seed 7`), with the package's trained network (models/digits).
 *
 * @module
 */
import { fileURLToPath } from 'node:url';
import { main } from './main.js';
import { nodeIo } from './nodeIo.js';

const modelDir = fileURLToPath(new URL('../models/digits/', import.meta.url));
process.exitCode = await main(['demo', ...process.argv.slice(2)], { ...nodeIo(), modelDir });
