/**
 * The composition root: the only place that builds adapters. From the configuration it builds the shell
 * runner, the Proxmox backend and guest agent access, each guest's channel and checks, the host checks,
 * the state stores, the loggers, the progress display and the sleep sequence, and hands them down. Every
 * command gets what it works with from here.
 */
import { createCheckRunner } from '../../common/check';
import { systemClock, type Clock } from '../../common/clock';
import type { LogSink } from '../../common/log';
import { createRunner, type Runner } from '../../common/shell';
import { createGuestChecks, createHostChecks, type GuestCheck } from '../checks';
import { guestRef, type HostConfig } from '../config';
import { createGuestChannels, createTransports, memoryOsCache, type GuestChannels } from '../guest';
import type { MonitorDeps } from '../monitor/evaluate';
import { detectNodeName } from '../proxmox/node-name';
import type { GuestAgent, Proxmox } from '../proxmox/types';
import {
  linuxSystem,
  logProgress,
  silentProgress,
  terminalProgress,
  tickSleep,
  type Progress,
  type SequenceContext,
  type SequenceFactory,
} from '../sequence';
import {
  createMonitorStateStore,
  createRunRecordStore,
  createSleepRecordStore,
  type MonitorStateStore,
} from '../state';
import { createNamedLogger } from './logging';
import { connectProxmox } from './proxmox';

/** How long a host check may take. */
const CHECK_TIMEOUT_MS = 10000;
/** The default timeout of a command started through the shell seam. */
const SHELL_TIMEOUT_MS = 15000;

/** How the sleep sequence shows its long waits: not at all (tick), as log lines, or live on a terminal. */
export type ProgressChoice = 'silent' | 'log' | { terminal: (text: string) => void };

export interface WiringOptions {
  env: NodeJS.ProcessEnv | Record<string, string | undefined>;
  clock?: Clock;
  /** The sleep sequence's clock, when it differs from the monitor's (tests: a simulated monitor, real waits). */
  sequenceClock?: Clock;
  /** Where log lines go besides IDLE_MONITOR_LOG (default stderr). */
  sink?: LogSink;
  /** Write to IDLE_MONITOR_LOG and SLEEP_MANAGER_LOG (tick, daemon and the sequence commands). */
  logToFile?: boolean;
  /** Replaces what `tick` hands over to (tests of the monitor record what it is asked). */
  sequence?: SequenceFactory;
  progress?: ProgressChoice;
  /** Where `/etc/pve/nodes` is (tests). */
  pveNodesDir?: string;
  parallelism?: number;
  /** `status`: a broken API setup falls back to qm/pct/pvesh with a warning instead of failing. */
  lenient?: boolean;
}

export interface Wired extends MonitorDeps {
  proxmox: Proxmox;
  agent: GuestAgent;
  /** One channel per guest: its status document, its agent's commands, its process list. */
  channels: GuestChannels;
  run: Runner;
  /** What the sleep sequence works with (the sequence commands, `status`'s summary). */
  sequenceContext: SequenceContext;
  /** Problems found while wiring (e.g. GUEST_AGENT_ACCESS=api without an API URL), already logged. */
  warnings: string[];
  close(): void;
}

export async function wire(config: HostConfig, options: WiringOptions): Promise<Wired> {
  const g = config.global;
  const clock = options.clock ?? systemClock;
  const closers: (() => void)[] = [];
  const warnings: string[] = [];
  const log = createNamedLogger('host:monitor', {
    sink: options.sink,
    file: options.logToFile ? g.idleMonitorLog : null,
    debug: g.debug,
    now: () => clock.now(),
    warnings,
    closers,
  });
  const run = wireShell(options.env);
  const node = await detectNodeName({ pveNodesDir: options.pveNodesDir });
  const { proxmox, agent } = await connectProxmox(g, {
    run,
    node,
    clock: options.clock,
    lenient: options.lenient,
    warnings,
    closers,
  });
  const osCache = memoryOsCache();
  const channels = createGuestChannels({
    transport: createTransports({ agent, proxmox, run, osCache }),
    agent,
    proxmox,
    run,
    osCache,
  });
  const sequenceContext = wireSequence(config, options, {
    proxmox,
    agent,
    channels,
    run,
    osCache,
    warnings,
    closers,
  });
  for (const w of warnings) log.warn(w);
  // A guest read may take at most half a check interval (2–15 s), so one slow guest never delays the next tick.
  const readTimeoutMs = Math.max(2000, Math.min(15000, (g.checkInterval * 1000) / 2));
  return {
    ...monitorChecks(config, run, channels),
    sequenceContext,
    proxmox,
    agent,
    osCache,
    channels,
    hostRunner: createCheckRunner({
      clock,
      timeoutMs: CHECK_TIMEOUT_MS,
      logger: log,
      changeLevel: (r) => (r.state === 'unknown' ? 'info' : 'debug'),
    }),
    // The transports time out first, so a slow guest reads as their `timeout`, not as the runner's.
    guestRunner: createCheckRunner({ clock, timeoutMs: readTimeoutMs + 1000 }),
    now: () => clock.now(),
    checkTimeoutMs: CHECK_TIMEOUT_MS,
    run,
    log,
    clock,
    store: sequenceContext.store,
    sequence: (options.sequence ?? tickSleep)(sequenceContext),
    parallelism: options.parallelism ?? 8,
    lastSeen: new Map(),
    readTimeoutMs,
    warnings,
    close: () => closers.forEach((c) => c()),
  };
}

/** The host checks, and each guest's checks, built once. */
function monitorChecks(config: HostConfig, run: Runner, channels: GuestChannels) {
  const byGuest = new Map<string, GuestCheck[]>(
    config.guests.map((guest) => [
      guestRef(guest.kind, guest.id),
      createGuestChecks(guest, { run, channel: channels(guest) }),
    ]),
  );
  return {
    hostChecks: createHostChecks(config.global, { run }),
    guestChecks: (guest: { kind: 'vm' | 'ct'; id: number }) =>
      byGuest.get(guestRef(guest.kind, guest.id)) ?? [],
  };
}

type SequenceEdges = Pick<SequenceContext, 'proxmox' | 'agent' | 'channels' | 'run' | 'osCache'> & {
  warnings: string[];
  closers: (() => void)[];
};

/** The sleep sequence's context: its logger (SLEEP_MANAGER_LOG), stores, this machine, the progress display. */
function wireSequence(config: HostConfig, options: WiringOptions, edges: SequenceEdges): SequenceContext {
  const clock = options.sequenceClock ?? options.clock ?? systemClock;
  const terminal =
    typeof options.progress === 'object' ? terminalProgress(options.progress.terminal, clock) : null;
  const log = createNamedLogger('host:sequence', {
    sink: options.sink,
    file: options.logToFile ? config.global.sleepManagerLog : null,
    debug: config.global.debug,
    now: () => clock.now(),
    wrap: terminal ? (sink) => terminal.wrapSink(sink) : undefined,
    warnings: edges.warnings,
    closers: edges.closers,
  });
  const progress: Progress =
    terminal ?? (options.progress === 'log' ? logProgress(log, clock) : silentProgress());
  edges.closers.push(() => progress.close());
  const { warnings: _warnings, closers: _closers, ...adapters } = edges;
  return {
    ...adapters,
    config,
    log,
    clock,
    ...wireStores(config.stateDir),
    system: linuxSystem(),
    progress,
  };
}

/** The shell seam alone (`validate` asks qm/pct whether the configured guests exist). */
export function wireShell(env: WiringOptions['env']): Runner {
  return createRunner({ timeoutMs: SHELL_TIMEOUT_MS, env: env as NodeJS.ProcessEnv });
}

/** The state directory's stores alone (`reset`). */
export function wireStores(
  stateDir: string,
): Pick<SequenceContext, 'records' | 'runs'> & { store: MonitorStateStore } {
  return {
    store: createMonitorStateStore(stateDir),
    records: createSleepRecordStore(stateDir),
    runs: createRunRecordStore(stateDir),
  };
}
