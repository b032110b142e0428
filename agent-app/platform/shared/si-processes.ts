/**
 * Process names on Windows and macOS through systeminformation (loaded on first use). Windows reports
 * image names such as `steam.exe`; the processes check strips `.exe` there.
 */
import type { ProcessProbe } from '../../core/checks/processes';

export function createSystemInformationProcessProbe(): ProcessProbe {
  return {
    async list() {
      const si = await import('systeminformation');
      const { list } = await si.processes();
      return list
        .map((p) => p.name)
        .filter((name): name is string => typeof name === 'string' && name !== '');
    },
  };
}
