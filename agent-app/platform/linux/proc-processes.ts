/**
 * Running process names on Linux: the basename of argv[0] from /proc/<pid>/cmdline. `comm` would be cut
 * to 15 characters, which breaks exact matching of longer names. Processes without a command line (kernel
 * threads, zombies) are skipped. Reads are synchronous and capped at 4 KiB per process: this is the
 * daemon's main work and a few hundred small reads are cheaper without promise overhead.
 */
import { closeSync, openSync, readdirSync, readSync } from 'fs';
import type { ProcessProbe } from '../../core/checks/processes';

/** `argv[0]` basename from raw cmdline bytes; `/` and `\` both separate (Wine shows Windows paths). */
export function processNameFromCmdline(raw: Buffer): string | null {
  const end = raw.indexOf(0);
  const argv0 = raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
  const base = argv0.split(/[/\\]/).pop()?.trim() ?? '';
  return base === '' ? null : base;
}

export function createProcProcessProbe(procDir = '/proc'): ProcessProbe {
  const buffer = Buffer.alloc(4096);
  return {
    async list() {
      const names: string[] = [];
      for (const entry of readdirSync(procDir)) {
        if (!/^\d+$/.test(entry)) continue;
        let fd: number;
        try {
          fd = openSync(`${procDir}/${entry}/cmdline`, 'r');
        } catch {
          continue; // exited meanwhile
        }
        try {
          const bytes = readSync(fd, buffer, 0, buffer.length, 0);
          const name = processNameFromCmdline(buffer.subarray(0, bytes));
          if (name) names.push(name);
        } catch {
          // exited meanwhile
        } finally {
          closeSync(fd);
        }
      }
      return names;
    },
  };
}
