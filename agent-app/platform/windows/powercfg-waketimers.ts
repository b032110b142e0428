/**
 * `powercfg /waketimers` (Windows, run as SYSTEM or an administrator): one record per timer, a header line
 * naming who set it (`[SERVICE]`, `[PROCESS]` or `[DRIVER]` and the image or driver) and when it expires,
 * then an indented reason line; "no active wake timers" otherwise. Every word around them is localised
 * ("Timer set by … expires at 7:38:09 AM on 8/25/2017." / "Der von … gesetzte Zeitgeber läuft um 20:36:30
 * am 13.04.2018 ab."), so records are found by their bracketed type and the expiry by its shape (see
 * localized-date-time.ts). A console copy wraps lines at its width: an unindented line continues the
 * line before it.
 *
 * When a date can be read two ways, the earliest reading still ahead counts: waking the host early costs
 * a short wake, waking it late misses the guest's job. "Legacy Kernel Caller" timers are left out, as in
 * the power-request check: drivers re-arm them every few minutes.
 */
import type { Runner } from '../../../common/shell';
import type { WakeRequest, WakeSource } from '../../core/wake/wake-request';
import type { PathLookup } from '../shared/commands';
import { runTool } from '../shared/run-tool';
import { localDateTimes } from './localized-date-time';
import { POWERCFG_NAMES, POWERCFG_NOISE } from './powercfg-requests';

export interface WakeTimerEntry {
  type: string;
  header: string;
  reason: string;
}

const TYPE = /\[([A-Z]+)\]/;

/** The records of the output. A header is complete once it holds its expiry; until then every line continues it. */
export function parsePowercfgWakeTimers(text: string): WakeTimerEntry[] {
  const entries: WakeTimerEntry[] = [];
  let current: WakeTimerEntry | null = null;
  let inReason = false;
  for (const line of text.split(/\r?\n/)) {
    const type = TYPE.exec(line);
    const indented = /^\s/.test(line);
    if (line.trim() === '') {
      current = null;
    } else if (type && !indented) {
      current = { type: type[1], header: line.trimStart(), reason: '' };
      inReason = false;
      entries.push(current);
    } else if (current && !inReason && indented && localDateTimes(current.header).length > 0) {
      const reason = line.trim();
      const label = reason.indexOf(': ');
      current.reason = label < 0 ? reason : reason.slice(label + 2);
      inReason = true;
    } else if (current && inReason) {
      current.reason += line;
    } else if (current) {
      current.header += line;
    }
  }
  for (const entry of entries) {
    entry.header = entry.header.trim();
    entry.reason = entry.reason.trim();
  }
  return entries;
}

/** The image file and service (`svchost.exe (SystemEventsBroker)`) or, for a driver, its header text. */
function setBy(entry: WakeTimerEntry): string {
  const after = entry.header.slice(entry.header.indexOf(']') + 1);
  const image = /^\s*(.*?\.(?:exe|dll|sys))(\s*\([^)]*\))?/i.exec(after);
  if (image) return `${image[1].split('\\').pop()}${image[2] ?? ''}`;
  return after.trim().slice(0, 120);
}

export function wakeTimerRequests(entries: readonly WakeTimerEntry[], now: number): WakeRequest[] {
  const requests: WakeRequest[] = [];
  for (const entry of entries) {
    if (POWERCFG_NOISE.some((noise) => entry.header.includes(noise))) continue;
    const at = localDateTimes(entry.header).find((t) => t > now);
    if (at === undefined) continue;
    const why = entry.reason ? `: ${entry.reason}` : '';
    requests.push({ at, source: `Windows wake timer [${entry.type}] ${setBy(entry)}${why}` });
  }
  return requests;
}

const WAKETIMERS = {
  tool: 'powercfg',
  names: POWERCFG_NAMES,
  args: ['/waketimers'],
  maxOutputBytes: 256 * 1024,
};

export function createPowercfgWakeSource(deps: { run: Runner; findOnPath: PathLookup }): WakeSource {
  return {
    name: 'powercfg-waketimers',
    async read(signal, now) {
      return wakeTimerRequests(parsePowercfgWakeTimers(await runTool(deps, WAKETIMERS, signal)), now);
    },
  };
}
