import {
  formatClock,
  formatDuration,
  formatKbps,
  formatRemaining,
  plural,
} from '../../../../agent-app/electron/shared/format';

const at = (d: number, h: number, m: number, s = 0) => new Date(2026, 10, d, h, m, s).getTime();

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [59.9, '59 s'],
    [60, '1 min'],
    [759, '12 min'],
    [3600, '1 h'],
    [3660, '1 h 1 min'],
    [86399, '23 h 59 min'],
    [86400, '1 d'],
    [2 * 86400 + 4 * 3600 + 59, '2 d 4 h'],
    [-5, '0 s'],
  ])('%p s → %p', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('formatRemaining (rounded up, so the last minute reads "1 min")', () => {
  const end = at(26, 15, 30);
  it.each([
    [end - 83 * 60_000, '1 h 23 min left'],
    [end - 60 * 60_000 - 1, '1 h 1 min left'],
    [end - 60 * 60_000, '1 h left'],
    [end - 61_000, '2 min left'],
    [end - 60_000, '1 min left'],
    [end - 1, '1 min left'],
    [end, 'ending now'],
    [end + 5000, 'ending now'],
  ])('at %p → %p', (now, text) => expect(formatRemaining(end, now)).toBe(text));
});

describe('formatClock (local time)', () => {
  const now = at(26, 14, 7, 30);
  it('today: the time only', () => expect(formatClock(at(26, 15, 30), now)).toBe('15:30'));
  it('tomorrow', () => expect(formatClock(at(27, 8, 0), now)).toBe('tomorrow 08:00'));
  it('within a week: the weekday', () => expect(formatClock(at(28, 9, 5), now)).toBe('Sat 09:05'));
  it('later: day and month', () =>
    expect(formatClock(at(5, 7, 0) + 30 * 86_400_000, now)).toMatch(/^\d{1,2} (Dec|Jan) \d\d:\d\d$/));
  it('midnight crossing counts as tomorrow', () =>
    expect(formatClock(at(27, 0, 10), at(26, 23, 50))).toBe('tomorrow 00:10'));
});

it('formatKbps', () => {
  expect(formatKbps(800.4)).toBe('800 kbit/s');
  expect(formatKbps(12_500)).toBe('12.5 Mbit/s');
  expect(formatKbps(250_000)).toBe('250 Mbit/s');
});

it('plural', () => {
  expect(plural(1, 'login session')).toBe('1 login session');
  expect(plural(2, 'login session')).toBe('2 login sessions');
});
