/**
 * CHECK_SSH_SESSIONS: anyone logged in on a pseudo-terminal (SSH, tmux, the web console) keeps the host awake.
 * The previous release counted `who` lines containing `pts`; this reads the same utmp records directly (no
 * process start) and skips records whose process has died, which `who` would still list.
 */
import { liveLogins, readUtmp, type UtmpRecord } from '../../common/linux/utmp';
import type { HostCheck } from './types';

/** `user pts/N (from)` for every live login on a pty. */
export function ptyLogins(records: readonly UtmpRecord[], isAlive?: (pid: number) => boolean): string[] {
  return liveLogins(records, isAlive)
    .filter((r) => r.line.startsWith('pts'))
    .map((r) => `${r.user} ${r.line}${r.host ? ` (${r.host})` : ''}`);
}

/** `utmpFile` reads another utmp file than the system's (tests build one). */
export function createPtySessionsCheck(deps: { utmpFile?: string } = {}): HostCheck {
  return {
    name: 'pty sessions',
    reason: 'pty_session',
    async run() {
      const logins = ptyLogins(await readUtmp(deps.utmpFile));
      if (logins.length === 0) return { state: 'idle', detail: 'nobody logged in on a pty' };
      const shown = logins.slice(0, 3).join(', ');
      return {
        state: 'active',
        detail: `${logins.length} pty login${logins.length === 1 ? '' : 's'}: ${shown}${logins.length > 3 ? ', …' : ''}`,
      };
    },
  };
}
