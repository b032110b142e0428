/**
 * Who a process is, in a way that survives PID reuse: its PID, its start time in clock ticks since boot
 * (/proc/<pid>/stat field 22) and the boot it belongs to (/proc/sys/kernel/random/boot_id). A record naming
 * a process is only trusted while all three still match.
 */
import { promises as fs } from 'fs';

export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot, as text (it can exceed 2^53 on long-running hosts). */
  start: string | null;
  bootId: string | null;
}

export async function readBootId(procDir = '/proc'): Promise<string | null> {
  try {
    return (await fs.readFile(`${procDir}/sys/kernel/random/boot_id`, 'utf8')).trim() || null;
  } catch {
    return null;
  }
}

export async function readStartTime(pid: number, procDir = '/proc'): Promise<string | null> {
  try {
    const stat = await fs.readFile(`${procDir}/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null;
  } catch {
    return null;
  }
}

export async function currentProcess(procDir = '/proc'): Promise<ProcessIdentity> {
  return {
    pid: process.pid,
    start: await readStartTime(process.pid, procDir),
    bootId: await readBootId(procDir),
  };
}

/** True while that very process still runs (same boot, same PID, same start time). */
export async function isRunning(who: ProcessIdentity, procDir = '/proc'): Promise<boolean> {
  const bootId = await readBootId(procDir);
  if (who.bootId && bootId && who.bootId !== bootId) return false;
  try {
    process.kill(who.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const start = await readStartTime(who.pid, procDir);
  if (start === null) return false;
  if (who.start !== null && start !== who.start) return false;
  // A zombie has exited; its parent just has not collected it yet.
  try {
    const stat = await fs.readFile(`${procDir}/${who.pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
  } catch {
    return false;
  }
  return true;
}
