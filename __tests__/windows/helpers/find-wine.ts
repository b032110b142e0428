/** wine64 as `npm run test:windows` found it (scripts/windows/find-wine.js), or an error that says why not. */
import type { WineRun } from './wine';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { findWine } = require('../../../scripts/windows/find-wine.js') as {
  findWine(env?: NodeJS.ProcessEnv): Pick<WineRun, 'wine64' | 'wineserver'> | null;
};

export function findWineOrExplain(): Pick<WineRun, 'wine64' | 'wineserver'> {
  const wine = findWine();
  if (!wine)
    throw new Error('wine64 is not installed (Debian package wine64); `npm run test:windows` skips then');
  return wine;
}
