/**
 * What the sequence asks of this machine besides Proxmox: who it is, whether another process still runs,
 * the process table (a VM's QEMU process), and the kernel's clocks. CLOCK_MONOTONIC stops while the host is
 * suspended and CLOCK_BOOTTIME (/proc/uptime) does not, so their difference grows by exactly the time spent
 * suspended: that is how any process can tell, afterwards, that the host really slept.
 */
import { promises as fs } from 'fs';
import { readProcessTable, type ProcessEntry } from '../checks/process-table';
import { currentProcess, isRunning, type ProcessIdentity } from '../state';

export interface SystemProbe {
  /** CLOCK_MONOTONIC in ms: the same for every process of this boot, paused while suspended. */
  monotonicMs(): number;
  /** Seconds this boot has spent suspended so far, or null when the kernel does not tell. */
  suspendedTotalS(): Promise<number | null>;
  me(): Promise<ProcessIdentity>;
  isRunning(who: ProcessIdentity): Promise<boolean>;
  processes(): Promise<ProcessEntry[]>;
}

export function linuxSystem(procDir = '/proc'): SystemProbe {
  const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);
  return {
    monotonicMs,
    async suspendedTotalS() {
      try {
        const before = monotonicMs();
        const uptime = parseFloat((await fs.readFile(`${procDir}/uptime`, 'utf8')).split(' ')[0]);
        if (!Number.isFinite(uptime)) return null;
        return uptime - (before + monotonicMs()) / 2000;
      } catch {
        return null;
      }
    },
    me: () => currentProcess(procDir),
    isRunning: (who) => isRunning(who, procDir),
    processes: () => readProcessTable(procDir),
  };
}
