/**
 * The persisted block override (`block.json` in the state directory, which survives reboots). Written
 * atomically; a missing, unreadable or malformed file means "no block" (with a warning for the latter).
 * The stored end is absolute, so an expired block simply reads as inactive.
 */
import * as path from 'path';
import { ensureRealDirectory, readFileCapped, writeFileAtomic } from '../../common/atomic-file';
import type { BlockSetting } from './block';

export interface BlockStore {
  read(): Promise<BlockSetting | null>;
  write(setting: BlockSetting | null): Promise<void>;
  readonly file: string;
}

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
  const file = path.join(stateDir, 'block.json');
  return {
    file,
    async read() {
      let text: string;
      try {
        text = (await readFileCapped(file, 4096)).toString('utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
          onProblem?.(`cannot read ${file}: ${(e as Error).message}`);
        return null;
      }
      try {
        return parseBlockFile(text);
      } catch (e) {
        onProblem?.(`ignoring ${file}: ${(e as Error).message}`);
        return null;
      }
    },
    async write(setting) {
      // On Windows the host's `block` runs as SYSTEM in a folder users can write to: never follow a link there.
      await ensureRealDirectory(stateDir);
      await writeFileAtomic(file, formatBlockFile(setting), 0o644);
    },
  };
}
