/**
 * Before the Windows suite: dist/ and the tray's CLI bundle are current, the pinned Windows Node and the
 * stand-in program are in the cache, and a fresh Wine prefix exists for this run. The test files find all
 * of it in PSM_WINE.
 */
import { findWineOrExplain } from './helpers/find-wine';
import { createPrefix } from './helpers/prefix';
import { WINE_RUN_ENV, type WineRun } from './helpers/wine';
import { standInProgram, windowsNode } from './helpers/windows-node';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const buildDist = require('../helpers/global-setup.js') as () => Promise<void>;

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  await buildDist();
  const wine = findWineOrExplain();
  const nodeExe = await windowsNode();
  const prefix = createPrefix(wine);
  const standInExe = await standInProgram({ ...wine, prefix, nodeExe });
  const run: WineRun = { ...wine, prefix, nodeExe, standInExe };
  process.env[WINE_RUN_ENV] = JSON.stringify(run);
  process.stderr.write(
    `\n[windows] ${wine.wine64}, prefix ${prefix}, Node ${nodeExe} (set-up ${Date.now() - started} ms)\n`,
  );
}
