/**
 * The tray's composition root: the daemon's composition (same configuration, same checks) with three
 * parts replaced where the user's session or Windows needs them:
 *   - input idle from Electron's powerMonitor (or Mutter / logind on Wayland), which a session-0 service
 *     cannot see on Windows;
 *   - on Windows, GPU load from the GPU engine counters (AMD, Intel, NVIDIA) plus nvidia-smi;
 *   - on Windows, power requests from the SYSTEM task's snapshot (powercfg needs administrator rights).
 * No Electron import here: the main process passes powerMonitor in.
 */
import type { Clock } from '../../../common/clock';
import type { Logger } from '../../../common/log';
import type { Runner } from '../../../common/shell';
import type { AgentInfo } from '../../../protocol/status';
import type { AgentCheck as Check } from '../../core/agent-check';
import * as gpuCheck from '../../core/checks/gpu';
import * as inputCheck from '../../core/checks/input-idle';
import * as powerCheck from '../../core/checks/power-requests';
import type { PowerActions } from '../../core/commands';
import type { AgentConfig } from '../../core/config';
import type { WakePlanner } from '../../core/wake/planner';
import { agentOs } from '../../core/paths';
import { compose } from '../../setup/compose';
import { createDbusPool, systemBusAddress } from '../../platform/linux/dbus';
import type { InputIdleSource } from '../../platform/linux/input-idle';
import { createLogindIdleSource } from '../../platform/linux/logind';
import { createMutterIdleSource } from '../../platform/linux/mutter-idle';
import { sessionBusAddresses } from '../../platform/linux/session-bus-idle';
import { lazyRunner, pathLookup, type PathLookup } from '../../platform/shared/commands';
import { createNvidiaSmiProbe } from '../../platform/shared/nvidia-smi';
import { createSnapshotPowerRequestProbe } from '../../platform/windows/power-requests-reader';
import { powerRequestsFile } from '../../platform/windows/power-requests-snapshot';
import { createGpuCounterProbe } from '../../platform/windows/gpu-counters';
import { createWindowsGpuProbe } from '../../platform/windows/gpu-probe';
import { createPowerShellSession, type PowerShellSession } from '../../platform/windows/powershell-session';
import { createTrayInputProbe, sessionKind, type IdleTimeSource, type SessionKind } from './input-idle';

export interface TrayEdges {
  clock: Clock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  powerMonitor: IdleTimeSource;
  run?: Runner;
  findOnPath?: PathLookup;
  /** Windows probes' PowerShell (tests pass a fake; PowerShell does not exist off Windows). */
  powershell?: PowerShellSession;
  utmpFile?: string;
  warmupMs?: number;
}

export interface TrayComposition {
  checks: Check[];
  powerActions: PowerActions;
  info: AgentInfo;
  wake: WakePlanner;
  session: SessionKind;
  /** Releases what the checks do not own themselves (the PowerShell process). */
  close(): Promise<void>;
}

/** The daemon's check order; the tray's replacements take the same places. */
const ORDER = ['input', 'gpu', 'power_requests', 'processes', 'cpu', 'network', 'sessions'];
const rank = (check: Check) => {
  const i = ORDER.indexOf(check.name);
  return i < 0 ? ORDER.length : i;
};

export function composeTray(config: AgentConfig, edges: TrayEdges): TrayComposition {
  const os = agentOs(edges.platform);
  const windows = os === 'windows';
  const run = edges.run ?? lazyRunner({ timeoutMs: config.checkTimeoutSeconds * 1000 });
  const lookup = edges.findOnPath ?? pathLookup(edges.platform, edges.env);
  const c = config.checks;
  const base = compose(
    {
      ...config,
      checks: {
        ...c,
        input: { ...c.input, enabled: false },
        gpu: { ...c.gpu, enabled: c.gpu.enabled && !windows },
        powerRequests: { ...c.powerRequests, enabled: c.powerRequests.enabled && !windows },
      },
    },
    os,
    {
      clock: edges.clock,
      logger: edges.logger,
      env: edges.env,
      run,
      findOnPath: lookup,
      utmpFile: edges.utmpFile,
      warmupMs: edges.warmupMs,
    },
  );
  const checks: Check[] = [...base.checks];
  const session = sessionKind(edges.platform, edges.env);
  let powershell: PowerShellSession | null = null;

  if (c.input.enabled) {
    const pool = session === 'wayland' ? createDbusPool() : null;
    // Not "kde": KIdleTime cannot measure idle time on Wayland (Plasma 6 refuses the call, older ones say 0).
    const waylandSources: InputIdleSource[] = [];
    if (pool)
      for (const name of c.input.sources) {
        if (name === 'mutter')
          waylandSources.push(
            createMutterIdleSource({ pool, addresses: () => sessionBusAddresses(edges.env) }),
          );
        if (name === 'logind')
          waylandSources.push(
            createLogindIdleSource({
              pool,
              address: systemBusAddress(edges.env),
              now: () => edges.clock.now(),
            }),
          );
      }
    const probe = createTrayInputProbe({
      kind: session,
      powerMonitor: edges.powerMonitor,
      waylandSources,
      close: pool ? () => pool.close() : undefined,
    });
    checks.push(inputCheck.create(c.input, { probe }));
  }
  if (windows && c.gpu.enabled) {
    powershell =
      edges.powershell ?? createPowerShellSession({ timeoutMs: config.checkTimeoutSeconds * 1000 });
    const probe = createWindowsGpuProbe({
      vendor: c.gpu.vendor,
      counters: createGpuCounterProbe({ powershell }),
      nvidiaSmi: createNvidiaSmiProbe({ run, findOnPath: lookup }),
    });
    checks.push(gpuCheck.create(c.gpu, { probe }));
  }
  if (windows && c.powerRequests.enabled) {
    const probe = createSnapshotPowerRequestProbe({
      file: powerRequestsFile(config.statusFile),
      now: () => edges.clock.now(),
    });
    checks.push(powerCheck.create(c.powerRequests, { probe }));
  }
  checks.sort((a, b) => rank(a) - rank(b));
  return {
    checks,
    powerActions: base.powerActions,
    info: { ...base.info, variant: 'tray' },
    wake: base.wake,
    session,
    close: async () => {
      await powershell?.close();
    },
  };
}
