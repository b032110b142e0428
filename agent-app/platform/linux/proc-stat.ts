/**
 * CPU times on Linux straight from the first line of /proc/stat (`cpu user nice system idle iowait irq
 * softirq steal …`, in clock ticks). os.cpus() would also parse /proc/cpuinfo on every call, which costs
 * more than the rest of an evaluation together.
 */
import { readFileSync } from 'fs';
import * as os from 'os';
import type { CpuProbe, CpuTimes } from '../../core/checks/cpu';

export function parseProcStatCpu(text: string): CpuTimes | null {
  const line = text.slice(0, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n'));
  const m = /^cpu\s+(.*)$/.exec(line);
  if (!m) return null;
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = m[1]
    .trim()
    .split(/\s+/)
    .map(Number);
  if (![user, nice, system, idle].every(Number.isFinite)) return null;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

export function createProcStatCpuProbe(file = '/proc/stat'): CpuProbe {
  return {
    async times() {
      const times = parseProcStatCpu(readFileSync(file, 'latin1'));
      if (!times) throw new Error(`${file} has no cpu line`);
      return times;
    },
    async loadAverage() {
      return os.loadavg()[0];
    },
  };
}
