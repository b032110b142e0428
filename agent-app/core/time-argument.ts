/**
 * A point in time as a user types it on a command line, pure: `23:00` (the next such local time, today or
 * tomorrow), `2026-11-27 08:00` or `2026-11-27T08:00[:SS]` (local time) or an ISO time with an offset.
 * `block --until` and `wake-at` share it; both want a time in the future and at most a year ahead.
 */

export class TimeArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TimeArgumentError';
  }
}

/** The furthest a time argument may lie ahead: a year. */
export const MAX_AHEAD_MS = 366 * 24 * 3600 * 1000;

function nextTimeOfDay(text: string, hours: number, minutes: number, now: number): number {
  if (hours > 23 || minutes > 59) throw new TimeArgumentError(`"${text}" is not a time of day (00:00–23:59)`);
  const at = new Date(now);
  at.setHours(hours, minutes, 0, 0);
  if (at.getTime() <= now) {
    at.setDate(at.getDate() + 1);
    at.setHours(hours, minutes, 0, 0);
  }
  return at.getTime();
}

function localDateTime(text: string, fields: number[]): number {
  const [y, mo, d, h, mi, s] = fields;
  const date = new Date(y, mo - 1, d, h, mi, Number.isNaN(s) ? 0 : s, 0);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d || h > 23 || mi > 59)
    throw new TimeArgumentError(`"${text}" is not a valid date and time`);
  return date.getTime();
}

function parseTime(text: string, now: number): number {
  const input = text.trim();
  const clock = /^(\d{1,2}):(\d{2})$/.exec(input);
  if (clock) return nextTimeOfDay(text, Number(clock[1]), Number(clock[2]), now);
  const local = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(input);
  if (local) return localDateTime(text, local.slice(1).map(Number));
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(input))
    return Date.parse(input);
  throw new TimeArgumentError(`"${text}" is not a time; use HH:MM, "YYYY-MM-DD HH:MM" or an ISO time`);
}

/** Milliseconds since the epoch, in the future and at most a year ahead (`farHint` ends that message). */
export function parseFutureTime(text: string, now: number, farHint = ''): number {
  const at = parseTime(text, now);
  if (!Number.isFinite(at)) throw new TimeArgumentError(`"${text}" is not a valid time`);
  if (at <= now) throw new TimeArgumentError(`"${text}" is in the past`);
  if (at - now > MAX_AHEAD_MS) throw new TimeArgumentError(`"${text}" is more than a year away${farHint}`);
  return at;
}
