/**
 * Processes the lab starts on a guest's behalf (placeholder QEMU, qemu-ga, the agent daemon, transition
 * timers). They are detached so they outlive the short-lived qm/pct call that started them, and each is only
 * ever signalled after checking that its command line still names the lab folder, so a reused PID is never hit.
 */
import { spawn } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';
import { repoRoot } from '../qemu/repo-root';
import { recordPid } from './state';

export const LAB_PVE_SOURCE = path.join(repoRoot(), 'lab', 'pve');
export const LAB_PVE_BIN = path.join(LAB_PVE_SOURCE, 'bin');
export const LAB_GUEST_BIN = path.join(LAB_PVE_SOURCE, 'guest-bin');
export const LAB_TOOLS = path.join(repoRoot(), 'dist', 'lab', 'pve', 'tools');

export function spawnDetached(
  dir: string,
  what: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; log?: string } = {},
): number {
  const child = spawn(command, args, {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, LAB_PVE_DIR: dir, ...options.env },
  });
  child.on('error', () => undefined);
  child.unref();
  const pid = child.pid;
  if (!pid) throw new Error(`lab: could not start ${command}`);
  recordPid(dir, pid, what);
  return pid;
}

export function commandLineOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return null;
  }
}

/** Signals the process group of `pid` if its command line still mentions `marker`. */
export function killIfOurs(
  pid: number | undefined,
  marker: string,
  signal: NodeJS.Signals = 'SIGTERM',
): void {
  if (!pid) return;
  const line = commandLineOf(pid);
  if (line === null || !line.includes(marker)) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      // not a group leader, or gone
    }
  }
}

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    // A zombie has an empty command line.
    return Boolean(commandLineOf(pid));
  } catch {
    return false;
  }
}
