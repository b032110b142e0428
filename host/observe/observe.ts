/**
 * One observation cycle: the power state of every guest (one Proxmox call), every monitored running guest's
 * status through its transport (in parallel, with a bound), the host checks, and the host GPU for
 * containers. Nothing here decides; failures become readings the policy understands.
 */
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Runner } from '../../common/shell';
import { readContainerProcesses, readHostGpuPercent, runCheck, type HostCheck } from '../checks';
import { guestRef, type GuestConfig, type HostConfig } from '../config';
import { label, type GuestObservation, type Observations, type Power } from '../policy';
import { readVmProcesses } from '../checks/vm-processes';
import type { GuestAgent, GuestInfo, Proxmox } from '../proxmox/types';
import { guestOs, type OsCache, type TransportSet } from '../transport';
import { mapLimit } from './map-limit';
import { readGuestStatus } from './read-status';

export interface ObserveDeps {
  proxmox: Proxmox;
  transports: TransportSet;
  hostChecks: HostCheck[];
  run: Runner;
  log: Logger;
  /** Guests read at the same time. */
  parallelism?: number;
  readTimeoutMs?: number;
  checkTimeoutMs?: number;
  /** The guest agent and OS cache, for the no-agent process fallback of VMs (GAMING_PROCESSES). */
  agent?: GuestAgent;
  osCache?: OsCache;
  /** What each guest and check last looked like in this process, so a lasting failure is logged once. */
  lastSeen?: Map<string, string>;
}

export interface ObservationTimings {
  totalMs: number;
  powerMs: number;
  guestsMs: number;
  hostChecksMs: number;
}

export async function observe(
  config: HostConfig,
  deps: ObserveDeps,
): Promise<{ observations: Observations; timings: ObservationTimings }> {
  const started = Date.now();
  const readTimeoutMs = deps.readTimeoutMs ?? 10000;
  const checkTimeoutMs = deps.checkTimeoutMs ?? 10000;
  const log = deps.log;
  const lastSeen = deps.lastSeen ?? new Map<string, string>();
  const changed = (key: string, value: string) => {
    const before = lastSeen.get(key);
    lastSeen.set(key, value);
    return before !== value;
  };

  const hostChecksPromise = (async () => {
    const t = Date.now();
    const results = await Promise.all(deps.hostChecks.map((c) => runCheck(c, { timeoutMs: checkTimeoutMs })));
    for (const r of results)
      log.event(
        changed(`check:${r.name}`, `${r.state}:${r.detail}`) && r.state === 'unknown' ? 'info' : 'debug',
        {
          kind: 'check',
          check: r.name,
          state: r.state,
          detail: r.detail,
        },
      );
    return { results, ms: Date.now() - t };
  })();
  const needsGpu = config.guests.some((g) => g.kind === 'ct' && g.monitor);
  const gpuPromise = needsGpu
    ? readHostGpuPercent(deps.run, checkTimeoutMs).catch(() => null)
    : Promise.resolve(null);

  const tPower = Date.now();
  const power = await powerStates(config.guests, deps.proxmox, log);
  const powerMs = Date.now() - tPower;
  const hostGpu = await gpuPromise;

  const tGuests = Date.now();
  const guests = await mapLimit(
    config.guests,
    deps.parallelism ?? 8,
    async (guest): Promise<GuestObservation> => {
      const key = guestRef(guest.kind, guest.id);
      const info = power.get(key);
      const failed = power.get(`error:${key}`);
      // Absent from a successful listing: the guest does not exist on this node, so nobody uses it here.
      const absent: Pick<GuestObservation, 'power' | 'powerDetail'> = failed
        ? { power: 'unknown', powerDetail: failed.powerDetail }
        : { power: 'other', powerDetail: 'not found on this node (deleted or migrated?)' };
      const base: GuestObservation = {
        key,
        kind: guest.kind,
        id: guest.id,
        name: guest.name,
        power: info ? (info.power as Power) : absent.power,
        powerDetail: info ? info.powerDetail : absent.powerDetail,
        uptimeSeconds: info?.uptimeSeconds ?? null,
        cpuPercent: info?.cpuPercent ?? null,
        agent: { kind: 'skipped' },
      };
      if (guest.kind === 'ct') base.hostGpuPercent = hostGpu;
      if (!guest.monitor || base.power !== 'running') return base;
      base.agent = await readGuestStatus(guest, deps.transports(guest), readTimeoutMs);
      if (base.agent.kind === 'missing') {
        const reading = base.agent;
        log.event(changed(`agent:${key}`, reading.code) ? 'warn' : 'debug', {
          kind: 'fallback',
          subject: `${label(guest)} agent via ${reading.via}`,
          to: `ON_AGENT_MISSING=${guest.onAgentMissing}`,
          why: `${reading.code}: ${reading.why}`,
        });
      } else if (base.agent.kind === 'status' && lastSeen.has(`agent:${key}`)) {
        lastSeen.delete(`agent:${key}`);
        log.info(`${label(guest)}: agent status readable again`);
      }
      if (base.agent.kind !== 'status' && guest.gamingProcesses.length > 0)
        base.fallbackProcesses = await readFallbackProcesses(guest, deps, readTimeoutMs);
      return base;
    },
  );
  const guestsMs = Date.now() - tGuests;
  const host = await hostChecksPromise;
  return {
    observations: { guests, host: host.results },
    timings: { totalMs: Date.now() - started, powerMs, guestsMs, hostChecksMs: host.ms },
  };
}

/** GAMING_PROCESSES without an agent: `pct exec ps` for containers, the guest agent's exec for VMs. */
async function readFallbackProcesses(
  guest: GuestConfig,
  deps: ObserveDeps,
  timeoutMs: number,
): Promise<string[] | null> {
  if (guest.kind === 'ct') return readContainerProcesses(deps.proxmox, guest.id, timeoutMs);
  if (!deps.agent || !deps.osCache) return null;
  try {
    const os = await guestOs(deps.agent, deps.osCache, guest.id, timeoutMs);
    return await readVmProcesses(deps.agent, guest.id, os, timeoutMs);
  } catch {
    return null;
  }
}

/** Power state of every configured guest: one list call; per-guest calls only if the list failed. */
async function powerStates(
  guests: GuestConfig[],
  proxmox: Proxmox,
  log: Logger,
): Promise<Map<string, GuestInfo>> {
  const map = new Map<string, GuestInfo>();
  if (guests.length === 0) return map;
  try {
    for (const info of await proxmox.listGuests()) map.set(guestRef(info.kind, info.id), info);
    return map;
  } catch (e) {
    log.warn(`listing guests failed (${errorMessage(e)}); asking each guest`);
  }
  await Promise.all(
    guests.map(async (g) => {
      const key = guestRef(g.kind, g.id);
      try {
        map.set(key, await proxmox.status({ kind: g.kind, id: g.id }));
      } catch (e) {
        map.set(`error:${key}`, {
          kind: g.kind,
          id: g.id,
          name: null,
          power: 'other',
          powerDetail: `status unknown: ${errorMessage(e).split('\n')[0]}`,
          uptimeSeconds: null,
          cpuPercent: null,
        });
      }
    }),
  );
  return map;
}
