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

/** Runs one set-up step and notes how long it took. */
async function timed<T>(took: string[], name: string, step: () => T | Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await step();
  took.push(`${name} ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

export default async function globalSetup(): Promise<void> {
  const took: string[] = [];
  await timed(took, 'build', buildDist);
  const wine = findWineOrExplain();
  const nodeExe = await timed(took, 'Windows Node', () => windowsNode());
  const prefix = await timed(took, 'prefix', () => createPrefix(wine));
  const standInExe = await timed(took, 'stand-in', () => standInProgram({ ...wine, prefix, nodeExe }));
  const run: WineRun = { ...wine, prefix, nodeExe, standInExe };
  process.env[WINE_RUN_ENV] = JSON.stringify(run);
  process.stderr.write(
    `\n[windows] ${wine.wine64}, prefix ${prefix}, Node ${nodeExe}; set-up: ${took.join(', ')}\n`,
  );
}
