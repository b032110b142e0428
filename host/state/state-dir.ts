import { constants, promises as fs } from 'fs';
import { UnavailableError } from '../../common/errors';

/**
 * Makes sure the state directory exists, is a real directory (never a symlink), is owned by the user this
 * runs as (root on a Proxmox host) and is writable by nobody else. Anything else is refused rather than
 * followed: root writing into a directory another user controls is how symlink attacks work.
 */
export async function ensureStateDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { mode: 0o755 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new UnavailableError(`cannot create the state directory ${dir}: ${(e as Error).message}`, dir);
  }
  await checkStateDir(dir);
}

/** Refuses a state directory that is a symlink, not a directory, foreign-owned or writable by others. */
export async function checkStateDir(dir: string): Promise<void> {
  const stat = await fs.lstat(dir);
  if (stat.isSymbolicLink())
    throw new UnavailableError(`the state directory ${dir} is a symlink; refusing to follow it`, dir);
  if (!stat.isDirectory()) throw new UnavailableError(`the state directory ${dir} is not a directory`, dir);
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  if (stat.uid !== uid)
    throw new UnavailableError(
      `the state directory ${dir} belongs to uid ${stat.uid}, not to ${uid === 0 ? 'root' : `uid ${uid}`}; refusing to use it`,
      dir,
    );
  if ((stat.mode & 0o022) !== 0)
    throw new UnavailableError(
      `the state directory ${dir} is writable by other users (mode ${(stat.mode & 0o777).toString(8)}); refusing to use it`,
      dir,
    );
}

/** True when the directory exists as a plain directory (for read-only commands that must not create it). */
export async function stateDirExists(dir: string): Promise<boolean> {
  try {
    await fs.access(dir, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}
