/** After the Windows suite: the run's wineserver is stopped and its prefix removed. */
import { removePrefix } from './helpers/prefix';
import { WINE_RUN_ENV, type WineRun } from './helpers/wine';

export default async function globalTeardown(): Promise<void> {
  const raw = process.env[WINE_RUN_ENV];
  if (raw) removePrefix(JSON.parse(raw) as WineRun);
}
