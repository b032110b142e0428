/**
 * `powercfg /requests` (Windows, needs admin; fine as SYSTEM). Sections `DISPLAY:`, `SYSTEM:`,
 * `AWAYMODE:`, `EXECUTION:`, `PERFBOOST:`, `ACTIVELOCKSCREEN:` list entries `[PROCESS]`, `[DRIVER]` or
 * `[SERVICE]` followed by an optional reason line, or `None.` (localised). Console copies may wrap a long
 * driver name; a line continues the name while its parenthesis is open.
 *
 * DISPLAY, SYSTEM and AWAYMODE requests keep the machine awake; EXECUTION / PERFBOOST / ACTIVELOCKSCREEN
 * do not. "Legacy Kernel Caller" and "Sleep Idle State Disabled" are known noise (filtered in 1.x too).
 */
import type { Runner } from '../../../common/shell';
import type { PowerRequest, PowerRequestProbe } from '../../core/checks/power-requests';
import type { PathLookup } from '../shared/commands';
import { runTool } from '../shared/run-tool';

export interface PowercfgEntry {
  section: string;
  type: string;
  name: string;
  reason: string;
}

/** powercfg.exe on Windows; `powercfg` where a test puts one on PATH. */
export const POWERCFG_NAMES = ['powercfg.exe', 'powercfg'] as const;
const POWERCFG_REQUESTS = {
  tool: 'powercfg',
  names: POWERCFG_NAMES,
  args: ['/requests'],
  maxOutputBytes: 256 * 1024,
};

export const COUNTED_SECTIONS = ['DISPLAY', 'SYSTEM', 'AWAYMODE'] as const;
export const POWERCFG_NOISE = ['Legacy Kernel Caller', 'Sleep Idle State Disabled'] as const;

const depth = (s: string) => (s.match(/\(/g)?.length ?? 0) - (s.match(/\)/g)?.length ?? 0);

export function parsePowercfgRequests(text: string): PowercfgEntry[] {
  const entries: PowercfgEntry[] = [];
  let section: string | null = null;
  let current: PowercfgEntry | null = null;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') continue;
    const header = /^([A-Z]+):$/.exec(line);
    if (header) {
      section = header[1];
      current = null;
      continue;
    }
    if (section === null) continue;
    const entry = /^\[([A-Z]+)\]\s*(.*)$/.exec(line);
    if (entry) {
      current = { section, type: entry[1], name: entry[2], reason: '' };
      entries.push(current);
    } else if (current && current.reason === '' && depth(current.name) > 0) {
      current.name += line;
    } else if (current) {
      current.reason = current.reason ? `${current.reason} ${line}` : line;
    }
  }
  return entries;
}

const shortName = (e: PowercfgEntry) => (e.type === 'PROCESS' ? e.name.split('\\').pop() || e.name : e.name);

/** The entries that keep Windows awake, noise removed. */
export function powercfgBlockers(entries: readonly PowercfgEntry[]): PowerRequest[] {
  return entries
    .filter((e) => (COUNTED_SECTIONS as readonly string[]).includes(e.section))
    .filter((e) => !POWERCFG_NOISE.some((noise) => e.name.includes(noise) || e.reason.includes(noise)))
    .map((e) => ({ who: shortName(e), why: e.reason, kind: e.section }));
}

export function createPowercfgProbe(deps: { run: Runner; findOnPath: PathLookup }): PowerRequestProbe {
  return {
    async read(signal) {
      const stdout = await runTool(deps, POWERCFG_REQUESTS, signal);
      return { requests: powercfgBlockers(parsePowercfgRequests(stdout)), source: 'powercfg' };
    },
  };
}
