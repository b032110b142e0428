/**
 * HOST_BLOCKING_PROCESSES: a process whose full command line matches one of the patterns keeps the host
 * awake. Same semantics as the previous release's `pgrep -f -- <pattern>` (an extended regular expression
 * searched anywhere in the command line, so names longer than the 15-character comm work), read straight
 * from /proc so that this tool's own command line never matches.
 */
import { readProcessTable, selfAndAncestors, type ProcessEntry } from './process-table';
import type { HostCheck } from './types';

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: 'A-Za-z0-9_',
};

/** Compiles a pgrep (POSIX ERE) pattern into a JavaScript RegExp; throws for patterns pgrep would reject. */
export function compilePattern(pattern: string): RegExp {
  const translated = pattern.replace(/\[:([a-z]+):\]/g, (m, name: string) => POSIX_CLASSES[name] ?? m);
  return new RegExp(translated);
}

export function createBlockingProcessesCheck(
  patterns: string[],
  deps: { processes?: () => Promise<ProcessEntry[]> } = {},
): HostCheck {
  const compiled: { pattern: string; regex: RegExp }[] = [];
  const invalid: string[] = [];
  for (const p of patterns) {
    try {
      compiled.push({ pattern: p, regex: compilePattern(p) });
    } catch {
      invalid.push(p);
    }
  }
  const processes = deps.processes ?? (() => readProcessTable());
  return {
    name: 'blocking processes',
    reason: 'blocking_process',
    async run() {
      if (patterns.length === 0) return { state: 'idle', detail: 'none configured' };
      const table = await processes();
      const own = selfAndAncestors(table);
      const hits: string[] = [];
      for (const { pattern, regex } of compiled) {
        const match = table.find((p) => !own.has(p.pid) && regex.test(p.commandLine));
        if (match) hits.push(`${pattern} (pid ${match.pid})`);
      }
      if (hits.length) return { state: 'active', detail: `running: ${hits.join(', ')}` };
      // pgrep rejects an invalid pattern; the previous release then saw no match. Say so instead.
      if (invalid.length)
        return {
          state: 'unknown',
          detail: `invalid pattern${invalid.length > 1 ? 's' : ''}: ${invalid.join(', ')}`,
        };
      return { state: 'idle', detail: `none of ${patterns.join(', ')} running` };
    },
  };
}
