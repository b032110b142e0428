/**
 * A date and a time as Windows prints them in the user's locale (powercfg uses the short date and the long
 * time format), read by shape rather than by language: the last `H:MM[:SS]` on the line, with an AM/PM
 * marker after it when there is one, and the last `a<sep>b<sep>c` date. Which field of the date is the
 * day is not always visible: a 4-digit first field is a year (2026/08/03, 2026.08.03), "." separates
 * day.month.year in every locale that uses it, a field above 12 cannot be a month; what is still ambiguous
 * (3/8/2026 is March or August) gives every reading, and the caller picks. Pure; times are local.
 */

export interface ClockTime {
  hours: number;
  minutes: number;
  seconds: number;
}

/**
 * Only ASCII markers, and case-sensitive: German prints "um 20:36:30 am 13.04.2018" ("am" = "on"), and
 * powercfg writes to a pipe in the console's OEM code page, so a Chinese, Japanese or Korean marker
 * arrives garbled anyway. A time whose marker is not recognised reads as 24-hour time, which makes an
 * afternoon time 12 hours early (the host wakes early, the safe side); only 12:xx AM would read late.
 */
const PM = /^\s?(?:PM|P\.M\.|p\. ?m\.)(?![A-Za-z])/;
const AM = /^\s?(?:AM|A\.M\.|a\. ?m\.)(?![A-Za-z])/;

function lastMatch(pattern: RegExp, text: string): RegExpExecArray | null {
  let last: RegExpExecArray | null = null;
  for (const m of text.matchAll(pattern)) last = m as RegExpExecArray;
  return last;
}

/** The last time of day on the line, or null. */
export function findClockTime(line: string): ClockTime | null {
  const m = lastMatch(/(?<![\d:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d:])/g, line);
  if (!m) return null;
  let hours = Number(m[1]);
  const minutes = Number(m[2]);
  const seconds = m[3] === undefined ? 0 : Number(m[3]);
  const after = line.slice(m.index + m[0].length);
  if (hours >= 1 && hours <= 11 && PM.test(after)) hours += 12;
  if (hours === 12 && AM.test(after)) hours = 0;
  if (hours > 23 || minutes > 59 || seconds > 59) return null;
  return { hours, minutes, seconds };
}

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const validDate = ({ year, month, day }: CalendarDate) =>
  month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();

const fullYear = (text: string) => (text.length <= 2 ? 2000 + Number(text) : Number(text));

/** Every valid reading of the last date on the line (none when there is no date). */
export function findDates(line: string): CalendarDate[] {
  const m = lastMatch(/(?<!\d)(\d{1,4})([./-]) ?(\d{1,2})\2 ?(\d{1,4})(?!\d)/g, line);
  if (!m) return [];
  const [, a, separator, b, c] = m;
  let readings: CalendarDate[];
  if (a.length === 4) readings = [{ year: Number(a), month: Number(b), day: Number(c) }];
  else if (c.length !== 4 && c.length !== 2) readings = [];
  else if (separator === '.') readings = [{ year: fullYear(c), month: Number(b), day: Number(a) }];
  else
    readings = [
      { year: fullYear(c), month: Number(a), day: Number(b) },
      { year: fullYear(c), month: Number(b), day: Number(a) },
    ];
  const unique = readings.filter(
    (r, i) => readings.findIndex((o) => o.month === r.month && o.day === r.day) === i,
  );
  return unique.filter(validDate);
}

/** Every local instant the line's date and time can mean, earliest first. */
export function localDateTimes(line: string): number[] {
  const time = findClockTime(line);
  if (time === null) return [];
  return findDates(line)
    .map((d) => new Date(d.year, d.month - 1, d.day, time.hours, time.minutes, time.seconds).getTime())
    .sort((x, y) => x - y);
}
