/**
 * Writes the status file atomically (temp file, fsync, rename, directory fsync), so a reader sees the old
 * or the new document, never a part. On POSIX the directory must be a real directory (not a symlink) owned
 * by this user and not writable by group or others; otherwise an unprivileged user could swap the file the
 * host trusts. The file itself is 0644: the host's guest agent (root) and local users may read it.
 */
import * as path from 'path';
import {
  ensureRealDirectory,
  readFileCapped,
  UnsafeDirectoryError,
  writeFileAtomic,
} from '../../common/atomic-file';
import { MAX_STATUS_BYTES } from '../../protocol/version';
import type { Status } from '../../protocol/status';

export class UnsafeStatusDirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeStatusDirError';
  }
}

/** Creates the directory (0755) when missing and refuses one an unprivileged user could tamper with. */
export async function prepareStatusDir(
  file: string,
  platform: NodeJS.Platform = process.platform,
): Promise<void> {
  const dir = path.dirname(file);
  let stat;
  try {
    stat = await ensureRealDirectory(dir);
  } catch (e) {
    if (e instanceof UnsafeDirectoryError) throw new UnsafeStatusDirError(e.message);
    throw e;
  }
  if (platform === 'win32') return;
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid && stat.uid !== 0)
    throw new UnsafeStatusDirError(
      `${dir} belongs to uid ${stat.uid}; it must belong to root or to this agent (uid ${uid})`,
    );
  if ((stat.mode & 0o022) !== 0)
    throw new UnsafeStatusDirError(
      `${dir} is writable by group or others (mode ${(stat.mode & 0o777).toString(8)}); use 0755`,
    );
}

export interface StatusWriter {
  write(status: Status): Promise<void>;
  readonly file: string;
}

export function createStatusWriter(file: string, platform: NodeJS.Platform = process.platform): StatusWriter {
  let prepared = false;
  return {
    file,
    async write(status) {
      if (!prepared) {
        await prepareStatusDir(file, platform);
        prepared = true;
      }
      await writeFileAtomic(file, `${JSON.stringify(status)}\n`, 0o644);
    },
  };
}

/** The previous document's fields the agent continues from (seq, idle streak), read without trusting it. */
export interface PreviousStatus {
  seq: number;
  idle: boolean;
  idleSeconds: number;
  writtenAt: number;
  /** `tray` or `daemon` (agent.variant), null when missing. */
  variant: string | null;
  intervalSeconds: number | null;
}

/** A document written at `writtenAt` still stands for "now": at most two of its intervals plus 5 s old. */
export function isFresh(writtenAt: number, intervalSeconds: number, now: number): boolean {
  const age = now - writtenAt;
  return age >= -5000 && age <= (2 * intervalSeconds + 5) * 1000;
}

export async function readPreviousStatus(file: string): Promise<PreviousStatus | null> {
  try {
    const text = (await readFileCapped(file, MAX_STATUS_BYTES)).toString('utf8');
    const doc = JSON.parse(text) as Record<string, unknown>;
    const agent = (doc.agent ?? {}) as Record<string, unknown>;
    const writtenAt = typeof doc.written_at === 'string' ? Date.parse(doc.written_at) : NaN;
    if (
      typeof doc.seq !== 'number' ||
      !Number.isSafeInteger(doc.seq) ||
      doc.seq < 0 ||
      !Number.isFinite(writtenAt)
    )
      return null;
    return {
      seq: doc.seq,
      idle: doc.idle === true,
      idleSeconds: typeof doc.idle_seconds === 'number' && doc.idle_seconds >= 0 ? doc.idle_seconds : 0,
      writtenAt,
      variant: typeof agent.variant === 'string' ? agent.variant : null,
      intervalSeconds:
        typeof doc.interval_seconds === 'number' && doc.interval_seconds > 0 ? doc.interval_seconds : null,
    };
  } catch {
    return null;
  }
}
