// Unit tests live beside the code in src/ (and cli/src/ for the command line's package), fast-check
// properties in property-tests/.
//
// `npm test` runs the unit, properties and cli projects once, on the default backend (WebAssembly on
// Node), then the `backend` project on the JavaScript kernels: the suites whose numbers depend on which
// kernels run (the noise, the step, the loops, the CSP run), asserted against the fixtures again, the
// bad-inputs table (src/badInputs), whose every row must hold on both backends, and the checks that
// every output over unfilled memory is written in full (src/tensor/unfilled.ts). The
// suites of src/kernels and src/wasm switch backends themselves (src/kernels/crossBackend.test.ts
// asserts identical bits on both), so they need no second pass.
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

export default {
  projects: [
    {
      ...shared,
      displayName: 'backend',
      testMatch: [
        '<rootDir>/src/random/**/*.test.ts',
        '<rootDir>/src/step/**/*.test.ts',
        '<rootDir>/src/scheduler/step.test.ts',
        '<rootDir>/src/scheduler/denoise.test.ts',
        '<rootDir>/src/scheduler/perItemGenerators.test.ts',
        '<rootDir>/src/csp.test.ts',
        '<rootDir>/src/badInputs/**/*.test.ts',
        '<rootDir>/property-tests/random.test.ts',
        '<rootDir>/property-tests/step.test.ts',
        '<rootDir>/src/tensor/unfilled.test.ts',
        '<rootDir>/property-tests/unfilled.test.ts',
      ],
    },
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.test.ts'] },
    // `npm run test:relaxed` (scripts/test-relaxed.mjs): the suites whose bits come from the WebAssembly
    // kernels, again on their relaxed-SIMD build (the unit pass runs them on whichever build the engine
    // picks: the SIMD one on Node 20).
    {
      ...shared,
      displayName: 'relaxed',
      testMatch: [
        '<rootDir>/src/wasm/**/*.test.ts',
        '<rootDir>/src/kernels/crossBackend.test.ts',
        '<rootDir>/src/random/**/*.test.ts',
        '<rootDir>/src/scheduler/denoise.test.ts',
        '<rootDir>/property-tests/wasmBuilds.test.ts',
      ],
    },
    {
      ...shared,
      displayName: 'properties',
      testMatch: ['<rootDir>/property-tests/**/*.test.ts'],
      // property-tests/networkConversion.test.ts checks the command line's network wrapper, which imports the library by name
      moduleNameMapper: { '^ddpm-scheduler$': '<rootDir>/src/index.ts', ...shared.moduleNameMapper },
    },
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
