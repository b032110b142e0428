/**
 * Words for durations and times, pure and locale-free (the tray, the notification and the status window
 * say the same thing the same way; tests do not depend on the machine's locale). Times are local.
 */

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** `45 s`, `12 min`, `1 h 5 min`, `3 h`, `2 d 4 h`: rounded down to the unit that matters. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < MINUTE) return `${s} s`;
  if (s < HOUR) return `${Math.floor(s / MINUTE)} min`;
  if (s < DAY) {
    const h = Math.floor(s / HOUR);
    const m = Math.floor((s % HOUR) / MINUTE);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const d = Math.floor(s / DAY);
  const h = Math.floor((s % DAY) / HOUR);
  return h === 0 ? `${d} d` : `${d} d ${h} h`;
}

/**
 * What is left of a block: rounded UP to the minute, so "1 min left" lasts until the block really ends
 * and the countdown never shows "0 min" while the block still holds.
 */
export function formatRemaining(untilMs: number, nowMs: number): string {
  const left = untilMs - nowMs;
  if (left <= 0) return 'ending now';
  return `${formatDuration(Math.ceil(left / 60_000) * 60)} left`;
}

const pad = (n: number) => String(n).padStart(2, '0');
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dayNumber(ms: number): number {
  const d = new Date(ms);
  return Math.round(new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime() / 86_400_000);
}

/** `14:30` today, `tomorrow 08:00`, `Fri 08:00` within a week, else `27 Nov 08:00` (local time). */
export function formatClock(atMs: number, nowMs: number): string {
  const at = new Date(atMs);
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  const days = dayNumber(atMs) - dayNumber(nowMs);
  if (days === 0) return time;
  if (days === 1) return `tomorrow ${time}`;
  if (days > 1 && days < 7) return `${WEEKDAYS[at.getDay()]} ${time}`;
  return `${at.getDate()} ${MONTHS[at.getMonth()]} ${time}`;
}

/** Network throughput for people: `800 kbit/s`, `12.5 Mbit/s`. */
export function formatKbps(kbps: number): string {
  if (kbps < 1000) return `${Math.round(kbps)} kbit/s`;
  const mbps = kbps / 1000;
  return `${mbps < 100 ? mbps.toFixed(1) : Math.round(mbps)} Mbit/s`;
}

/** `1 item`, `2 items`. */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
