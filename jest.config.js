/** Default suite: unit and integration tests on real local components. End-to-end suites on QEMU guests
 * live in __tests__/e2e and run through `npm run test:e2e` (jest.e2e.config.js); the Windows suite under
 * Wine lives in __tests__/windows and runs through `npm run test:windows` (jest.windows.config.js). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/__tests__/e2e/', '/__tests__/windows/'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 30000,
  globalSetup: '<rootDir>/__tests__/helpers/global-setup.js',
};
