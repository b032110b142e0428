/**
 * Processes the lab starts on a guest's behalf (placeholder QEMU, qemu-ga, the agent daemon, transition
 * timers). They are detached so they outlive the short-lived qm/pct call that started them, and each is only
 * ever signalled after checking that its command line still names the lab folder, so a reused PID is never hit.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import { commandLine, isAlive as isLive } from '../qemu/process';
import { repoRoot } from '../qemu/repo-root';
import { recordPid } from './state';

export const LAB_PVE_SOURCE = path.join(repoRoot(), 'lab', 'pve');
export const LAB_PVE_BIN = path.join(LAB_PVE_SOURCE, 'bin');
export const LAB_GUEST_BIN = path.join(LAB_PVE_SOURCE, 'guest-bin');
export const LAB_TOOLS = path.join(repoRoot(), 'dist', 'lab', 'pve', 'tools');
/** The real agent CLI (built), which the lab runs for a guest's agent. */
export const AGENT_CLI = path.join(repoRoot(), 'dist', 'agent-app', 'daemon', 'cli.js');

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

/** Signals the process group of `pid` if its command line still mentions `marker`. */
export function killIfOurs(
  pid: number | undefined,
  marker: string,
  signal: NodeJS.Signals = 'SIGTERM',
): void {
  if (!pid) return;
  const line = commandLine(pid);
  if (line === null || !line.join(' ').includes(marker)) return;
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch {
      // not a group leader, or gone
    }
  }
}

/** Alive and not a zombie; false for a PID that was never recorded. */
export function isAlive(pid: number | undefined): boolean {
  return pid !== undefined && pid > 0 && isLive(pid);
}
