/** The throwaway Wine prefix of one run: made once by the global setup, removed by the teardown. */
import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { wineTool, type WineRun } from './wine';

/** wineserver stays up this long after the last program, so the suite's programs start warm. */
const SERVER_LINGER_SECONDS = 60;

export function createPrefix(wine: Pick<WineRun, 'wine64' | 'wineserver'>): string {
  const prefix = mkdtempSync(path.join(tmpdir(), 'psm-wine-prefix-'));
  const run = { ...wine, prefix };
  wineTool(wine.wineserver, [`-p${SERVER_LINGER_SECONDS}`], run);
  wineTool(wine.wine64, ['wineboot', '--init'], run);
  return prefix;
}

export function removePrefix(run: Pick<WineRun, 'wineserver' | 'prefix'>): void {
  try {
    wineTool(run.wineserver, ['-k'], run);
  } finally {
    rmSync(run.prefix, { recursive: true, force: true });
  }
}
