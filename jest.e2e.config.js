/** End-to-end suites on real QEMU guests (`npm run test:e2e`). Not part of `npm test`: a guest takes about
 * 20 s to boot under TCG, so these run one file at a time with long timeouts. The global setup builds dist/
 * and builds or reuses the cached lab image before the first test. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 600000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/__tests__/e2e/global-setup.ts',
};
