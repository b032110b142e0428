/**
 * CHECK_SLEEP_INHIBITORS: a logind inhibitor whose WHAT includes `sleep` and whose MODE is `block` or `delay`
 * keeps the host awake. The rows of `systemd-inhibit --list --no-legend` are parsed as the agent parses them
 * (common/linux/systemd-inhibit.ts): WHO, COMM and WHY may contain spaces.
 */
import { commandMissing, type Runner } from '../../common/shell';
import { UnavailableError } from '../../common/errors';
import { parseSystemdInhibitList } from '../../common/linux/systemd-inhibit';
import type { HostCheck } from './types';

export interface Inhibitor {
  who: string;
  uid: number;
  pid: number;
  what: string[];
  why: string;
  mode: string;
}

/** Rows of `systemd-inhibit --list --no-legend`, with WHAT split into its lock types. */
export function parseInhibitors(output: string): Inhibitor[] {
  return parseSystemdInhibitList(output).map((i) => ({ ...i, what: i.what.split(':') }));
}

export function blocksSleep(i: Inhibitor): boolean {
  return i.what.includes('sleep') && (i.mode === 'block' || i.mode === 'delay');
}

export function createSleepInhibitorsCheck(deps: { run: Runner }): HostCheck {
  return {
    name: 'sleep inhibitors',
    reason: 'sleep_inhibitor',
    async run(ctx) {
      const r = await deps.run('systemd-inhibit', ['--list', '--no-legend'], {
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
      });
      if (commandMissing(r))
        throw new UnavailableError('systemd-inhibit is not installed', 'systemd-inhibit');
      if (r.exitCode !== 0) {
        const why = r.stderr.trim().split('\n')[0] || `exit ${r.exitCode}`;
        return { state: 'unknown', detail: `systemd-inhibit failed (${why})` };
      }
      const blocking = parseInhibitors(r.stdout).filter(blocksSleep);
      if (blocking.length === 0) return { state: 'idle', detail: 'no sleep inhibitors' };
      return {
        state: 'active',
        detail: blocking.map((i) => `${i.who}: ${i.why} (${i.mode})`).join('; '),
      };
    },
  };
}
