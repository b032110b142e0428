/**
 * Network throughput: active when received + sent traffic on the selected interfaces since the previous
 * evaluation is above `thresholdKbps` (kbit/s). `interfaces` (empty = all) and `excludeInterfaces`
 * (default `lo`) take names or prefixes ending in `*` (`veth*`).
 */
import { sleep, type Clock } from '../../../common/clock';
import { active, idle, unknown, type AgentCheck } from '../agent-check';

export interface InterfaceCounters {
  rxBytes: number;
  txBytes: number;
}

export interface NetworkProbe {
  /** Cumulative byte counters per interface. */
  counters(): Promise<Map<string, InterfaceCounters>>;
}

export interface NetworkConfig {
  thresholdKbps: number;
  interfaces: readonly string[];
  excludeInterfaces: readonly string[];
}

const matches = (name: string, pattern: string) =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

export function selectInterface(
  name: string,
  config: Pick<NetworkConfig, 'interfaces' | 'excludeInterfaces'>,
): boolean {
  if (config.interfaces.length > 0 && !config.interfaces.some((p) => matches(name, p))) return false;
  return !config.excludeInterfaces.some((p) => matches(name, p));
}

/** kbit/s per selected interface between two samples; counters that went backwards (reset) count as 0. */
export function throughputKbps(
  previous: Map<string, InterfaceCounters>,
  current: Map<string, InterfaceCounters>,
  seconds: number,
  config: Pick<NetworkConfig, 'interfaces' | 'excludeInterfaces'>,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, now] of current) {
    const before = previous.get(name);
    if (!before || !selectInterface(name, config)) continue;
    const bytes = Math.max(0, now.rxBytes - before.rxBytes) + Math.max(0, now.txBytes - before.txBytes);
    out.set(name, (bytes * 8) / 1000 / seconds);
  }
  return out;
}

export function create(
  config: NetworkConfig,
  deps: { probe: NetworkProbe; clock: Clock; warmupMs?: number },
): AgentCheck {
  let previous: { at: number; counters: Map<string, InterfaceCounters> } | null = null;
  return {
    name: 'network',
    reason: 'network_active',
    async run({ signal }) {
      if (previous === null) {
        previous = { at: deps.clock.now(), counters: await deps.probe.counters() };
        await sleep(deps.clock, deps.warmupMs ?? 1000, signal);
      }
      const current = { at: deps.clock.now(), counters: await deps.probe.counters() };
      const seconds = (current.at - previous.at) / 1000;
      const before = previous;
      previous = current;
      if (!(seconds > 0)) return unknown('no time passed between two samples');
      const rates = throughputKbps(before.counters, current.counters, seconds, config);
      if (rates.size === 0) return unknown('no interface matches the configuration', { network_kbps: null });
      let total = 0;
      let busiest = '';
      let busiestRate = -1;
      for (const [name, rate] of rates) {
        total += rate;
        if (rate > busiestRate) [busiest, busiestRate] = [name, rate];
      }
      const shown = Math.round(total * 10) / 10;
      const details = { network_kbps: shown };
      const where = rates.size > 1 ? `, most on ${busiest}` : ` on ${busiest}`;
      return total > config.thresholdKbps
        ? active('network_active', `${shown} kbit/s > ${config.thresholdKbps} kbit/s${where}`, details)
        : idle(`${shown} kbit/s <= ${config.thresholdKbps} kbit/s${where}`, details);
    },
  };
}
