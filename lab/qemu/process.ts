/** Processes known only by PID (QEMU runs daemonized, so it outlives the process that started it). */
import { readFileSync } from 'fs';
import { sleep, systemClock } from '../../common/clock';
import { runFile } from './qemu-args';

/** Alive and not a zombie (this machine's PID 1 does not always reap, and kill(pid, 0) succeeds on zombies). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The command line of a live process, or null. */
export function commandLine(pid: number): string[] | null {
  if (!isAlive(pid)) return null;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/** Resolves true once the PID is gone, false when `timeoutMs` passed first. */
export async function waitForExit(pid: number, timeoutMs: number, pollMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(systemClock, pollMs);
  }
  return true;
}

/** Sends a signal; false when the process was already gone. */
export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw e;
  }
}

/** Resident set size in bytes (VmRSS), or null when the process is gone. */
export function rssBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** The PID in a VM run folder's pidfile when it is a live QEMU started with that pidfile; else null. */
export function runningPid(runDir: string): number | null {
  const pidFile = runFile(runDir, 'pid');
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const cmd = commandLine(pid);
  return cmd !== null && cmd.includes(pidFile) ? pid : null;
}
