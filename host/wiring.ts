/**
 * The composition root of the monitor: builds the adapters from the configuration (shell runner, Proxmox
 * backend, guest agent access, transports, host checks, state store, logger) and hands them down. Nothing
 * else constructs adapters.
 */
import { systemClock, type Clock } from '../common/clock';
import { ConfigError, errorMessage, type ConfigProblem } from '../common/errors';
import { createLogger, streamSink, teeSink, type Level, type LogSink } from '../common/log';
import { createRunner, type Runner } from '../common/shell';
import { createCheckRunner } from '../common/check';
import { createGuestChecks, createHostChecks, type GuestCheck } from './checks';
import { guestRef, type HostConfig } from './config';
import { fileSink } from './observe/log-file';
import type { MonitorDeps } from './observe/monitor';
import { createCliBackend } from './proxmox/cli-backend';
import { createHttpsClient } from './proxmox/https-client';
import { detectNodeName } from './proxmox/node-name';
import { createSocketAgent } from './proxmox/qga-socket';
import { createRestBackend, readApiToken } from './proxmox/rest-backend';
import type { GuestAgent, Proxmox } from './proxmox/types';
import type { SequenceDeps, SequenceFactory } from './sequence/entry';
import type { Progress } from './sequence/progress';
import { createSleepSequence } from './sequence/sleep-sequence';
import { createMonitorStateStore } from './state';
import { createGuestChannels, createTransports, memoryOsCache, type GuestChannels } from './transport';

/** How long a host check may take. */
const CHECK_TIMEOUT_MS = 10000;

export interface WiringOptions {
  env: NodeJS.ProcessEnv | Record<string, string | undefined>;
  clock?: Clock;
  /** Where log lines go besides IDLE_MONITOR_LOG (default stderr). */
  sink?: LogSink;
  /** Write to IDLE_MONITOR_LOG (tick and daemon do; check and status only print). */
  logToFile?: boolean;
  /** Replaces the sleep sequence (tests of the monitor record what it is asked). */
  sequence?: SequenceFactory;
  /** Progress display of the sleep sequence's waits (the sequence commands on a terminal). */
  progress?: Progress;
  /** Where `/etc/pve/nodes` is (tests). */
  pveNodesDir?: string;
  parallelism?: number;
  /** `status`: a broken API setup falls back to qm/pct/pvesh with a warning instead of failing. */
  lenient?: boolean;
}

export interface Wired extends MonitorDeps {
  proxmox: Proxmox;
  agent: GuestAgent;
  /** One channel per guest: its status document, its process list, where it is read from. */
  channels: GuestChannels;
  run: Runner;
  /** What the sleep sequence was built from (the sequence commands build their engine from it too). */
  sequenceDeps: SequenceDeps;
  /** Problems found while wiring (e.g. GUEST_AGENT_ACCESS=api without an API URL), already logged. */
  warnings: string[];
  close(): void;
}

export async function wire(config: HostConfig, options: WiringOptions): Promise<Wired> {
  const g = config.global;
  const closers: (() => void)[] = [];
  const warnings: string[] = [];
  let sink = options.sink ?? streamSink('text');
  if (options.logToFile && g.idleMonitorLog) {
    const file = fileSink(g.idleMonitorLog);
    if ('error' in file) warnings.push(file.error);
    else {
      sink = teeSink(sink, file.sink);
      closers.push(file.close);
    }
  }
  const levels: Record<string, Level> = { '': g.debug ? 'debug' : 'info' };
  const log = createLogger('host:monitor', { sink, levels, now: () => (options.clock ?? systemClock).now() });

  const env = options.env as NodeJS.ProcessEnv;
  const run: Runner = createRunner({ timeoutMs: 15000, env });
  const node = await detectNodeName({ pveNodesDir: options.pveNodesDir });
  const cli = createCliBackend({ run, node, callTimeoutMs: g.proxmoxTimeout * 1000 });

  let proxmox: Proxmox = cli;
  let rest: Proxmox | null = null;
  if (g.proxmoxApiUrl) {
    try {
      if (!g.proxmoxApiTokenFile)
        throw configProblem('PROXMOX_API_TOKEN_FILE', 'is required when PROXMOX_API_URL is set');
      const { token, warnings: tokenWarnings } = await readApiToken(g.proxmoxApiTokenFile);
      warnings.push(...tokenWarnings);
      const client = createHttpsClient({
        baseUrl: g.proxmoxApiUrl,
        token,
        fingerprint: g.proxmoxApiFingerprint || undefined,
      });
      closers.push(() => client.close());
      rest = createRestBackend({ client, node, containers: cli, clock: options.clock });
      proxmox = rest;
    } catch (e) {
      if (!options.lenient) throw e;
      warnings.push(`the Proxmox API cannot be used (${errorMessage(e)}); using qm/pct/pvesh`);
    }
  }

  let agent: GuestAgent;
  switch (g.guestAgentAccess) {
    case 'socket':
      agent = createSocketAgent({ socketDir: g.qgaSocketDir });
      break;
    case 'api':
      if (rest) agent = rest.agent;
      else {
        warnings.push('GUEST_AGENT_ACCESS=api needs PROXMOX_API_URL; using pvesh instead');
        agent = cli.agent;
      }
      break;
    default:
      agent = cli.agent;
  }

  const osCache = memoryOsCache();
  const clock = options.clock ?? systemClock;
  const store = createMonitorStateStore(config.stateDir);
  const transports = createTransports({ agent, proxmox, run, osCache });
  const channels = createGuestChannels({ transport: transports, agent, proxmox, osCache });
  const guestChecks = new Map<string, GuestCheck[]>(
    config.guests.map((guest) => [
      guestRef(guest.kind, guest.id),
      createGuestChecks(guest, { run, channel: channels(guest) }),
    ]),
  );
  // A guest read may take at most half a check interval (2–15 s), so one slow guest never delays the next tick.
  const readTimeoutMs = Math.max(2000, Math.min(15000, (g.checkInterval * 1000) / 2));

  // The sleep sequence logs to SLEEP_MANAGER_LOG (1.x: the manager's own file) besides stderr.
  let sequenceSink = options.sink ?? streamSink('text');
  if (options.logToFile && g.sleepManagerLog) {
    const file = fileSink(g.sleepManagerLog);
    if ('error' in file) warnings.push(file.error);
    else {
      sequenceSink = teeSink(sequenceSink, file.sink);
      closers.push(file.close);
    }
  }
  if (options.progress) sequenceSink = options.progress.wrapSink(sequenceSink);
  const sequenceDeps: SequenceDeps = {
    config,
    log: createLogger('host:sequence', { sink: sequenceSink, levels, now: () => clock.now() }),
    proxmox,
    agent,
    run,
    clock,
    store,
    osCache,
    progress: options.progress,
  };
  for (const w of warnings) log.warn(w);
  return {
    sequenceDeps,
    proxmox,
    agent,
    osCache,
    channels,
    hostChecks: createHostChecks(g, { run }),
    guestChecks: (guest) => guestChecks.get(guestRef(guest.kind, guest.id)) ?? [],
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
    store,
    sequence: (options.sequence ?? createSleepSequence)(sequenceDeps),
    parallelism: options.parallelism ?? 8,
    lastSeen: new Map(),
    readTimeoutMs,
    warnings,
    close: () => closers.forEach((c) => c()),
  };
}

function configProblem(key: string, message: string): ConfigError {
  const problem: ConfigProblem = { severity: 'error', file: null, line: null, key, message };
  return new ConfigError([problem]);
}
