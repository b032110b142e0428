// `npm run test:windows`: the agent's Windows code paths run by the official Windows build of Node under
// wine64 (jest.windows.config.js). Where wine64 is not installed it says so on one line and succeeds.
const { spawnSync } = require('child_process');
const path = require('path');
const { findWine, DEBIAN_LOCATIONS } = require('./find-wine');

const root = path.join(__dirname, '..', '..');
const wine = findWine();
if (!wine) {
  console.log(
    `test:windows SKIPPED: wine64 not found ($WINE64, PATH, ${DEBIAN_LOCATIONS.join(', ')}); install the Debian package wine64`,
  );
  process.exit(0);
}
const jest = require.resolve('jest/bin/jest');
const result = spawnSync(
  process.execPath,
  [jest, '--config', path.join(root, 'jest.windows.config.js'), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit', env: { ...process.env, WINE64: wine.wine64 } },
);
process.exit(result.status ?? 1);
