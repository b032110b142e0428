/**
 * The composition root: turns a validated configuration into the checks and edges of an agent for the OS
 * it runs on. Probes are built here and passed down; checks never import each other or a platform.
 */
import * as os from 'os';
import type { Clock } from '../../common/clock';
import type { Logger } from '../../common/log';
import type { Runner } from '../../common/shell';
import type { AgentInfo } from '../../protocol/status';
import type { AgentCheck as Check } from '../core/agent-check';
import * as cpuCheck from '../core/checks/cpu';
import * as customCheck from '../core/checks/custom-command';
import * as gpuCheck from '../core/checks/gpu';
import * as inputCheck from '../core/checks/input-idle';
import * as networkCheck from '../core/checks/network';
import * as powerCheck from '../core/checks/power-requests';
import * as processesCheck from '../core/checks/processes';
import * as sessionsCheck from '../core/checks/sessions';
import type { Notifier, PowerActions } from '../core/commands';
import { withHibernationCheck, type ReadinessProbe } from '../core/readiness';
import type { AgentConfig } from '../core/config';
import type { AgentOs } from '../core/paths';
import type { WakePlanner } from '../core/wake/planner';
import { createDbusPool, systemBusAddress } from '../platform/linux/dbus';
import { createInputIdleChain, type InputIdleSource } from '../platform/linux/input-idle';
import { createLogindIdleSource } from '../platform/linux/logind';
import { createKdeIdleSource } from '../platform/linux/kde-idle';
import { createMutterIdleSource } from '../platform/linux/mutter-idle';
import { sessionBusAddresses } from '../platform/linux/session-bus-idle';
import { createLinuxReadinessProbe } from '../platform/linux/hibernation-facts';
import { createLinuxNotifier } from '../platform/linux/notify';
import { LINUX_POWER_COMMANDS } from '../platform/linux/power-actions';
import { createLinuxPowerRequestProbe } from '../platform/linux/power-requests';
import { createProcNetDevProbe } from '../platform/linux/proc-net-dev';
import { createProcProcessProbe } from '../platform/linux/proc-processes';
import { createProcStatCpuProbe } from '../platform/linux/proc-stat';
import { createUtmpSessionProbe } from '../platform/linux/utmp';
import { createX11IdleSource } from '../platform/linux/x11-idle';
import { createIoregIdleProbe } from '../platform/macos/ioreg-idle';
import { createPmsetProbe } from '../platform/macos/pmset-assertions';
import { createPmsetReadinessProbe } from '../platform/macos/pmset-hibernatemode';
import { MACOS_POWER_COMMANDS } from '../platform/macos/power-actions';
import { cachedLookup, findOnPath, lazyRunner, type PathLookup } from '../platform/shared/commands';
import { createCpuProbe } from '../platform/shared/cpu-probe';
import { createGpuProbe } from '../platform/shared/gpu-probe';
import { createCommandPowerActions } from '../platform/shared/power-actions';
import { createSystemInformationProcessProbe } from '../platform/shared/si-processes';
import { createPowercfgProbe } from '../platform/windows/powercfg-requests';
import { WINDOWS_POWER_COMMANDS } from '../platform/windows/power-actions';
import { createPowercfgReadinessProbe } from '../platform/windows/powercfg-sleep-states';
import { version } from '../../package.json';
import { composeWake } from './compose-wake';

export interface Edges {
  clock: Clock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  /** The shell seam (lazily loaded by default). */
  run?: Runner;
  findOnPath?: PathLookup;
  /** Where login records live (tests point it elsewhere). */
  utmpFile?: string;
  /** Sample spacing for the first CPU / network measurement. */
  warmupMs?: number;
}

export interface Composition {
  checks: Check[];
  notifier: Notifier;
  powerActions: PowerActions;
  /** Hibernation readiness inside this guest (`doctor`; `hibernate` asks it first unless hibernateCheck is false). */
  readiness: ReadinessProbe;
  info: AgentInfo;
  wake: WakePlanner;
}

export function compose(config: AgentConfig, agentOs: AgentOs, edges: Edges): Composition {
  const run = edges.run ?? lazyRunner({ timeoutMs: config.checkTimeoutSeconds * 1000 });
  const lookup: PathLookup =
    edges.findOnPath ??
    cachedLookup(
      (cmd) => findOnPath(cmd, edges.env.PATH ?? ''),
      60_000,
      () => edges.clock.now(),
    );
  const c = config.checks;
  const checks: Check[] = [];
  const linux = agentOs === 'linux';
  const pool = linux ? createDbusPool() : null;
  const systemBus = systemBusAddress(edges.env);
  const sessionsProbe = createUtmpSessionProbe(edges.utmpFile);

  if (c.input.enabled) {
    let probe: inputCheck.InputIdleProbe | null = null;
    if (linux && pool) {
      const sources: InputIdleSource[] = c.input.sources.map((name) => {
        if (name === 'x11')
          return createX11IdleSource({
            displays: c.input.x11Displays,
            xauthority: c.input.xauthority,
            run,
            findOnPath: lookup,
            env: edges.env,
          });
        const sessionBuses = { pool, addresses: () => sessionBusAddresses(edges.env) };
        if (name === 'mutter') return createMutterIdleSource(sessionBuses);
        if (name === 'kde') return createKdeIdleSource(sessionBuses);
        return createLogindIdleSource({ pool, address: systemBus, now: () => edges.clock.now() });
      });
      probe = createInputIdleChain(sources, () => pool.close());
    } else if (agentOs === 'macos') {
      probe = createIoregIdleProbe({ run, findOnPath: lookup });
    }
    // Windows input idle needs the interactive session (GetLastInputInfo); that is the tray's check.
    if (probe) checks.push(inputCheck.create(c.input, { probe }));
  }
  if (c.gpu.enabled)
    checks.push(
      gpuCheck.create(c.gpu, { probe: createGpuProbe({ vendor: c.gpu.vendor, run, findOnPath: lookup }) }),
    );
  if (c.powerRequests.enabled) {
    const probe =
      linux && pool
        ? createLinuxPowerRequestProbe({ pool, address: systemBus, run, findOnPath: lookup })
        : agentOs === 'macos'
          ? createPmsetProbe({ run, findOnPath: lookup })
          : createPowercfgProbe({ run, findOnPath: lookup });
    checks.push(powerCheck.create(c.powerRequests, { probe }));
  }
  if (c.processes.names.length > 0) {
    const probe = linux ? createProcProcessProbe() : createSystemInformationProcessProbe();
    checks.push(processesCheck.create(c.processes, { probe, stripExe: agentOs === 'windows' }));
  }
  if (c.cpu.enabled) {
    const probe = linux ? createProcStatCpuProbe() : createCpuProbe();
    checks.push(cpuCheck.create(c.cpu, { probe, clock: edges.clock, warmupMs: edges.warmupMs }));
  }
  if (c.network.enabled && linux)
    checks.push(
      networkCheck.create(c.network, {
        probe: createProcNetDevProbe(),
        clock: edges.clock,
        warmupMs: edges.warmupMs,
      }),
    );
  if (c.sessions.enabled && linux) checks.push(sessionsCheck.create(c.sessions, { probe: sessionsProbe }));
  for (const custom of c.custom) checks.push(customCheck.create(custom, { run }));

  const table = linux
    ? LINUX_POWER_COMMANDS
    : agentOs === 'macos'
      ? MACOS_POWER_COMMANDS
      : WINDOWS_POWER_COMMANDS;
  const tools = { run, findOnPath: lookup };
  const readiness = linux
    ? createLinuxReadinessProbe(tools)
    : agentOs === 'macos'
      ? createPmsetReadinessProbe(tools)
      : createPowercfgReadinessProbe(tools);
  const powerActions = createCommandPowerActions(table, tools);
  return {
    checks,
    notifier: createLinuxNotifier({
      run,
      findOnPath: lookup,
      sessions: () => sessionsProbe.list(new AbortController().signal),
    }),
    powerActions: config.hibernateCheck ? withHibernationCheck(powerActions, readiness) : powerActions,
    readiness,
    info: { version, os: agentOs, variant: 'daemon', hostname: os.hostname() },
    wake: composeWake(config, agentOs, { ...edges, run, findOnPath: lookup, pool, systemBus }),
  };
}
