/**
 * CHECK_SLEEP_INHIBITORS: a logind inhibitor whose WHAT includes `sleep` and whose MODE is `block` or `delay`
 * keeps the host awake. Rows of `systemd-inhibit --list --no-legend` are split by finding the numeric UID
 * and PID two fields apart, because WHO and WHY may contain spaces.
 */
import { commandMissing, type Runner } from '../../common/shell';
import { UnavailableError } from '../../common/errors';
import type { HostCheck } from './types';

export interface Inhibitor {
  who: string;
  uid: number;
  pid: number;
  what: string[];
  why: string;
  mode: string;
}

export function parseInhibitors(output: string): Inhibitor[] {
  const out: Inhibitor[] = [];
  for (const line of output.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 7) continue;
    let u = -1;
    for (let i = 1; i + 4 < f.length; i++) {
      if (/^[0-9]+$/.test(f[i]) && /^[0-9]+$/.test(f[i + 2])) {
        u = i;
        break;
      }
    }
    if (u < 0) continue;
    out.push({
      who: f.slice(0, u).join(' '),
      uid: Number(f[u]),
      pid: Number(f[u + 2]),
      what: f[u + 4].split(':'),
      why: f.slice(u + 5, -1).join(' '),
      mode: f[f.length - 1],
    });
  }
  return out;
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
