/**
 * Process names on Windows and macOS through systeminformation (loaded on first use). Windows reports
 * image names such as `steam.exe`; the processes check strips `.exe` there.
 *
 * systeminformation answers an empty list when it cannot list processes (on Windows it asks PowerShell,
 * which a stripped-down guest or Wine may lack). A working list always holds at least this agent, so an
 * empty one means "cannot see", never "nothing running".
 */
import { UnavailableError } from '../../../common/errors';
import type { ProcessProbe } from '../../core/checks/processes';

export function createSystemInformationProcessProbe(): ProcessProbe {
  return {
    async list() {
      const si = await import('systeminformation');
      const { list } = await si.processes();
      if (list.length === 0)
        throw new UnavailableError(
          'the process list is not available (systeminformation found none)',
          'processes',
        );
      return list
        .map((p) => p.name)
        .filter((name): name is string => typeof name === 'string' && name !== '');
    },
  };
}
