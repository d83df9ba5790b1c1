#!/usr/bin/env node
// The `ddpm-scheduler` executable. This file is written, not compiled: npm links a bin into
// node_modules/.bin at install time only if its file exists then, before anything is built. It runs the
// compiled command line in dist/.
try {
  await import('../dist/bin.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error(`ddpm-scheduler: ${error.message}\n(in the repository, \`npm run build\` at its root builds the library and the command line)`);
  process.exitCode = 1;
}
