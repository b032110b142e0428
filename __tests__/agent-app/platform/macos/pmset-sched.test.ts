import {
  createPmsetSchedSource,
  nextRepeat,
  parsePmsetSched,
} from '../../../../agent-app/platform/macos/pmset-sched';
import { UnavailableError } from '../../../../common/errors';
import { agentFixture } from '../../../helpers/agent-fixtures';
import { runResult } from '../../../helpers/run-result';

const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) =>
  new Date(y, mo - 1, d, h, mi, s).getTime();
const fixture = (name: string) => agentFixture('pmset-sched', name);

describe('pmset -g sched', () => {
  it("reads four-digit years and the user-visible tail, and leaves out macOS's own alarms (captured)", () => {
    const text = fixture('nucintosh-ventura-apple-alarms.txt');
    const noon = local(2022, 12, 5, 12);
    expect(parsePmsetSched(text, noon)).toEqual([]);
    const asIfOwnedByAnApp = parsePmsetSched(text.replace(/com\.apple\.alarm\./g, 'org.example.'), noon);
    expect(asIfOwnedByAnApp.map((r) => r.at)).toEqual([
      local(2022, 12, 5, 17),
      local(2022, 12, 5, 19),
      local(2022, 12, 5, 19),
      local(2022, 12, 5, 19),
    ]);
  });

  it('reads a one-shot wake and the next repeating wake; not sleep, shutdown or the past (reconstructed)', () => {
    // Wednesday 23 December 2026, 20:00
    const requests = parsePmsetSched(
      fixture('reconstructed-repeat-and-schedule.txt'),
      local(2026, 12, 23, 20),
    );
    expect(requests).toEqual([
      { at: local(2026, 12, 24, 8, 25), source: 'pmset repeat wakepoweron weekdays only' },
      { at: local(2026, 12, 24, 6, 30), source: "pmset schedule wakeorpoweron by 'pmset'" },
    ]);
  });

  it('skips the weekend for a weekday repeat', () => {
    // Friday 25 December 2026, 09:00: the next weekday 08:25 is Monday 28 December
    const [repeat] = parsePmsetSched(
      fixture('reconstructed-repeat-and-schedule.txt'),
      local(2026, 12, 25, 9),
    );
    expect(repeat.at).toBe(local(2026, 12, 28, 8, 25));
  });

  it('has no requests without events', () => {
    expect(parsePmsetSched(fixture('reconstructed-none.txt'), 0)).toEqual([]);
  });

  it.each([
    ['  wake at 0:15AM Sunday', local(2026, 12, 27, 0, 15)],
    ['  poweron at 12:00PM weekends only', local(2026, 12, 26, 12, 0)],
    ['  wake at 12:30AM every day', local(2026, 12, 24, 0, 30)],
    ['  wakepoweron at 7:00PM Some days', local(2026, 12, 23, 19, 0)],
    ['  wake at 22:00 every day', local(2026, 12, 23, 22, 0)],
  ])('repeating %j', (line, at) => {
    expect(
      parsePmsetSched(`Repeating power events:\n${line}\n`, local(2026, 12, 23, 18)).map((r) => r.at),
    ).toEqual([at]);
  });

  it('finds the next weekday time, today when it is still ahead', () => {
    const wednesday = local(2026, 12, 23, 6);
    expect(nextRepeat(7, 0, [3], wednesday)).toBe(local(2026, 12, 23, 7));
    expect(nextRepeat(5, 0, [3], wednesday)).toBe(local(2026, 12, 30, 5));
  });
});

describe('the pmset wake source', () => {
  const signal = new AbortController().signal;

  it('runs pmset -g sched', async () => {
    const calls: string[][] = [];
    const source = createPmsetSchedSource({
      findOnPath: async () => '/usr/bin/pmset',
      run: async (command, args) => {
        calls.push([command, ...args]);
        return runResult({ stdout: fixture('reconstructed-repeat-and-schedule.txt') });
      },
    });
    expect(await source.read(signal, local(2026, 12, 23, 20))).toHaveLength(2);
    expect(calls).toEqual([['/usr/bin/pmset', '-g', 'sched']]);
  });

  it('is unavailable without pmset and fails on a non-zero exit', async () => {
    const missing = createPmsetSchedSource({ findOnPath: async () => null, run: async () => runResult() });
    await expect(missing.read(signal, 0)).rejects.toBeInstanceOf(UnavailableError);
    const failing = createPmsetSchedSource({
      findOnPath: async () => '/usr/bin/pmset',
      run: async () => runResult({ exitCode: 1 }),
    });
    await expect(failing.read(signal, 0)).rejects.toThrow(/exited 1/);
  });
});
