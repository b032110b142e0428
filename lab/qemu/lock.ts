/**
 * A lock file holding the owner's PID, taken with O_EXCL. A lock whose owner is dead is taken over, so a
 * killed build never blocks the next one. Waiting has a timeout like every other wait in the lab.
 */
import { promises as fs } from 'fs';
import { sleep, systemClock } from '../../common/clock';
import { isAlive } from './process';

export interface LockOptions {
  timeoutMs: number;
  pollMs?: number;
  /** Called once when the lock is busy, with the owner's PID. */
  onWait?: (ownerPid: number) => void;
}

async function ownerOf(lockPath: string): Promise<number | null> {
  try {
    const pid = Number(JSON.parse(await fs.readFile(lockPath, 'utf8')).pid);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await fs.stat(file)).mtimeMs > ms;
  } catch {
    return false;
  }
}

async function tryTake(lockPath: string): Promise<boolean> {
  try {
    const handle = await fs.open(lockPath, 'wx', 0o644);
    await handle.writeFile(JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
    await handle.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

export async function withLock<T>(
  lockPath: string,
  options: LockOptions,
  body: () => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let told = false;
  for (;;) {
    if (await tryTake(lockPath)) break;
    const owner = await ownerOf(lockPath);
    // An unreadable lock may be one being written right now; it is taken over only once it is stale.
    if (owner !== null ? !isAlive(owner) : await olderThan(lockPath, 10_000)) {
      await fs.rm(lockPath, { force: true });
      continue;
    }
    if (owner !== null && !told) {
      told = true;
      options.onWait?.(owner);
    }
    if (Date.now() >= deadline)
      throw new Error(
        `timed out after ${options.timeoutMs} ms waiting for ${lockPath} (held by PID ${owner})`,
      );
    await sleep(systemClock, options.pollMs ?? 500);
  }
  try {
    return await body();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}
