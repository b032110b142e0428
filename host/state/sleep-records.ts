/**
 * `sleep-manager.state`: the previous release's record of what the sleep sequence did to each guest, kept
 * byte-compatible so a pending resume written by 1.x is honoured after an upgrade (and the other way round).
 *
 *   vm_<id>=hibernated | shutdown | was_shutdown     stopped by this tool: resumed after wake
 *   vm_<id>=not_running | kept_running | ignored     left alone: never started by this tool
 *   ct_<id>=…                                        the same for containers
 *
 * Unlike 1.x (delete the line, then append), every change rewrites the whole file atomically (temp file,
 * fsync, rename, directory fsync), so a crash leaves the old or the new file, never a half-written one, and
 * each change is on disk before the action it announces starts.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { readFileCapped, writeFileAtomic } from '../../common/atomic-file';
import { errorMessage } from '../../common/errors';
import type { GuestKind } from '../config';
import { ensureStateDir } from './state-dir';

export const SLEEP_RECORDS_FILE = 'sleep-manager.state';

export const RESUMABLE_VALUES = ['hibernated', 'shutdown', 'was_shutdown'] as const;
export const SETTLED_VALUES = ['not_running', 'kept_running', 'ignored'] as const;
export type ResumableValue = (typeof RESUMABLE_VALUES)[number];
export type RecordValue = ResumableValue | (typeof SETTLED_VALUES)[number];
/** `vm_100`, `ct_200`. */
export type RecordKey = string;

const KEY_PATTERN = /^(vm|ct)_([0-9]{1,9})$/;

export function recordKey(kind: GuestKind, id: number): RecordKey {
  return `${kind}_${id}`;
}

export function parseRecordKey(key: RecordKey): { kind: GuestKind; id: number } | null {
  const m = KEY_PATTERN.exec(key);
  return m ? { kind: m[1] as GuestKind, id: Number(m[2]) } : null;
}

export function isResumable(value: RecordValue | null | undefined): value is ResumableValue {
  return (RESUMABLE_VALUES as readonly string[]).includes(value ?? '');
}

function isRecordValue(value: string): value is RecordValue {
  return isResumable(value as RecordValue) || (SETTLED_VALUES as readonly string[]).includes(value);
}

export interface ParsedRecords {
  /** In file order; a key written twice keeps its last value (what 1.x's upserts leave). */
  records: Map<RecordKey, RecordValue>;
  /** Lines that are not a known key=value (reported, and dropped at the next rewrite as 1.x does). */
  problems: string[];
}

export function parseSleepRecords(text: string, file = SLEEP_RECORDS_FILE): ParsedRecords {
  const records = new Map<RecordKey, RecordValue>();
  const problems: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    const value = eq < 0 ? '' : line.slice(eq + 1);
    if (!KEY_PATTERN.test(key) || !isRecordValue(value)) {
      problems.push(`${file}:${i + 1}: unknown record ${JSON.stringify(line.slice(0, 80))} (ignored)`);
      return;
    }
    records.delete(key);
    records.set(key, value);
  });
  return { records, problems };
}

export function serializeSleepRecords(records: ReadonlyMap<RecordKey, RecordValue>): string {
  return [...records].map(([k, v]) => `${k}=${v}\n`).join('');
}

export interface SleepRecordStore {
  readonly file: string;
  /** Reads the file (missing = no records). */
  load(): Promise<ParsedRecords>;
  /** The records as last loaded or written by this store. */
  current(): ReadonlyMap<RecordKey, RecordValue>;
  /** Sets (or with null removes) one record and writes the file before resolving. */
  set(key: RecordKey, value: RecordValue | null): Promise<void>;
  /** Replaces every record at once. */
  replace(records: ReadonlyMap<RecordKey, RecordValue>): Promise<void>;
}

/**
 * Changes are serialised within this process (guests are handled in parallel); across processes the
 * sequence lock makes sure only one writer exists.
 */
export function createSleepRecordStore(dir: string): SleepRecordStore {
  const file = path.join(dir, SLEEP_RECORDS_FILE);
  let records = new Map<RecordKey, RecordValue>();
  let queue: Promise<void> = Promise.resolve();

  const write = async (next: Map<RecordKey, RecordValue>) => {
    await ensureStateDir(dir);
    if (next.size === 0) await fs.rm(file, { force: true });
    else await writeFileAtomic(file, serializeSleepRecords(next), 0o644);
    records = next;
  };
  const serial = (fn: () => Promise<void>): Promise<void> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    file,
    async load() {
      let text: string;
      try {
        text = (await readFileCapped(file, 1024 * 1024)).toString('utf8');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
          records = new Map();
          return { records: new Map(), problems: [] };
        }
        throw new Error(`${file} cannot be read: ${errorMessage(e)}`, { cause: e });
      }
      const parsed = parseSleepRecords(text, file);
      records = new Map(parsed.records);
      return parsed;
    },
    current: () => records,
    set(key, value) {
      return serial(async () => {
        if (value === null ? !records.has(key) : records.get(key) === value) return;
        const next = new Map(records);
        next.delete(key);
        if (value !== null) next.set(key, value);
        await write(next);
      });
    },
    replace(next) {
      return serial(() => write(new Map(next)));
    },
  };
}
