/**
 * Where this guest's wake requests come from: the user's `wake-at` (read every evaluation) and, unless
 * `wakeTimers.enabled` is false, the OS's wake timers (systemd `WakeSystem=` timers, `powercfg
 * /waketimers`, `pmset -g sched`), read at most every `wakeTimers.refreshSeconds`.
 */
import type { Clock } from '../../common/clock';
import type { Logger } from '../../common/log';
import type { Runner } from '../../common/shell';
import type { AgentConfig } from '../core/config';
import type { AgentOs } from '../core/paths';
import { cachedWakeSource, createWakePlanner, type WakePlanner } from '../core/wake/planner';
import type { WakeSource } from '../core/wake/wake-request';
import { createUserWakeSource, createWakeStore } from '../core/wake/wake-store';
import type { DbusPool } from '../platform/linux/dbus';
import { createSystemdWakeSource } from '../platform/linux/systemd-wake-timers';
import { createPmsetSchedSource } from '../platform/macos/pmset-sched';
import type { PathLookup } from '../platform/shared/commands';
import { createPowercfgWakeSource } from '../platform/windows/powercfg-waketimers';

export interface WakeEdges {
  clock: Clock;
  logger: Logger;
  run: Runner;
  findOnPath: PathLookup;
  /** The D-Bus pool (Linux only) and the system bus address. */
  pool: DbusPool | null;
  systemBus: string;
}

function osWakeTimers(agentOs: AgentOs, edges: WakeEdges): WakeSource | null {
  if (agentOs === 'linux')
    return edges.pool && createSystemdWakeSource({ pool: edges.pool, address: edges.systemBus });
  if (agentOs === 'macos') return createPmsetSchedSource(edges);
  return createPowercfgWakeSource(edges);
}

export function composeWake(config: AgentConfig, agentOs: AgentOs, edges: WakeEdges): WakePlanner {
  const logger = edges.logger.child('wake');
  const sources: WakeSource[] = [
    createUserWakeSource(createWakeStore(config.stateDir, (m) => logger.warn(m))),
  ];
  const timers = config.wakeTimers.enabled ? osWakeTimers(agentOs, edges) : null;
  if (timers) sources.push(cachedWakeSource(timers, config.wakeTimers.refreshSeconds * 1000));
  return createWakePlanner({
    sources,
    ignore: config.wakeTimers.ignore,
    timeoutMs: config.checkTimeoutSeconds * 1000,
    clock: edges.clock,
    logger,
  });
}
