/**
 * ON_AGENT_MISSING=cpu: while a guest's agent document cannot be used, its CPU as Proxmox reports it
 * (the listing's sample) decides: active strictly above CPU_IDLE_THRESHOLD (15 against 15 is idle). No
 * reading at all is `unknown`, which counts as active: never idle by accident.
 */
import type { CheckOutcome } from '../../common/check';
import type { GuestConfig } from '../config';
import type { GuestCheck } from './types';

const percent = (n: number) => `${Math.round(n * 10) / 10}%`;

/** What a CPU sample says against the threshold (strictly above is active). */
export function cpuOutcome(cpu: number | null, threshold: number): CheckOutcome<never> {
  if (cpu === null) return { state: 'unknown', reason: 'cpu_unknown', detail: 'CPU unknown' };
  if (cpu > threshold) return { state: 'active', detail: `CPU ${percent(cpu)} > ${threshold}%` };
  return { state: 'idle', detail: `CPU ${percent(cpu)} ≤ ${threshold}%` };
}

export function create(guest: Pick<GuestConfig, 'onAgentMissing' | 'cpuIdleThreshold'>): GuestCheck | null {
  if (guest.onAgentMissing !== 'cpu') return null;
  return {
    name: 'cpu',
    reason: 'cpu_load',
    role: 'fallback',
    unknownIs: 'active',
    run: async ({ info }) => cpuOutcome(info?.cpuPercent ?? null, guest.cpuIdleThreshold),
  };
}
