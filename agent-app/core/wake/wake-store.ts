/**
 * The user's wake time as `wake.json` in the state directory (see state-file.ts), and the wake source that
 * reports it. The file is read on every evaluation (it is tiny), so a new `wake-at` counts at once.
 */
import { createStateFile, type StateFile } from '../state-file';
import { pendingWakeAt, type WakeAtSetting } from './wake-at';
import type { WakeSource } from './wake-request';

export type WakeStore = StateFile<WakeAtSetting>;

export function parseWakeFile(text: string): WakeAtSetting | null {
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (doc === null || typeof doc !== 'object' || doc.at === null || doc.at === undefined) return null;
  const at = typeof doc.at === 'string' ? Date.parse(doc.at) : NaN;
  if (!Number.isFinite(at)) throw new Error('"at" is not a time');
  const setAt = typeof doc.set_at === 'string' ? Date.parse(doc.set_at) : NaN;
  const source = typeof doc.source === 'string' && doc.source.length <= 64 ? doc.source : 'unknown';
  return { at, source, setAt: Number.isFinite(setAt) ? setAt : 0 };
}

export function formatWakeFile(setting: WakeAtSetting | null): string {
  const doc =
    setting === null
      ? { at: null, source: null, set_at: null }
      : {
          at: new Date(setting.at).toISOString(),
          source: setting.source,
          set_at: new Date(setting.setAt).toISOString(),
        };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const WAKE_FILE = 'wake.json';

export function createWakeStore(stateDir: string, onProblem?: (message: string) => void): WakeStore {
  return createStateFile(stateDir, WAKE_FILE, { parse: parseWakeFile, format: formatWakeFile }, onProblem);
}

export function createUserWakeSource(store: WakeStore): WakeSource {
  return {
    name: 'wake-at',
    async read(_signal, now) {
      const setting = pendingWakeAt(await store.read(), now);
      return setting === null ? [] : [{ at: setting.at, source: `wake-at (set by ${setting.source})` }];
    },
  };
}
