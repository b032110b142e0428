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
import { UnavailableError } from '../../../common/errors';
import type { Runner } from '../../../common/shell';
import type { WakeRequest, WakeSource } from '../../core/wake/wake-request';
import type { PathLookup } from '../shared/commands';
import { localDateTimes } from './localized-date-time';
import { POWERCFG_NOISE } from './powercfg-requests';

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

export function createPowercfgWakeSource(deps: { run: Runner; findOnPath: PathLookup }): WakeSource {
  return {
    name: 'powercfg-waketimers',
    async read(signal, now) {
      const tool = (await deps.findOnPath('powercfg.exe')) ?? (await deps.findOnPath('powercfg'));
      if (!tool) throw new UnavailableError('powercfg is not available', 'powercfg');
      const result = await deps.run(tool, ['/waketimers'], {
        signal,
        timeoutMs: 5000,
        maxOutputBytes: 256 * 1024,
      });
      if (result.exitCode !== 0)
        throw new Error(
          `powercfg /waketimers exited ${result.exitCode}: ${result.stdout.trim().slice(0, 160)}`,
        );
      return wakeTimerRequests(parsePowercfgWakeTimers(result.stdout), now);
    },
  };
}
