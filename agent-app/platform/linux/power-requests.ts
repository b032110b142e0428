/**
 * Linux sleep inhibitors: logind's ListInhibitors over the system bus; when that call fails for another
 * reason than a missing bus, `systemd-inhibit --list` is tried. Only `block` locks on `sleep` count
 * (desktops and network daemons hold `delay` locks all the time; they only postpone a suspend).
 */
import { UnavailableError, errorMessage } from '../../../common/errors';
import type { Runner } from '../../../common/shell';
import type { PowerRequestProbe } from '../../core/checks/power-requests';
import type { PathLookup } from '../shared/commands';
import { busExists, type DbusPool } from './dbus';
import { listInhibitors, sleepBlockers } from './logind';
import { parseSystemdInhibitList } from '../../../common/linux/systemd-inhibit';

export function createLinuxPowerRequestProbe(deps: {
  pool: DbusPool;
  address: string;
  run: Runner;
  findOnPath: PathLookup;
}): PowerRequestProbe {
  return {
    close: () => deps.pool.close(),
    async read(signal) {
      if (!busExists(deps.address))
        throw new UnavailableError('no system D-Bus, so no logind inhibitors', 'logind');
      try {
        return {
          requests: sleepBlockers(await listInhibitors(deps.pool, deps.address, signal)),
          source: 'logind',
        };
      } catch (dbusError) {
        if (dbusError instanceof UnavailableError) throw dbusError;
        const tool = await deps.findOnPath('systemd-inhibit');
        if (!tool) throw dbusError;
        const result = await deps.run(tool, ['--list', '--no-pager'], {
          signal,
          timeoutMs: 3000,
          maxOutputBytes: 256 * 1024,
        });
        if (result.exitCode !== 0)
          throw new Error(
            `logind: ${errorMessage(dbusError)}; systemd-inhibit exited ${result.exitCode}: ${result.stderr.trim().slice(0, 160)}`,
            { cause: dbusError },
          );
        return { requests: sleepBlockers(parseSystemdInhibitList(result.stdout)), source: 'systemd-inhibit' };
      }
    },
  };
}
