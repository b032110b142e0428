/**
 * The lab data disk: a small read-only ext4 image made from a host folder at each launch, so the guest gets
 * new code (the built agent, its node_modules and config) without rebuilding the image. The image's
 * lab-start.service mounts it on /lab and runs /lab/start as a long-lived service when that file is an
 * executable (contract: lab/README.md).
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Runner } from '../../common/shell';
import { describeFailure } from '../../common/errors';
import { GUEST } from './image/recipe';

export const START_SCRIPT = 'start';
const BLOCK = 4096;

interface Tally {
  bytes: number;
  inodes: number;
}

async function tally(dir: string, into: Tally = { bytes: 0, inodes: 1 }): Promise<Tally> {
  for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    const st = await fs.lstat(p);
    into.inodes += 1;
    into.bytes += Math.ceil(st.size / BLOCK) * BLOCK + BLOCK;
    if (entry.isDirectory()) await tally(p, into);
  }
  return into;
}

/** Checks a data folder against the contract; the error names the path that breaks it. */
export async function checkDataDir(dir: string): Promise<void> {
  const st = await fs.stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new Error(`lab data folder ${dir} is not a directory`);
  const start = path.join(dir, START_SCRIPT);
  const startStat = await fs.lstat(start).catch(() => null);
  if (!startStat) return;
  if (!startStat.isFile())
    throw new Error(`${start} must be a regular file (the guest runs it as ${GUEST.startUnit})`);
  if ((startStat.mode & 0o100) === 0) throw new Error(`${start} is not executable (chmod +x it)`);
}

/**
 * Writes `image` as an ext4 file system labelled `labdata` holding a copy of `sourceDir` (an empty one when
 * undefined). Sized from the folder's contents, with room for the file system's own metadata.
 */
export async function makeDataDisk(run: Runner, image: string, sourceDir?: string): Promise<void> {
  let dir = sourceDir;
  let temp: string | undefined;
  if (dir === undefined) {
    temp = await fs.mkdtemp(path.join(os.tmpdir(), 'lab-data-'));
    dir = temp;
  }
  try {
    await checkDataDir(dir);
    const { bytes, inodes } = await tally(dir);
    const sizeKiB = Math.ceil((bytes * 1.25 + 8 * 1024 * 1024) / 1024 / 4) * 4;
    await fs.rm(image, { force: true });
    const r = await run(
      'mkfs.ext4',
      [
        '-q',
        '-F',
        '-L',
        GUEST.dataDiskLabel,
        '-O',
        '^has_journal',
        '-N',
        String(inodes + 256),
        '-E',
        'root_owner=0:0',
        '-d',
        dir,
        image,
        `${sizeKiB}k`,
      ],
      { timeoutMs: 120_000 },
    );
    if (r.exitCode !== 0)
      throw new Error(`making the lab data disk from ${dir} failed: ${describeFailure(r)}`);
  } finally {
    if (temp) await fs.rm(temp, { recursive: true, force: true });
  }
}
