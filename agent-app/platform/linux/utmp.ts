/** Login sessions for the agent's sessions check, from the utmp database (common/linux/utmp.ts). */
import { liveLogins, processAlive, readUtmp, type UtmpRecord } from '../../../common/linux/utmp';
import type { Session, SessionProbe } from '../../core/checks/sessions';

export { parseUtmp, UTMP_RECORD_SIZE, type UtmpRecord } from '../../../common/linux/utmp';

/** What kind of login a USER_PROCESS record is. */
export function classifySession(record: Pick<UtmpRecord, 'line' | 'host'>): Session['kind'] {
  if (record.host.startsWith(':') || record.line.startsWith(':')) return 'x11';
  if (record.host !== '') return 'ssh';
  if (record.line.startsWith('pts/')) return 'pts';
  return 'tty';
}

export function sessionsFromUtmp(
  records: readonly UtmpRecord[],
  isAlive: (pid: number) => boolean = processAlive,
): Session[] {
  return liveLogins(records, isAlive).map((r) => ({
    kind: classifySession(r),
    user: r.user,
    line: r.line,
    host: r.host,
  }));
}

export function createUtmpSessionProbe(file?: string): SessionProbe {
  return { list: async () => sessionsFromUtmp(await readUtmp(file)) };
}
