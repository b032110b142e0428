import { constants, promises as fs, type Stats } from 'fs';
import * as path from 'path';

/**
 * Writes a file so a reader sees either the old or the new content, never a part: temp file in the same
 * directory, fsync, rename over the target, fsync the directory.
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(
    dir,
    `.${path.basename(target)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`,
  );
  // O_EXCL|O_NOFOLLOW: never write through a symlink planted at the temp name.
  const handle = await fs.open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    mode,
  );
  try {
    await handle.writeFile(data);
    await handle.chmod(mode);
    await handle.sync();
  } catch (e) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    await renameOver(temp, target);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
  await fsyncDir(dir);
}

/** How long a rename over a file someone has open is retried on Windows (the host reads for milliseconds). */
const WINDOWS_RENAME_RETRY_MS = [5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000];

/**
 * Windows refuses to replace a file while another process has it open (EPERM, or EACCES / EBUSY): a reader
 * such as the guest agent serving the host, an indexer or a virus scanner. Those hold it briefly, so the
 * rename is tried again, about 3.3 s in all (a third of the default interval), before the write counts as
 * failed.
 */
async function renameOver(temp: string, target: string): Promise<void> {
  for (const delayMs of process.platform === 'win32' ? WINDOWS_RENAME_RETRY_MS : []) {
    try {
      await fs.rename(temp, target);
      return;
    } catch (e) {
      if (!['EPERM', 'EACCES', 'EBUSY'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
  await fs.rename(temp, target);
}

async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot flush a directory handle (fsync fails with EPERM, nodejs/node#3879); NTFS journals the
  // rename itself. Without this, every write there would report a failure after it had worked.
  if (process.platform === 'win32') return;
  const handle = await fs.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class FileTooLargeError extends Error {
  constructor(
    readonly file: string,
    readonly limit: number,
  ) {
    super(`${file} is larger than ${limit} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/**
 * Reads at most `limit` bytes of a regular file without following a symlink at the last component.
 * Throws FileTooLargeError when the file is longer, so a caller never acts on a cut file.
 */
export async function readFileCapped(file: string, limit: number): Promise<Buffer> {
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'EINVAL' });
    const buffer = Buffer.alloc(limit + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > limit) throw new FileTooLargeError(file, limit);
    }
    return buffer.subarray(0, total);
  } finally {
    await handle.close();
  }
}

export class UnsafeDirectoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeDirectoryError';
  }
}

/**
 * Creates `dir` when missing and returns its lstat; refuses (UnsafeDirectoryError) a directory that is a
 * symbolic link or junction, or not a directory at all, so a link planted by an unprivileged user is never
 * followed by a privileged writer.
 */
export async function ensureRealDirectory(dir: string, mode = 0o755): Promise<Stats> {
  await fs.mkdir(dir, { recursive: true, mode });
  const stat = await fs.lstat(dir);
  if (stat.isSymbolicLink())
    throw new UnsafeDirectoryError(`${dir} is a symbolic link or junction; refusing to write there`);
  if (!stat.isDirectory())
    throw new UnsafeDirectoryError(`${dir} is not a real folder; refusing to write there`);
  return stat;
}
