import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { createAgent } from '../../../agent-app/core/agent';
import { parseAgentConfig } from '../../../agent-app/core/config';
import { buildStatus } from '../../../agent-app/core/status-builder';
import { cachedWakeSource, createWakePlanner } from '../../../agent-app/core/wake/planner';
import { describeWakeAt, pendingWakeAt, wakeAtFromRequest } from '../../../agent-app/core/wake/wake-at';
import {
  describeWake,
  earliestWake,
  type WakeRequest,
  type WakeSource,
} from '../../../agent-app/core/wake/wake-request';
import { createUserWakeSource, createWakeStore } from '../../../agent-app/core/wake/wake-store';
import { composeWake } from '../../../agent-app/setup/compose-wake';
import { SimulatedClock } from '../../../common/clock';
import { UnavailableError } from '../../../common/errors';
import { createLogger, memorySink, type LogRecord } from '../../../common/log';
import { parseStatus } from '../../../protocol';
import { agentFixture } from '../../helpers/agent-fixtures';
import { runResult } from '../../helpers/run-result';

const NOW = new Date(2026, 11, 23, 20, 0, 0).getTime(); // Wednesday 23 December 2026, 20:00 local
const HOUR = 3_600_000;

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'agent-wake-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const texts = (records: LogRecord[]) =>
  records.map((r) => (r.event.kind === 'message' ? `${r.level} ${r.event.text}` : r.event.kind));

function source(name: string, read: WakeSource['read']): WakeSource {
  return { name, read };
}
const fixed = (name: string, requests: WakeRequest[]) => source(name, async () => requests);

function planner(sources: WakeSource[], ignore: string[] = [], clock = new SimulatedClock(NOW)) {
  const sink = memorySink();
  const logger = createLogger('test', { sink });
  return { planner: createWakePlanner({ sources, ignore, timeoutMs: 5000, clock, logger }), sink, clock };
}

describe('wake requests', () => {
  it('the earliest still ahead wins', () => {
    const requests = [
      { at: NOW - 1, source: 'past' },
      { at: NOW + 2 * HOUR, source: 'later' },
      { at: NaN, source: 'broken' },
      { at: NOW + HOUR, source: 'first' },
    ];
    expect(earliestWake(requests, NOW)).toEqual({ at: NOW + HOUR, source: 'first' });
    expect(earliestWake([{ at: NOW, source: 'now' }], NOW)).toBeNull();
  });

  it('are described for people', () => {
    expect(describeWake(null, NOW)).toBe('no wake timer');
    expect(describeWake({ at: NOW + 90 * 60_000, source: 'systemd timer backup.timer' }, NOW)).toBe(
      '2026-12-23 21:30:00 (in 1 h 30 min), systemd timer backup.timer',
    );
    expect(describeWake({ at: NOW + 50 * HOUR, source: 'x' }, NOW)).toMatch(/\(in 2 days 2 h\), x$/);
    expect(describeWake({ at: NOW + 5 * 60_000, source: 'x' }, NOW)).toMatch(/\(in 5 min\), x$/);
  });
});

describe('the wake planner', () => {
  it('asks every source and keeps the earliest request nobody ignored', async () => {
    const { planner: p } = planner(
      [
        fixed('a', [{ at: NOW + 3 * HOUR, source: 'systemd timer backup.timer' }]),
        fixed('b', [
          { at: NOW + HOUR, source: 'Windows wake timer [DRIVER] Noisy Driver' },
          { at: NOW + 2 * HOUR, source: 'wake-at (set by cli)' },
        ]),
      ],
      ['noisy driver'],
    );
    expect(await p.next(NOW)).toEqual({ at: NOW + 2 * HOUR, source: 'wake-at (set by cli)' });
  });

  it('leaves out a source missing on this guest, warning once, and says when it answers again', async () => {
    let missing = true;
    const flaky = source('pmset-sched', async () => {
      if (missing) throw new UnavailableError('pmset is not available', 'pmset');
      return [{ at: NOW + HOUR, source: 'pmset schedule wake' }];
    });
    const { planner: p, sink } = planner([
      flaky,
      fixed('wake-at', [{ at: NOW + 2 * HOUR, source: 'wake-at' }]),
    ]);
    expect(await p.next(NOW)).toEqual({ at: NOW + 2 * HOUR, source: 'wake-at' });
    expect(await p.next(NOW)).toEqual({ at: NOW + 2 * HOUR, source: 'wake-at' });
    missing = false;
    expect(await p.next(NOW)).toEqual({ at: NOW + HOUR, source: 'pmset schedule wake' });
    expect(texts(sink.records)).toEqual([
      'warn wake source pmset-sched is not available on this system and is left out: pmset is not available',
      'info wake source pmset-sched answers again',
    ]);
  });

  it('counts a failing source as no request, warning once per new message, and never throws', async () => {
    let message = 'exited 1';
    const failing = source('powercfg-waketimers', async () => {
      throw new Error(message);
    });
    const { planner: p, sink } = planner([failing]);
    expect(await p.next(NOW)).toBeNull();
    expect(await p.next(NOW)).toBeNull();
    message = 'exited 2';
    expect(await p.next(NOW)).toBeNull();
    expect(texts(sink.records)).toEqual([
      'warn wake source powercfg-waketimers failed: exited 1',
      'warn wake source powercfg-waketimers failed: exited 2',
    ]);
  });

  it('gives up on a source that does not answer within the timeout, aborting it', async () => {
    let aborted = false;
    const hanging = source(
      'systemd-timers',
      (signal) =>
        new Promise(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    );
    const {
      planner: p,
      sink,
      clock,
    } = planner([hanging, fixed('wake-at', [{ at: NOW + HOUR, source: 'x' }])]);
    const next = p.next(NOW);
    await clock.advance(5000);
    expect(await next).toEqual({ at: NOW + HOUR, source: 'x' });
    expect(aborted).toBe(true);
    expect(texts(sink.records)).toEqual(['warn wake source systemd-timers failed: timed out after 5s']);
  });

  it('closes its sources', async () => {
    let closed = 0;
    const { planner: p } = planner([{ ...fixed('a', []), close: async () => void closed++ }]);
    await p.close();
    expect(closed).toBe(1);
  });
});

describe('cached wake sources', () => {
  it('reuse an answer or a failure for the refresh time, then ask again', async () => {
    let reads = 0;
    const counted = source('x', async () => {
      reads++;
      if (reads === 2) throw new Error('busy');
      return [];
    });
    const cached = cachedWakeSource(counted, 60_000);
    const signal = new AbortController().signal;
    await cached.read(signal, NOW);
    await cached.read(signal, NOW + 59_999);
    expect(reads).toBe(1);
    await expect(cached.read(signal, NOW + 60_000)).rejects.toThrow('busy');
    await expect(cached.read(signal, NOW + 60_001)).rejects.toThrow('busy');
    expect(reads).toBe(2);
    await cached.read(signal, NOW + 120_000);
    await cached.read(signal, NOW - 1); // the clock went back: ask again
    expect(reads).toBe(4);
  });
});

describe('the user wake time', () => {
  it('is a time ahead, at most a year; off clears it', () => {
    expect(wakeAtFromRequest({ at: '07:00' }, NOW, 'cli')).toEqual({
      at: new Date(2026, 11, 24, 7, 0).getTime(),
      source: 'cli',
      setAt: NOW,
    });
    expect(wakeAtFromRequest({ off: true }, NOW, 'cli')).toBeNull();
    expect(() => wakeAtFromRequest({ at: '2026-12-23 19:00' }, NOW, 'cli')).toThrow(/in the past/);
    expect(() => wakeAtFromRequest({ at: '2028-01-01T00:00:00Z' }, NOW, 'cli')).toThrow(
      /more than a year away$/,
    );
  });

  it('reads as cleared once it has passed', () => {
    const setting = { at: NOW + 1000, source: 'cli', setAt: NOW };
    expect(pendingWakeAt(setting, NOW)).toBe(setting);
    expect(pendingWakeAt(setting, NOW + 1000)).toBeNull();
    expect(describeWakeAt(setting)).toBe(`Wake requested for ${new Date(NOW + 1000).toISOString()}`);
    expect(describeWakeAt(null)).toBe('Wake request cleared');
  });

  it('survives in the state directory and is reported while ahead', async () => {
    const store = createWakeStore(dir);
    await store.write({ at: NOW + HOUR, source: 'tray', setAt: NOW });
    const user = createUserWakeSource(createWakeStore(dir));
    const signal = new AbortController().signal;
    expect(await user.read(signal, NOW)).toEqual([{ at: NOW + HOUR, source: 'wake-at (set by tray)' }]);
    expect(await user.read(signal, NOW + HOUR)).toEqual([]);
    await store.write(null);
    expect(await user.read(signal, NOW)).toEqual([]);
  });

  it('ignores a malformed file with a warning', async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'wake.json'), '{"at": "soon"}');
    const problems: string[] = [];
    expect(await createWakeStore(dir, (m) => problems.push(m)).read()).toBeNull();
    expect(problems).toEqual([`ignoring ${path.join(dir, 'wake.json')}: "at" is not a time`]);
  });
});

describe('next_wake_at in the status', () => {
  const input = {
    agent: { version: '2.0.0', os: 'linux' as const, variant: 'daemon' as const, hostname: 'guest' },
    seq: 1,
    now: NOW,
    intervalSeconds: 10,
    evaluation: { kind: 'starting' as const },
    block: { active: false, until: null, source: null },
  };

  it('is an ISO time, or null without a request or outside what the protocol accepts', () => {
    expect(buildStatus({ ...input, nextWakeAt: NOW + HOUR }).next_wake_at).toBe(
      new Date(NOW + HOUR).toISOString(),
    );
    expect(buildStatus(input).next_wake_at).toBeNull();
    expect(buildStatus({ ...input, nextWakeAt: Date.UTC(2100, 0, 1) }).next_wake_at).toBeNull();
    expect(buildStatus({ ...input, nextWakeAt: NaN }).next_wake_at).toBeNull();
    const parsed = parseStatus(JSON.stringify(buildStatus({ ...input, nextWakeAt: NOW + HOUR })));
    expect(parsed.next_wake_at).toBe(new Date(NOW + HOUR).toISOString());
  });

  it("carries the planner's answer from each evaluation; refreshWake republishes at once", async () => {
    const clock = new SimulatedClock(NOW);
    let requests: WakeRequest[] = [{ at: NOW + HOUR, source: 'systemd timer backup.timer' }];
    const written: string[] = [];
    const { planner: p } = planner([source('t', async () => requests)], [], clock);
    const agent = createAgent({
      info: input.agent,
      intervalSeconds: 10,
      checkTimeoutMs: 5000,
      unknownIs: 'idle',
      checks: [],
      clock,
      logger: createLogger('test', { sink: memorySink() }),
      blockStore: { file: 'memory', read: async () => null, write: async () => undefined },
      writer: { file: 'memory', write: async (s) => void written.push(String(s.next_wake_at)) },
      wake: p,
    });
    expect((await agent.start()).next_wake_at).toBeNull();
    expect((await agent.evaluate()).next_wake_at).toBe(new Date(NOW + HOUR).toISOString());
    expect(agent.wake).toEqual({ at: NOW + HOUR, source: 'systemd timer backup.timer' });
    requests = [];
    const refreshed = await agent.refreshWake();
    expect(refreshed).toMatchObject({ seq: 3, next_wake_at: null });
    expect(written).toEqual(['null', new Date(NOW + HOUR).toISOString(), 'null']);
  });
});

describe('wake sources by configuration', () => {
  const pmset = agentFixture('pmset-sched', 'reconstructed-repeat-and-schedule.txt');

  function macPlanner(wakeTimers: Record<string, unknown>, calls: string[][]) {
    const config = parseAgentConfig({ stateDir: dir, wakeTimers }, 'macos');
    return composeWake(config, 'macos', {
      clock: new SimulatedClock(NOW),
      logger: createLogger('test', { sink: memorySink() }),
      findOnPath: async () => '/usr/bin/pmset',
      run: async (command, args) => {
        calls.push([command, ...args]);
        return runResult({ stdout: pmset });
      },
      pool: null,
      systemBus: 'unix:path=/nonexistent',
    });
  }

  it("asks the OS's timers at most every refreshSeconds", async () => {
    const calls: string[][] = [];
    const p = macPlanner({ refreshSeconds: 120 }, calls);
    expect(await p.next(NOW)).toEqual({
      at: new Date(2026, 11, 24, 6, 30).getTime(),
      source: "pmset schedule wakeorpoweron by 'pmset'",
    });
    await p.next(NOW + 119_000);
    expect(calls).toEqual([['/usr/bin/pmset', '-g', 'sched']]);
  });

  it('applies the ignore list, and reports only wake-at when the timers are off', async () => {
    const calls: string[][] = [];
    expect(await macPlanner({ ignore: ["BY 'PMSET'"] }, calls).next(NOW)).toMatchObject({
      source: 'pmset repeat wakepoweron weekdays only',
    });
    const off = macPlanner({ enabled: false }, []);
    expect(await off.next(NOW)).toBeNull();
    await createWakeStore(dir).write({ at: NOW + HOUR, source: 'cli', setAt: NOW });
    expect(await off.next(NOW)).toEqual({ at: NOW + HOUR, source: 'wake-at (set by cli)' });
  });
});
