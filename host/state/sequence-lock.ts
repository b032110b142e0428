/**
 * One sleep sequence at a time: `sequence.lock` in the state directory, created exclusively and naming its
 * holder (PID, start time, boot). A lock whose holder no longer runs (killed, crashed, rebooted) is stale and
 * is broken by the next taker; breaking goes through a second exclusive file so two takers never both win.
 */
import { constants, promises as fs } from 'fs';
import * as path from 'path';
import { sleep, type Clock } from '../../common/clock';
import { currentProcess, isRunning, type ProcessIdentity } from './process-identity';
import { ensureStateDir } from './state-dir';

export const SEQUENCE_LOCK_FILE = 'sequence.lock';
const BREAK_SUFFIX = '.break';
/** A lock or break file nobody could have been writing for this long is abandoned. */
const ABANDONED_MS = 10000;

export interface LockHolder extends ProcessIdentity {
  /** What holds it: `tick`, `pre-sleep`, `resume` … */
  command: string;
  since: number;
}

export interface SequenceLock {
  readonly holder: LockHolder;
  release(): Promise<void>;
}

export type LockAttempt = { acquired: SequenceLock } | { heldBy: LockHolder };

async function readHolder(file: string): Promise<LockHolder | 'unreadable' | null> {
  let text: string;
  try {
    const handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = (await handle.readFile()).toString('utf8').slice(0, 4096);
    } finally {
      await handle.close();
    }
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'unreadable';
  }
  try {
    const h = JSON.parse(text) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.command !== 'string') return 'unreadable';
    return {
      pid: h.pid,
      start: h.start ?? null,
      bootId: h.bootId ?? null,
      command: h.command,
      since: h.since ?? 0,
    };
  } catch {
    return 'unreadable';
  }
}

async function ageMs(file: string): Promise<number> {
  try {
    return Date.now() - (await fs.lstat(file)).mtimeMs;
  } catch {
    return 0;
  }
}

/** The live holder of the lock, or null when nobody (alive) holds it. */
export async function lockHolder(dir: string): Promise<LockHolder | null> {
  const holder = await readHolder(path.join(dir, SEQUENCE_LOCK_FILE));
  if (holder === null || holder === 'unreadable') return null;
  return (await isRunning(holder)) ? holder : null;
}

async function breakStale(dir: string, stale: LockHolder | 'unreadable'): Promise<void> {
  const file = path.join(dir, SEQUENCE_LOCK_FILE);
  const breaker = `${file}${BREAK_SUFFIX}`;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(
      breaker,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
      0o600,
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    if ((await ageMs(breaker)) > ABANDONED_MS) await fs.rm(breaker, { force: true });
    return;
  }
  try {
    await handle.close();
    const again = await readHolder(file);
    const same =
      again === 'unreadable'
        ? stale === 'unreadable'
        : again !== null && stale !== 'unreadable' && again.pid === stale.pid && again.start === stale.start;
    if (same) await fs.rm(file, { force: true });
  } finally {
    await fs.rm(breaker, { force: true });
  }
}

export async function tryAcquireLock(dir: string, command: string, now: number): Promise<LockAttempt> {
  await ensureStateDir(dir);
  const file = path.join(dir, SEQUENCE_LOCK_FILE);
  const me: LockHolder = { ...(await currentProcess()), command, since: now };
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      const handle = await fs.open(
        file,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o644,
      );
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { acquired: lockFor(file, me) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(file);
    if (holder === null) continue;
    if (holder === 'unreadable') {
      // Being written right now, or left half-written by a crash.
      if ((await ageMs(file)) > ABANDONED_MS) await breakStale(dir, holder);
      else await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    if (await isRunning(holder)) return { heldBy: holder };
    await breakStale(dir, holder);
  }
  throw new Error(`cannot take ${file}: it keeps changing hands`);
}

/** Tries until `waitMs` has passed on the clock; `onWait` hears about the holder once. */
export async function acquireLock(
  dir: string,
  command: string,
  options: { clock: Clock; waitMs: number; onWait?: (holder: LockHolder) => void; pollMs?: number },
): Promise<LockAttempt> {
  const deadline = options.clock.now() + options.waitMs;
  let told = false;
  for (;;) {
    const attempt = await tryAcquireLock(dir, command, options.clock.now());
    if ('acquired' in attempt || options.clock.now() >= deadline) return attempt;
    if (!told) options.onWait?.(attempt.heldBy);
    told = true;
    await sleep(options.clock, Math.min(options.pollMs ?? 250, deadline - options.clock.now()));
  }
}

function lockFor(file: string, me: LockHolder): SequenceLock {
  return {
    holder: me,
    async release() {
      const holder = await readHolder(file);
      if (holder && holder !== 'unreadable' && holder.pid === me.pid && holder.start === me.start)
        await fs.rm(file, { force: true });
    },
  };
}
