/**
 * After a VM resumed from its own hibernation its clock may be behind by the time it was away. With direct
 * socket access the host sets it (`guest-set-time` with the host's time; the agent also writes the guest's
 * hardware clock). Proxmox's `qm guest cmd` and the API have no set-time, so otherwise the guest's own OS
 * re-reads the time through the agent's exec: Windows `w32tm /resync /force`, Linux `hwclock --hctosys` (the
 * virtual RTC follows the host). macOS guests keep their own time (network time) and are left alone.
 * Best effort: a failure is reported, never a reason to fail the wake.
 */
import { sleep, type Clock } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import { sanitizeForLog } from '../../common/sanitize';
import type { GuestAgent } from '../proxmox/types';
import { guestOs, type OsCache } from '../guest';

export const RESYNC_COMMANDS = {
  windows: ['w32tm', '/resync', '/force'],
  linux: ['hwclock', '--hctosys'],
} as const;

export interface ClockSyncDeps {
  agent: GuestAgent;
  clock: Clock;
  osCache: OsCache;
  /** How long the agent gets to answer after the start. */
  waitS: number;
}

export interface ClockSyncResult {
  ok: boolean;
  detail: string;
}

async function agentAnswers(vmid: number, deps: ClockSyncDeps): Promise<boolean> {
  const deadline = deps.clock.now() + deps.waitS * 1000;
  for (;;) {
    try {
      await deps.agent.command(vmid, 'ping', 3000);
      return true;
    } catch {
      if (deps.clock.now() >= deadline) return false;
      await sleep(deps.clock, Math.min(2000, Math.max(0, deadline - deps.clock.now())));
    }
  }
}

export async function syncGuestClock(vmid: number, deps: ClockSyncDeps): Promise<ClockSyncResult> {
  if (!(await agentAnswers(vmid, deps)))
    return {
      ok: false,
      detail: `clock not synced: the QEMU guest agent did not answer within ${deps.waitS} s`,
    };
  try {
    if (deps.agent.setTime) {
      await deps.agent.setTime(vmid, deps.clock.now(), 5000);
      return { ok: true, detail: 'clock set (guest-set-time)' };
    }
    const os = await guestOs(deps.agent, deps.osCache, vmid, 5000);
    if (os === 'macos') return { ok: true, detail: 'clock left to macOS (network time)' };
    const argv = RESYNC_COMMANDS[os];
    const result = await deps.agent.exec(vmid, argv, { timeoutMs: 15000, maxOutputBytes: 4096 });
    if (result.exitCode === 0) return { ok: true, detail: `clock re-read (${argv.join(' ')})` };
    const err = sanitizeForLog(result.stderr.trim().split('\n').slice(-1)[0] ?? '', 160);
    return {
      ok: false,
      detail: `clock not synced: ${argv.join(' ')} exited ${result.exitCode}${err ? `: ${err}` : ''}`,
    };
  } catch (e) {
    return { ok: false, detail: `clock not synced: ${sanitizeForLog(errorMessage(e), 200)}` };
  }
}
