// Unit tests live beside the code in src/ (and cli/src/ for the command line's package), fast-check
// properties in property-tests/.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.test.ts'] },
    { ...shared, displayName: 'properties', testMatch: ['<rootDir>/property-tests/**/*.test.ts'] },
    // The command line imports the library by its package name; its tests run it on the library's sources.
    {
      ...shared,
      displayName: 'cli',
      testMatch: ['<rootDir>/cli/src/**/*.test.ts'],
      moduleNameMapper: {
        '^ddpm-scheduler$': '<rootDir>/src/index.ts',
        '^ddpm-scheduler/node$': '<rootDir>/src/node/index.ts',
        ...shared.moduleNameMapper,
      },
    },
  ],
};
