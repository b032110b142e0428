import {
  createPowercfgWakeSource,
  parsePowercfgWakeTimers,
  wakeTimerRequests,
} from '../../../../agent-app/platform/windows/powercfg-waketimers';
import {
  findClockTime,
  findDates,
  localDateTimes,
} from '../../../../agent-app/platform/windows/localized-date-time';
import { UnavailableError } from '../../../../common/errors';
import { agentFixture, crlf } from '../../../helpers/agent-fixtures';
import { runResult } from '../../../helpers/run-result';

const both = (name: string) => [
  agentFixture('powercfg-waketimers', name),
  crlf(agentFixture('powercfg-waketimers', name)),
];
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  new Date(y, mo - 1, d, h, mi, s).getTime();

describe('powercfg /waketimers (captured outputs)', () => {
  it.each(both('powertoys-legacy-kernel-caller-cs-dates.txt'))(
    'reads day.month.year dates and drops "Legacy Kernel Caller" timers',
    (text) => {
      const entries = parsePowercfgWakeTimers(text);
      expect(entries.map((e) => e.type)).toEqual(['DRIVER', 'DRIVER', 'DRIVER', 'DRIVER']);
      expect(localDateTimes(entries[0].header)).toEqual([local(2026, 8, 3, 0, 52, 46)]);
      expect(localDateTimes(entries[3].header)).toEqual([local(2026, 8, 3, 1, 32, 47)]);
      expect(wakeTimerRequests(entries, local(2026, 8, 2, 12))).toEqual([]);
    },
  );

  it.each(both('nscp-german.txt'))('reads German records by their structure', (text) => {
    const entries = parsePowercfgWakeTimers(text);
    expect(entries).toHaveLength(3);
    expect(wakeTimerRequests(entries, local(2018, 4, 12, 20))).toEqual([
      {
        at: local(2018, 4, 13, 20, 36, 30),
        source:
          'Windows wake timer [SERVICE] svchost.exe (SystemEventsBroker): Die geplante Aufgabe "NT TASK\\Microsoft\\Windows\\UpdateOrchestrator\\Reboot" wird ausgeführt. Hierzu muss der Computer reaktiviert werden.',
      },
      {
        at: local(2018, 4, 12, 20, 50, 26),
        source: 'Windows wake timer [SERVICE] nscp.exe (NSClient++): generic',
      },
      { at: local(2018, 4, 12, 20, 50, 7), source: 'Windows wake timer [PROCESS] nscp.exe: generic' },
    ]);
  });

  it('leaves out timers that have expired', () => {
    const entries = parsePowercfgWakeTimers(agentFixture('powercfg-waketimers', 'nscp-german.txt'));
    expect(wakeTimerRequests(entries, local(2018, 4, 12, 21)).map((r) => r.at)).toEqual([
      local(2018, 4, 13, 20, 36, 30),
    ]);
  });

  it.each(both('nscp-german-console-wrapped.txt'))(
    'joins a header and a reason wrapped by the console',
    (text) => {
      const [entry] = parsePowercfgWakeTimers(text);
      const unwrapped = parsePowercfgWakeTimers(agentFixture('powercfg-waketimers', 'nscp-german.txt'))[0];
      expect(entry).toEqual(unwrapped);
    },
  );

  it.each(both('reconstructed-en-us.txt'))('reads month/day/year with AM and PM (reconstructed)', (text) => {
    const requests = wakeTimerRequests(parsePowercfgWakeTimers(text), local(2026, 8, 3, 12));
    expect(requests.map((r) => r.at)).toEqual([local(2026, 8, 5, 19, 38, 9), local(2026, 8, 4, 0, 15)]);
    expect(requests[1].source).toBe('Windows wake timer [PROCESS] backup.exe: generic');
  });

  it('takes the earliest reading still ahead when a date reads both ways', () => {
    const entries = parsePowercfgWakeTimers(agentFixture('powercfg-waketimers', 'reconstructed-en-us.txt'));
    // In April both 8 May and 5 August are ahead: the earlier wins (waking early is the safe mistake).
    expect(wakeTimerRequests(entries, local(2026, 4, 1)).map((r) => r.at)).toEqual([
      local(2026, 5, 8, 19, 38, 9),
      local(2026, 4, 8, 0, 15),
    ]);
  });

  it.each(both('reconstructed-none-en.txt'))('has no timers when there are none', (text) => {
    expect(parsePowercfgWakeTimers(text)).toEqual([]);
  });
});

describe('localised dates and times, by shape', () => {
  it.each([
    ['expires at 7:38:09 PM on 8/25/2017.', { hours: 19, minutes: 38, seconds: 9 }],
    ['expires at 12:15:00 AM on 8/4/2026.', { hours: 0, minutes: 15, seconds: 0 }],
    ['expires at 12:30:00 PM on 8/4/2026.', { hours: 12, minutes: 30, seconds: 0 }],
    ['caduca a las 7:05:00 p. m. el 05/08/2026.', { hours: 19, minutes: 5, seconds: 0 }],
    ['läuft um 20:36:30 am 13.04.2018 ab.', { hours: 20, minutes: 36, seconds: 30 }],
    ['läuft um 8:05:00 am 13.04.2018 ab.', { hours: 8, minutes: 5, seconds: 0 }],
    ['expires at 21:05 on 2026-08-05.', { hours: 21, minutes: 5, seconds: 0 }],
  ])('%s', (line, time) => expect(findClockTime(line)).toEqual(time));

  it.each([
    ['on 2026/08/05 (year first)', [{ year: 2026, month: 8, day: 5 }]],
    ['on 2026. 8. 5. (Korean spacing)', [{ year: 2026, month: 8, day: 5 }]],
    ['am 05.08.2026 (day.month.year)', [{ year: 2026, month: 8, day: 5 }]],
    ['on 25/08/2026 (only one reading)', [{ year: 2026, month: 8, day: 25 }]],
    [
      'on 5/8/26 (two readings, two-digit year)',
      [
        { year: 2026, month: 5, day: 8 },
        { year: 2026, month: 8, day: 5 },
      ],
    ],
    ['on 31/31/2026 (no reading)', []],
    ['Framework v4.0.30319 (a version, not a date)', []],
  ])('%s', (line, dates) => expect(findDates(line)).toEqual(dates));

  it('finds nothing without a time', () => {
    expect(localDateTimes('Timer set by [DRIVER] x on 05.08.2026.')).toEqual([]);
  });
});

describe('the powercfg wake source', () => {
  const result = (stdout: string, exitCode = 0) => runResult({ stdout, exitCode });
  const signal = new AbortController().signal;

  it('runs powercfg /waketimers and reports its timers', async () => {
    const calls: string[][] = [];
    const source = createPowercfgWakeSource({
      findOnPath: async (name) => (name === 'powercfg.exe' ? 'C:\\Windows\\System32\\powercfg.exe' : null),
      run: async (command, args) => {
        calls.push([command, ...args]);
        return result(agentFixture('powercfg-waketimers', 'nscp-german.txt'));
      },
    });
    expect(await source.read(signal, local(2018, 4, 12, 21))).toHaveLength(1);
    expect(calls).toEqual([['C:\\Windows\\System32\\powercfg.exe', '/waketimers']]);
  });

  it('is unavailable without powercfg and fails on a non-zero exit', async () => {
    const missing = createPowercfgWakeSource({ findOnPath: async () => null, run: async () => result('') });
    await expect(missing.read(signal, 0)).rejects.toBeInstanceOf(UnavailableError);
    const refused = createPowercfgWakeSource({
      findOnPath: async () => 'powercfg.exe',
      run: async () => result('This command requires administrator privileges.', 1),
    });
    await expect(refused.read(signal, 0)).rejects.toThrow(/exited 1: This command requires administrator/);
  });
});
