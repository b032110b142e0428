/**
 * One observation cycle: the power state of every guest (one Proxmox call), every monitored guest's checks
 * (in parallel, with a bound) and the host checks. Nothing here decides: every reading is a check report,
 * and the policy counts them by their role.
 */
import type { CheckReport, CheckRunner } from '../../common/check';
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { GuestCheck, GuestCheckContext, HostCheck } from '../checks';
import { guestRef, type GuestConfig, type HostConfig } from '../config';
import {
  label,
  type GuestEvidence,
  type GuestObservation,
  type GuestSignal,
  type Observations,
  type Power,
} from '../policy';
import type { GuestInfo, Proxmox } from '../proxmox/types';
import { mapLimit } from '../../common/map-limit';

export interface ObserveDeps {
  proxmox: Proxmox;
  hostChecks: HostCheck[];
  /** The checks of each guest, built once by the wiring. */
  guestChecks: (guest: GuestConfig) => GuestCheck[];
  /** Runs the host checks (and logs their changes). */
  hostRunner: CheckRunner;
  /** Runs each guest's checks. */
  guestRunner: CheckRunner;
  log: Logger;
  /** Host time (ms) for the checks' context. */
  now: () => number;
  /** Guests read at the same time. */
  parallelism?: number;
  readTimeoutMs?: number;
  checkTimeoutMs?: number;
  /** What each guest's agent last looked like in this process, so a lasting failure is logged once. */
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
  const hostChecks = timed(() =>
    deps.hostRunner.run(deps.hostChecks, { now: deps.now(), timeoutMs: deps.checkTimeoutMs ?? 10000 }),
  );
  const power = await timed(() => powerStates(config.guests, deps.proxmox, deps.log));
  const shared = cycleMemo();
  const guests = await timed(() =>
    mapLimit(config.guests, deps.parallelism ?? 8, (guest) =>
      observeGuest(guest, power.value.get(guestRef(guest.kind, guest.id)), deps, shared),
    ),
  );
  const host = await hostChecks;
  return {
    observations: { guests: guests.value, host: host.value },
    timings: { totalMs: Date.now() - started, powerMs: power.ms, guestsMs: guests.ms, hostChecksMs: host.ms },
  };
}

async function timed<T>(body: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t = Date.now();
  const value = await body();
  return { value, ms: Date.now() - t };
}

/** A value read once per cycle, however many guests ask for it. */
function cycleMemo(): GuestCheckContext['shared'] {
  const values = new Map<string, Promise<unknown>>();
  return <T>(key: string, read: () => Promise<T>) => {
    if (!values.has(key)) values.set(key, read());
    return values.get(key) as Promise<T>;
  };
}

/** A listed guest's power, or, when it is not listed, why (a failed listing is unknown, absent is not here). */
type PowerReading = { info: GuestInfo } | { failed: string } | undefined;

async function observeGuest(
  guest: GuestConfig,
  reading: PowerReading,
  deps: ObserveDeps,
  shared: GuestCheckContext['shared'],
): Promise<GuestObservation> {
  const info = reading && 'info' in reading ? reading.info : undefined;
  const observation: GuestObservation = {
    key: guestRef(guest.kind, guest.id),
    kind: guest.kind,
    id: guest.id,
    name: guest.name,
    ...powerOf(reading),
    uptimeSeconds: info?.uptimeSeconds ?? null,
    signals: [],
  };
  const power = observation.power;
  if (!guest.monitor || (power !== 'running' && power !== 'unknown')) return observation;
  const checks = deps.guestChecks(guest);
  const context = { now: deps.now(), timeoutMs: deps.readTimeoutMs ?? 10000, info, shared };
  // The agent is not asked while Proxmox cannot say whether the guest runs.
  const first = checks.filter(
    (c) => c.readWhen !== 'agent-unreadable' && (power === 'running' || c.role !== 'agent'),
  );
  const signals = asSignals(first, await deps.guestRunner.run(first, context));
  const agent = signals.find((s) => s.role === 'agent');
  if (power === 'running' && agent && agent.state !== 'active' && agent.state !== 'idle') {
    const later = checks.filter((c) => c.readWhen === 'agent-unreadable');
    signals.push(...asSignals(later, await deps.guestRunner.run(later, context)));
  }
  observation.signals = checks.flatMap((c) => signals.filter((s) => s.name === c.name));
  if (agent) noteAgent(guest, agent, deps);
  return observation;
}

function powerOf(reading: PowerReading): Pick<GuestObservation, 'power' | 'powerDetail'> {
  if (!reading) return { power: 'other', powerDetail: 'not found on this node (deleted or migrated?)' };
  if ('failed' in reading) return { power: 'unknown', powerDetail: reading.failed };
  return { power: reading.info.power as Power, powerDetail: reading.info.powerDetail };
}

/** A guest check's report as the policy reads it: with how it counts. */
export function toSignal(check: GuestCheck, report: CheckReport<GuestEvidence>): GuestSignal {
  return { ...report, role: check.role, unknownIs: check.unknownIs ?? 'idle' };
}

const asSignals = (checks: GuestCheck[], reports: CheckReport<GuestEvidence>[]) =>
  reports.map((report, i) => toSignal(checks[i], report));

/** A lasting failure to read a guest's agent is warned about once; its recovery is said once. */
function noteAgent(guest: GuestConfig, agent: GuestSignal, deps: ObserveDeps): void {
  const key = `agent:${guestRef(guest.kind, guest.id)}`;
  const lastSeen = deps.lastSeen ?? new Map<string, string>();
  if (agent.state === 'unknown') {
    const changed = lastSeen.get(key) !== agent.detail;
    lastSeen.set(key, agent.detail);
    const why = agent.evidence?.items?.[0]?.detail;
    deps.log.event(changed ? 'warn' : 'debug', {
      kind: 'fallback',
      subject: `${label(guest)} agent via ${guest.transport}`,
      to: `ON_AGENT_MISSING=${guest.onAgentMissing}`,
      why: why ? `${agent.detail}: ${why}` : agent.detail,
    });
  } else if (agent.state !== 'unavailable' && lastSeen.delete(key)) {
    deps.log.info(`${label(guest)}: agent status readable again`);
  }
}

/** Power state of every configured guest: one list call; per-guest calls only if the list failed. */
async function powerStates(
  guests: GuestConfig[],
  proxmox: Proxmox,
  log: Logger,
): Promise<Map<string, PowerReading>> {
  const map = new Map<string, PowerReading>();
  if (guests.length === 0) return map;
  try {
    for (const info of await proxmox.listGuests()) map.set(guestRef(info.kind, info.id), { info });
    return map;
  } catch (e) {
    log.warn(`listing guests failed (${errorMessage(e)}); asking each guest`);
  }
  await Promise.all(
    guests.map(async (g) => {
      const key = guestRef(g.kind, g.id);
      try {
        map.set(key, { info: await proxmox.status({ kind: g.kind, id: g.id }) });
      } catch (e) {
        map.set(key, { failed: `status unknown: ${errorMessage(e).split('\n')[0]}` });
      }
    }),
  );
  return map;
}
