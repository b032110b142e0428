/**
 * Logged-in sessions: active while a session of a counted kind exists. Kinds: `ssh` (remote login),
 * `tty` (text console), `pts` (a local terminal without a remote host, e.g. a terminal emulator or tmux),
 * `x11` (a graphical login recorded with its display). Default: ssh and tty.
 */
import { active, idle, type AgentCheck } from '../agent-check';

export type SessionKind = 'ssh' | 'tty' | 'pts' | 'x11';

export interface Session {
  kind: SessionKind;
  user: string;
  line: string;
  host: string;
}

export interface SessionProbe {
  /** Current login sessions. Throws UnavailableError where the OS keeps no login records. */
  list(signal: AbortSignal): Promise<Session[]>;
}

const describe = (s: Session) => `${s.user}@${s.line}${s.kind === 'ssh' && s.host ? ` from ${s.host}` : ''}`;

export function create(config: { kinds: readonly SessionKind[] }, deps: { probe: SessionProbe }): AgentCheck {
  return {
    name: 'sessions',
    reason: 'session_active',
    async run({ signal }) {
      const counted = (await deps.probe.list(signal)).filter((s) => config.kinds.includes(s.kind));
      const details = { sessions: counted.length };
      if (counted.length === 0) return idle(`no ${config.kinds.join('/')} session`, details);
      const shown = counted.slice(0, 5).map(describe).join(', ');
      return active(
        'session_active',
        `${counted.length} session${counted.length > 1 ? 's' : ''}: ${shown}${counted.length > 5 ? ', …' : ''}`,
        details,
      );
    },
  };
}
