/**
 * `pmset -g sched` (macOS, no root needed): "Repeating power events:" with lines `  <type> at 8:25AM
 * weekdays only`, then "Scheduled power events:" with lines ` [0]  <type> at 12/24/2026 06:30:00 by
 * '<owner>'` (month/day/year in local time, fixed format, 2- or 4-digit year by macOS release), or "No
 * scheduled events.". The wake types are wake, poweron and wakepoweron / wakeorpoweron; sleep, shutdown
 * and restart are not requests to be awake. "Some days" (a weekday set pmset has no name for) counts as
 * every day: waking the host early is the safe mistake.
 *
 * Events owned by macOS's own alarms (`com.apple.alarm.*`: Do Not Disturb schedules, calendar refreshes,
 * analytics) are left out, like powerd's noise in the power-request check: none of them needs the
 * Proxmox host up.
 */
import type { Runner } from '../../../common/shell';
import type { WakeRequest, WakeSource } from '../../core/wake/wake-request';
import type { PathLookup } from '../shared/commands';
import { runTool } from '../shared/run-tool';

const WAKE_TYPES = new Set(['wake', 'poweron', 'wakepoweron', 'wakeorpoweron']);
const APPLE_ALARM = /^'?com\.apple\.alarm\./;

/** JavaScript weekday numbers (0 = Sunday) for pmset's day texts. */
const DAYS: Record<string, number[]> = {
  'every day': [0, 1, 2, 3, 4, 5, 6],
  'weekdays only': [1, 2, 3, 4, 5],
  'weekends only': [0, 6],
  Sunday: [0],
  Monday: [1],
  Tuesday: [2],
  Wednesday: [3],
  Thursday: [4],
  Friday: [5],
  Saturday: [6],
};

const REPEATING = /^\s+(\w+) at (\d{1,2}):(\d{2})(?::\d{2})?\s*([AP]M)?\s+(.+?)\s*$/;
const SCHEDULED =
  /^\s*\[\d+\]\s+(\w+) at (\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: by (.*?))?(?:\s+User visible: \w+)?\s*$/;

/** The next local time at hours:minutes on one of `weekdays`, after `now`. */
export function nextRepeat(hours: number, minutes: number, weekdays: readonly number[], now: number): number {
  for (let offset = 0; offset <= 7; offset++) {
    const day = new Date(now);
    day.setDate(day.getDate() + offset);
    day.setHours(hours, minutes, 0, 0);
    if (day.getTime() > now && weekdays.includes(day.getDay())) return day.getTime();
  }
  return NaN;
}

function repeatingRequest(m: RegExpExecArray, now: number): WakeRequest | null {
  const [, type, h, mi, half, days] = m;
  if (!WAKE_TYPES.has(type)) return null;
  let hours = Number(h);
  if (half === 'PM' && hours < 12) hours += 12;
  if (half === 'AM' && hours === 12) hours = 0;
  if (hours > 23 || Number(mi) > 59) return null;
  const at = nextRepeat(hours, Number(mi), DAYS[days] ?? DAYS['every day'], now);
  return { at, source: `pmset repeat ${type} ${days}` };
}

function scheduledRequest(m: RegExpExecArray): WakeRequest | null {
  const [, type, mo, d, y, h, mi, s, owner] = m;
  if (!WAKE_TYPES.has(type) || (owner !== undefined && APPLE_ALARM.test(owner))) return null;
  const year = y.length === 2 ? 2000 + Number(y) : Number(y);
  const at = new Date(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)).getTime();
  return { at, source: `pmset schedule ${type}${owner ? ` by ${owner}` : ''}` };
}

/** Every wake request in the output still ahead of `now`. */
export function parsePmsetSched(text: string, now: number): WakeRequest[] {
  const requests: WakeRequest[] = [];
  let section: 'repeating' | 'scheduled' | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (/^Repeating power events:/.test(line.trim())) section = 'repeating';
    else if (/^Scheduled power events:/.test(line.trim())) section = 'scheduled';
    const scheduled = SCHEDULED.exec(line);
    const repeating = section === 'repeating' ? REPEATING.exec(line) : null;
    const request = scheduled
      ? scheduledRequest(scheduled)
      : repeating
        ? repeatingRequest(repeating, now)
        : null;
    if (request && Number.isFinite(request.at) && request.at > now) requests.push(request);
  }
  return requests;
}

const SCHED = { tool: 'pmset', args: ['-g', 'sched'], maxOutputBytes: 256 * 1024 };

export function createPmsetSchedSource(deps: { run: Runner; findOnPath: PathLookup }): WakeSource {
  return {
    name: 'pmset-sched',
    async read(signal, now) {
      return parsePmsetSched(await runTool(deps, SCHED, signal), now);
    },
  };
}
