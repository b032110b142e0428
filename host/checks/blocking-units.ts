/** HOST_BLOCKING_UNITS: an active systemd unit (apt-daily.service …) keeps the host awake. */
import { commandMissing, type Runner } from '../../common/shell';
import { UnavailableError } from '../../common/errors';
import type { HostCheck } from './types';

/** `systemctl is-active` exits 0 when active and 3 (or 4 for an unknown unit) when not; 1 when it cannot ask. */
const NOT_ACTIVE_EXITS = new Set([3, 4]);

export function createBlockingUnitsCheck(units: string[], deps: { run: Runner }): HostCheck {
  return {
    name: 'blocking units',
    reason: 'blocking_unit',
    async run(ctx) {
      if (units.length === 0) return { state: 'idle', detail: 'none configured' };
      const results = await Promise.all(
        units.map(async (unit) => {
          const r = await deps.run('systemctl', ['is-active', '--quiet', unit], {
            timeoutMs: ctx.timeoutMs,
            signal: ctx.signal,
          });
          if (commandMissing(r)) throw new UnavailableError('systemctl is not installed', 'systemctl');
          return { unit, r };
        }),
      );
      const active = results.filter(({ r }) => r.exitCode === 0).map(({ unit }) => unit);
      if (active.length) return { state: 'active', detail: `active: ${active.join(', ')}` };
      const failed = results.filter(({ r }) => r.exitCode === null || !NOT_ACTIVE_EXITS.has(r.exitCode));
      if (failed.length) {
        const why = failed[0].r.stderr.trim().split('\n')[0] || `exit ${failed[0].r.exitCode}`;
        return { state: 'unknown', detail: `systemctl could not tell (${why})` };
      }
      return { state: 'idle', detail: `none of ${units.join(', ')} active` };
    },
  };
}
