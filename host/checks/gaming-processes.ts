/**
 * GAMING_PROCESSES without an agent, as release 1.x read them: the guest's process names (a container's
 * through `pct exec`, a VM's through the QEMU guest agent's exec), matched exactly and case-insensitively;
 * `.exe` is ignored for VMs only (1.x rule 19). Read only while the agent's document cannot be read.
 */
import type { CheckOutcome } from '../../common/check';
import type { GuestConfig } from '../config';
import type { GuestCheck } from './types';

export interface GamingProcessesDeps {
  /** The guest's process names, or null when they cannot be read. */
  processNames(timeoutMs: number): Promise<string[] | null>;
}

/** The running names (as the guest reports them) that match a configured one. */
export function matchGamingProcesses(
  configured: readonly string[],
  running: readonly string[],
  kind: GuestConfig['kind'],
): string[] {
  const norm = (p: string) => (kind === 'vm' ? p.toLowerCase().replace(/\.exe$/, '') : p.toLowerCase());
  const wanted = new Set(configured.map(norm));
  return [...new Set(running.filter((p) => wanted.has(norm(p))))];
}

/** What the guest's process names say against GAMING_PROCESSES; null names are an unreadable list. */
export function gamingOutcome(
  guest: Pick<GuestConfig, 'kind' | 'gamingProcesses'>,
  running: readonly string[] | null,
): CheckOutcome<never> {
  if (running === null) return { state: 'unknown', detail: 'the process list could not be read' };
  const found = matchGamingProcesses(guest.gamingProcesses, running, guest.kind);
  if (found.length === 0)
    return { state: 'idle', detail: `none of ${guest.gamingProcesses.join(', ')} running` };
  const reasons = found.map((p) => `process:${p}`);
  return { state: 'active', reason: reasons[0], reasons, detail: `running: ${found.join(', ')}` };
}

export function create(
  guest: Pick<GuestConfig, 'kind' | 'gamingProcesses'>,
  deps: GamingProcessesDeps,
): GuestCheck | null {
  if (guest.gamingProcesses.length === 0) return null;
  return {
    name: 'gaming processes',
    reason: 'process:*',
    role: 'fallback',
    readWhen: 'agent-unreadable',
    run: async (ctx) => gamingOutcome(guest, await deps.processNames(ctx.timeoutMs)),
  };
}
