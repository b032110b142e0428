/**
 * The utmp login database (/run/utmp), parsed directly: a fixed-layout binary file (glibc `struct utmp`,
 * 384 bytes per record on Linux), so reading it costs no process start — unlike `who`, which under load took
 * most of a host check cycle. Used by the agent's session check and the host's pty check.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import { UnavailableError } from '../errors';

export const UTMP_RECORD_SIZE = 384;
export const USER_PROCESS = 7;
export const SYSTEM_UTMP = '/run/utmp';

export interface UtmpRecord {
  type: number;
  pid: number;
  line: string;
  user: string;
  host: string;
  /** Seconds since the epoch. */
  time: number;
}

function cString(buf: Buffer, start: number, length: number): string {
  const slice = buf.subarray(start, start + length);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? slice.length : nul).toString('utf8');
}

export function parseUtmp(data: Buffer, littleEndian = os.endianness() === 'LE'): UtmpRecord[] {
  const records: UtmpRecord[] = [];
  for (let offset = 0; offset + UTMP_RECORD_SIZE <= data.length; offset += UTMP_RECORD_SIZE) {
    const r = data.subarray(offset, offset + UTMP_RECORD_SIZE);
    records.push({
      type: littleEndian ? r.readInt16LE(0) : r.readInt16BE(0),
      pid: littleEndian ? r.readInt32LE(4) : r.readInt32BE(4),
      line: cString(r, 8, 32),
      user: cString(r, 44, 32),
      host: cString(r, 76, 256),
      time: littleEndian ? r.readInt32LE(340) : r.readInt32BE(340),
    });
  }
  return records;
}

export function processAlive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Logins whose process is still alive: a crashed session leaves its record behind, and must not count. */
export function liveLogins(
  records: readonly UtmpRecord[],
  isAlive: (pid: number) => boolean = processAlive,
): UtmpRecord[] {
  return records.filter((r) => r.type === USER_PROCESS && r.user !== '' && isAlive(r.pid));
}

export async function readUtmp(file = SYSTEM_UTMP): Promise<UtmpRecord[]> {
  let data: Buffer;
  try {
    data = await fs.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UnavailableError(`no login records (${file} does not exist)`, 'utmp');
    throw e;
  }
  return parseUtmp(data);
}
