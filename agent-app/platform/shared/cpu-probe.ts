/** CPU times and load average from Node's `os` module (it reads /proc/stat on Linux; works everywhere). */
import * as os from 'os';
import type { CpuProbe } from '../../core/checks/cpu';

export function createCpuProbe(platform: NodeJS.Platform = process.platform): CpuProbe {
  return {
    async times() {
      let busy = 0;
      let total = 0;
      for (const cpu of os.cpus()) {
        const t = cpu.times;
        busy += t.user + t.nice + t.sys + t.irq;
        total += t.user + t.nice + t.sys + t.irq + t.idle;
      }
      return { busy, total };
    },
    async loadAverage() {
      return platform === 'win32' ? null : os.loadavg()[0];
    },
  };
}
