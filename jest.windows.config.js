/** The Windows suite (`npm run test:windows`): the agent's Windows build paths run by the official Windows
 * Node under wine64, in a throwaway Wine prefix made once per run by the global setup. Not part of `npm test`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/windows'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 120000,
  // One Wine prefix and one wineserver for the run: files run one after another.
  maxWorkers: 1,
  globalSetup: '<rootDir>/__tests__/windows/global-setup.ts',
  globalTeardown: '<rootDir>/__tests__/windows/global-teardown.ts',
};
