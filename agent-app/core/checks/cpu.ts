/**
 * CPU load: active when the share of busy CPU time since the previous evaluation is above
 * `thresholdPercent` (strictly), or, when `loadThreshold` is set, when the 1-minute load average is above it.
 * The first run takes two samples `warmupMs` apart, so even a one-shot `status` has a real measurement.
 */
import { sleep, type Clock } from '../../../common/clock';
import { active, idle, unknown, type AgentCheck } from '../agent-check';

export interface CpuTimes {
  /** Cumulative busy time of all CPUs (any unit, the same as total). */
  busy: number;
  total: number;
}

export interface CpuProbe {
  times(): Promise<CpuTimes>;
  /** 1-minute load average, or null where the OS has none (Windows). */
  loadAverage(): Promise<number | null>;
}

export interface CpuConfig {
  thresholdPercent: number;
  loadThreshold: number | null;
}

export function busyPercent(previous: CpuTimes, current: CpuTimes): number | null {
  const total = current.total - previous.total;
  const busy = current.busy - previous.busy;
  if (!(total > 0) || busy < 0) return null;
  return Math.min(100, Math.max(0, (busy / total) * 100));
}

export function create(
  config: CpuConfig,
  deps: { probe: CpuProbe; clock: Clock; warmupMs?: number },
): AgentCheck {
  let previous: CpuTimes | null = null;
  return {
    name: 'cpu',
    reason: 'cpu_load',
    async run({ signal }) {
      if (previous === null) {
        previous = await deps.probe.times();
        await sleep(deps.clock, deps.warmupMs ?? 1000, signal);
      }
      const current = await deps.probe.times();
      const percent = busyPercent(previous, current);
      previous = current;
      const load = await deps.probe.loadAverage();
      const details = { load_average: load === null ? null : Math.round(load * 100) / 100 };
      if (percent === null) return unknown('CPU counters did not advance', details);
      const shown = Math.round(percent * 10) / 10;
      if (percent > config.thresholdPercent)
        return active('cpu_load', `CPU ${shown}% > ${config.thresholdPercent}%`, details);
      if (config.loadThreshold !== null && load !== null && load > config.loadThreshold)
        return active('cpu_load', `load ${load.toFixed(2)} > ${config.loadThreshold}`, details);
      const loadText = config.loadThreshold !== null && load !== null ? `, load ${load.toFixed(2)}` : '';
      return idle(`CPU ${shown}% <= ${config.thresholdPercent}%${loadText}`, details);
    },
  };
}
