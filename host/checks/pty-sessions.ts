/** CHECK_SSH_SESSIONS: anyone logged in on a pseudo-terminal (SSH, tmux, the web console) keeps the host awake. */
import { commandMissing, type Runner } from '../../common/shell';
import { UnavailableError } from '../../common/errors';
import type { HostCheck } from './types';

/** Lines of `who` on a pty, as `user pts/N (from)`. The previous release counted lines containing `pts`. */
export function ptyLogins(whoOutput: string): string[] {
  return whoOutput
    .split('\n')
    .filter((line) => line.includes('pts'))
    .map((line) => {
      const f = line.trim().split(/\s+/);
      const from = /\(([^)]*)\)\s*$/.exec(line)?.[1];
      return `${f[0]} ${f[1]}${from ? ` (${from})` : ''}`;
    });
}

/** `utmpFile` reads another utmp file than the system's (tests build one). */
export function createPtySessionsCheck(deps: { run: Runner; utmpFile?: string }): HostCheck {
  return {
    name: 'pty sessions',
    reason: 'pty_session',
    async run(ctx) {
      const result = await deps.run('who', deps.utmpFile ? [deps.utmpFile] : [], {
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
      });
      if (commandMissing(result)) throw new UnavailableError('who is not installed', 'who');
      if (result.exitCode !== 0) return { state: 'unknown', detail: `who exited ${result.exitCode}` };
      const logins = ptyLogins(result.stdout);
      if (logins.length === 0) return { state: 'idle', detail: 'nobody logged in on a pty' };
      const shown = logins.slice(0, 3).join(', ');
      return {
        state: 'active',
        detail: `${logins.length} pty login${logins.length === 1 ? '' : 's'}: ${shown}${logins.length > 3 ? ', …' : ''}`,
      };
    },
  };
}
