/**
 * Login sessions from the utmp database (/run/utmp), parsed directly: it is a fixed-layout binary file
 * (glibc `struct utmp`, 384 bytes per record on Linux), so reading it costs no process start. Only
 * USER_PROCESS records whose process is still alive count.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import { UnavailableError } from '../../../common/errors';
import type { Session, SessionProbe } from '../../core/checks/sessions';

export const UTMP_RECORD_SIZE = 384;
const USER_PROCESS = 7;

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

/** What kind of login a USER_PROCESS record is. */
export function classifySession(record: Pick<UtmpRecord, 'line' | 'host'>): Session['kind'] {
  if (record.host.startsWith(':') || record.line.startsWith(':')) return 'x11';
  if (record.host !== '') return 'ssh';
  if (record.line.startsWith('pts/')) return 'pts';
  return 'tty';
}

function alive(pid: number): boolean {
  if (!(pid > 0)) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function sessionsFromUtmp(
  records: readonly UtmpRecord[],
  isAlive: (pid: number) => boolean = alive,
): Session[] {
  return records
    .filter((r) => r.type === USER_PROCESS && r.user !== '' && isAlive(r.pid))
    .map((r) => ({ kind: classifySession(r), user: r.user, line: r.line, host: r.host }));
}

export function createUtmpSessionProbe(file = '/run/utmp'): SessionProbe {
  return {
    async list() {
      let data: Buffer;
      try {
        data = await fs.readFile(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT')
          throw new UnavailableError(`no login records (${file} does not exist)`, 'utmp');
        throw e;
      }
      return sessionsFromUtmp(parseUtmp(data));
    },
  };
}
