/**
 * `npm run demo`: `ddpm-scheduler demo` with the arguments after `--`
 * (`npm run demo -- --steps 100 --seed 7`).
 *
 * @module
 */
import { main } from './main.js';
import { nodeIo } from './nodeIo.js';

process.exitCode = await main(['demo', ...process.argv.slice(2)], nodeIo());
