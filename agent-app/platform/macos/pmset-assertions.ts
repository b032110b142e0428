/**
 * `pmset -g assertions` (macOS): a timestamp, "Assertion status system-wide:" with `Name 0|1` lines, then
 * "Listed by owning process:" with lines such as
 *   pid 425(applet): [0x000000010000016c] 56:10:03 PreventUserIdleSystemSleep named: "executing event"
 * (older releases omit the process name and age). Owners of PreventUserIdleSystemSleep, PreventSystemSleep
 * or the old NoIdleSleepAssertion keep the Mac awake. The system-wide count is not used: powerd holds
 * PreventUserIdleSystemSleep "Powerd - Prevent sleep while display is on" whenever the display is on,
 * which is noise (input is measured separately).
 */
import type { Runner } from '../../../common/shell';
import type { PowerRequest, PowerRequestProbe } from '../../core/checks/power-requests';
import type { PathLookup } from '../shared/commands';
import { runTool } from '../shared/run-tool';

export interface PmsetAssertion {
  pid: number;
  process: string;
  type: string;
  name: string;
}

export interface PmsetAssertions {
  systemWide: Record<string, number>;
  owned: PmsetAssertion[];
}

export const SLEEP_PREVENTING = [
  'PreventUserIdleSystemSleep',
  'PreventSystemSleep',
  'NoIdleSleepAssertion',
] as const;
export const PMSET_NOISE: readonly { process: string; name: string }[] = [
  { process: 'powerd', name: 'Powerd - Prevent sleep while display is on' },
];

const OWNED =
  /^\s*pid (\d+)(?:\((.*?)\))?: \[0x[0-9a-fA-F]+\](?: +\d+:\d{2}:\d{2})? +(\S+) +named: "(.*)"\s*$/;

export function parsePmsetAssertions(text: string): PmsetAssertions {
  const systemWide: Record<string, number> = {};
  const owned: PmsetAssertion[] = [];
  let part: 'none' | 'system' | 'owned' = 'none';
  for (const line of text.split(/\r?\n/)) {
    if (/^Assertion status system-wide:/.test(line.trim())) part = 'system';
    else if (/^Listed by owning process:/.test(line.trim())) part = 'owned';
    else if (/^(Kernel Assertions|No kernel assertions|Idle sleep preventers)/.test(line.trim()))
      part = 'none';
    else if (part === 'system') {
      const m = /^\s*(\w+)\s+(\d+)\s*$/.exec(line);
      if (m) systemWide[m[1]] = Number(m[2]);
    } else if (part === 'owned') {
      const m = OWNED.exec(line);
      if (m) owned.push({ pid: Number(m[1]), process: m[2] ?? '', type: m[3], name: m[4] });
    }
  }
  return { systemWide, owned };
}

export function pmsetBlockers(parsed: PmsetAssertions): PowerRequest[] {
  return parsed.owned
    .filter((a) => (SLEEP_PREVENTING as readonly string[]).includes(a.type))
    .filter((a) => !PMSET_NOISE.some((n) => n.process === a.process && n.name === a.name))
    .map((a) => ({ who: a.process || `pid ${a.pid}`, why: a.name, kind: a.type }));
}

const ASSERTIONS = { tool: 'pmset', args: ['-g', 'assertions'], maxOutputBytes: 512 * 1024 };

export function createPmsetProbe(deps: { run: Runner; findOnPath: PathLookup }): PowerRequestProbe {
  return {
    async read(signal) {
      const stdout = await runTool(deps, ASSERTIONS, signal);
      return { requests: pmsetBlockers(parsePmsetAssertions(stdout)), source: 'pmset' };
    },
  };
}
