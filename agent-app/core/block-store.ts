/**
 * The persisted block override (`block.json` in the state directory, see state-file.ts). The stored end
 * is absolute, so an expired block simply reads as inactive.
 */
import type { BlockSetting } from './block';
import { createStateFile, type StateFile } from './state-file';

export type BlockStore = StateFile<BlockSetting>;

export function parseBlockFile(text: string): BlockSetting | null {
  const doc = JSON.parse(text) as Record<string, unknown>;
  if (doc === null || typeof doc !== 'object' || doc.active !== true) return null;
  const until = doc.until === null ? null : typeof doc.until === 'string' ? Date.parse(doc.until) : NaN;
  const setAt = typeof doc.set_at === 'string' ? Date.parse(doc.set_at) : NaN;
  if (until !== null && !Number.isFinite(until)) throw new Error('"until" is not a time');
  const source = typeof doc.source === 'string' && doc.source.length <= 64 ? doc.source : 'unknown';
  return { until, source, setAt: Number.isFinite(setAt) ? setAt : 0 };
}

export function formatBlockFile(setting: BlockSetting | null): string {
  const doc =
    setting === null
      ? { active: false, until: null, source: null, set_at: null }
      : {
          active: true,
          until: setting.until === null ? null : new Date(setting.until).toISOString(),
          source: setting.source,
          set_at: new Date(setting.setAt).toISOString(),
        };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export function createBlockStore(stateDir: string, onProblem?: (message: string) => void): BlockStore {
  return createStateFile(
    stateDir,
    'block.json',
    { parse: parseBlockFile, format: formatBlockFile },
    onProblem,
  );
}
