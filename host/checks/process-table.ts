/** Full command lines of the host's processes, read from /proc (what `pgrep -f` matches against). */
import { promises as fs } from 'fs';
import * as path from 'path';

export interface ProcessEntry {
  pid: number;
  ppid: number;
  /** argv joined by spaces, as pgrep -f sees it; the bracketed comm for kernel threads. */
  commandLine: string;
}

export async function readProcessTable(procDir = '/proc'): Promise<ProcessEntry[]> {
  const names = await fs.readdir(procDir);
  const entries = await Promise.all(
    names
      .filter((n) => /^[0-9]+$/.test(n))
      .map(async (n): Promise<ProcessEntry | null> => {
        try {
          const [cmdline, stat] = await Promise.all([
            fs.readFile(path.join(procDir, n, 'cmdline')),
            fs.readFile(path.join(procDir, n, 'stat'), 'utf8'),
          ]);
          // stat: "pid (comm) state ppid …"; comm may contain spaces and parentheses.
          const close = stat.lastIndexOf(')');
          const comm = stat.slice(stat.indexOf('(') + 1, close);
          const ppid = Number(stat.slice(close + 2).split(' ')[1]);
          const args = cmdline.toString('utf8').replace(/\0+$/, '').split('\0').join(' ');
          return { pid: Number(n), ppid, commandLine: args || `[${comm}]` };
        } catch {
          return null; // exited while we looked
        }
      }),
  );
  return entries.filter((e): e is ProcessEntry => e !== null);
}

/** PIDs of this process and its ancestors: their command lines mention our own arguments. */
export function selfAndAncestors(table: ProcessEntry[], pid = process.pid): Set<number> {
  const byPid = new Map(table.map((e) => [e.pid, e]));
  const out = new Set<number>();
  let current: number | undefined = pid;
  while (current && current > 1 && !out.has(current)) {
    out.add(current);
    current = byPid.get(current)?.ppid;
  }
  return out;
}
