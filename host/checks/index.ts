/**
 * Every host-side signal, registered here and nowhere else: a new signal is one file in this folder and one
 * line below. Host checks are built from the global configuration, guest checks from each guest's; a
 * factory returns null when its signal is turned off for that configuration.
 */
import type { Runner } from '../../common/shell';
import type { GlobalConfig, GuestConfig } from '../config';
import type { GuestChannel } from '../guest';
import * as agentStatus from './agent-status';
import { createBlockingProcessesCheck } from './blocking-processes';
import { createBlockingUnitsCheck } from './blocking-units';
import * as containerGpu from './container-gpu';
import * as gamingProcesses from './gaming-processes';
import * as guestCpu from './guest-cpu';
import { createPtySessionsCheck } from './pty-sessions';
import { createSleepInhibitorsCheck } from './sleep-inhibitors';
import type { GuestCheck, HostCheck } from './types';

export * from './types';

export interface HostCheckDeps {
  run: Runner;
}

export interface GuestCheckDeps {
  run: Runner;
  /** The guest's channel: its status document and, without an agent, its process list. */
  channel: Pick<GuestChannel, 'readStatus' | 'processNames'>;
}

const HOST_CHECKS: ((global: GlobalConfig, deps: HostCheckDeps) => HostCheck | null)[] = [
  (g) => (g.checkSshSessions ? createPtySessionsCheck() : null),
  (g) => createBlockingProcessesCheck(g.hostBlockingProcesses),
  (g, deps) => createBlockingUnitsCheck(g.hostBlockingUnits, deps),
  (g, deps) => (g.checkSleepInhibitors ? createSleepInhibitorsCheck(deps) : null),
];

const GUEST_CHECKS: ((guest: GuestConfig, deps: GuestCheckDeps) => GuestCheck | null)[] = [
  (guest, deps) => agentStatus.create(guest, deps.channel),
  (guest) => guestCpu.create(guest),
  (guest, deps) => gamingProcesses.create(guest, deps.channel),
  (guest, deps) => containerGpu.create(guest, deps),
];

const built = <T>(checks: (T | null)[]): T[] => checks.filter((c): c is T => c !== null);

export function createHostChecks(global: GlobalConfig, deps: HostCheckDeps): HostCheck[] {
  return built(HOST_CHECKS.map((create) => create(global, deps)));
}

export function createGuestChecks(guest: GuestConfig, deps: GuestCheckDeps): GuestCheck[] {
  return built(GUEST_CHECKS.map((create) => create(guest, deps)));
}
