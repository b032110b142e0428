/**
 * Both sides of the SYSTEM task hand-over on real files: the writer (what the task runs), the reader (the
 * tray's probe) and the merge into the tray's status through the core's power_requests check.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { SimulatedClock } from '../../../../common/clock';
import { UnavailableError } from '../../../../common/errors';
import { createLogger, memorySink } from '../../../../common/log';
import { createAgent } from '../../../../agent-app/core/agent';
import * as powerCheck from '../../../../agent-app/core/checks/power-requests';
import type { PowerRequestProbe } from '../../../../agent-app/core/checks/power-requests';
import { createSnapshotPowerRequestProbe } from '../../../../agent-app/platform/windows/power-requests-reader';
import { buildSnapshot, parseSnapshot } from '../../../../agent-app/platform/windows/power-requests-snapshot';
import {
  UnsafeSnapshotDirError,
  runPowerRequestsWatch,
  takeSnapshot,
  writeSnapshot,
} from '../../../../agent-app/platform/windows/power-requests-writer';
import { StatusSchema } from '../../../../protocol';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'power-requests-'));
  file = path.join(dir, 'system', 'power-requests.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const NOW = Date.UTC(2026, 10, 26, 3, 0, 0);
const signal = () => new AbortController().signal;
const chrome = { who: 'chrome.exe', why: 'Playing audio', kind: 'SYSTEM' };

function scriptedProbe(
  script: (() => Promise<{ requests: (typeof chrome)[]; source: string }>)[],
): PowerRequestProbe & { calls: number } {
  const probe = {
    calls: 0,
    read: async () => script[Math.min(probe.calls++, script.length - 1)](),
  };
  return probe;
}

describe('writer (the SYSTEM task)', () => {
  it('writes atomically into a folder it creates, leaving no temp files', async () => {
    await writeSnapshot(
      file,
      buildSnapshot({ requests: [chrome], now: NOW, intervalSeconds: 10, source: 'powercfg', error: null }),
    );
    expect(parseSnapshot(readFileSync(file)).requests).toEqual([chrome]);
    expect(readdirSync(path.dirname(file))).toEqual(['power-requests.json']);
  });

  it('refuses a folder that is a symlink (a planted junction must not redirect a SYSTEM write)', async () => {
    const elsewhere = path.join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, path.join(dir, 'system'));
    await expect(
      writeSnapshot(
        file,
        buildSnapshot({ requests: [], now: NOW, intervalSeconds: 10, source: 'powercfg', error: null }),
      ),
    ).rejects.toBeInstanceOf(UnsafeSnapshotDirError);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a probe failure becomes an empty list with the reason', async () => {
    const failing: PowerRequestProbe = {
      read: async () => Promise.reject(new Error('powercfg /requests exited 1: Access denied')),
    };
    const snapshot = await takeSnapshot(failing, () => NOW, 10, 1000);
    expect(snapshot).toMatchObject({ requests: [], error: 'powercfg /requests exited 1: Access denied' });
  });

  it('a missing powercfg is recorded as unavailable, any other failure is not', async () => {
    const missing: PowerRequestProbe = {
      read: async () => Promise.reject(new UnavailableError('powercfg is not available', 'powercfg')),
    };
    expect(await takeSnapshot(missing, () => NOW, 10, 1000)).toMatchObject({
      error: 'powercfg is not available',
      unavailable: true,
    });
    const failing: PowerRequestProbe = { read: async () => Promise.reject(new Error('exited 1')) };
    expect((await takeSnapshot(failing, () => NOW, 10, 1000)).unavailable).toBe(false);
  });

  it('a probe that hangs is cut off', async () => {
    const hanging: PowerRequestProbe = {
      read: (s) => new Promise((_, reject) => s.addEventListener('abort', () => reject(s.reason))),
    };
    expect((await takeSnapshot(hanging, () => NOW, 10, 50)).error).toBe('timed out after 50 ms');
  });

  it('runs every interval, logs only changes, and stops when told', async () => {
    const clock = new SimulatedClock(NOW);
    const sink = memorySink();
    const probe = scriptedProbe([
      async () => ({ requests: [], source: 'powercfg' }),
      async () => ({ requests: [], source: 'powercfg' }),
      async () => ({ requests: [chrome], source: 'powercfg' }),
    ]);
    const controller = new AbortController();
    const done = runPowerRequestsWatch({
      probe,
      file,
      intervalSeconds: 10,
      clock,
      logger: createLogger('task', { sink }),
      signal: controller.signal,
    });
    const written = async (iso: string) => {
      for (let i = 0; i < 400; i++) {
        try {
          const snapshot = parseSnapshot(readFileSync(file));
          if (snapshot.written_at === iso) return snapshot;
        } catch {
          // not written yet
        }
        await new Promise((r) => setTimeout(r, 5));
      }
      throw new Error(`no snapshot written at ${iso}`);
    };
    /** Advances once the loop sleeps (its timer is set). */
    const next = async () => {
      for (let i = 0; i < 400 && clock.pendingTimers() === 0; i++) await new Promise((r) => setTimeout(r, 5));
      await clock.advance(10_000);
    };
    expect((await written('2026-11-26T03:00:00.000Z')).requests).toEqual([]);
    await next();
    expect((await written('2026-11-26T03:00:10.000Z')).requests).toEqual([]);
    await next();
    expect((await written('2026-11-26T03:00:20.000Z')).requests).toEqual([chrome]);
    controller.abort();
    expect(await done).toBe(3);
    expect(sink.records.map((r) => r.event.kind === 'message' && r.event.text)).toEqual([
      'no power requests',
      'SYSTEM chrome.exe: Playing audio',
    ]);
  });

  it('--once: one snapshot', async () => {
    const ticks = await runPowerRequestsWatch({
      probe: scriptedProbe([async () => ({ requests: [chrome], source: 'powercfg' })]),
      file,
      intervalSeconds: 10,
      clock: new SimulatedClock(NOW),
      logger: createLogger('task', { sink: memorySink() }),
      maxTicks: 1,
    });
    expect(ticks).toBe(1);
  });
});

describe('reader (the tray)', () => {
  const write = (now: number, extra: Partial<Parameters<typeof buildSnapshot>[0]> = {}) =>
    writeSnapshot(
      file,
      buildSnapshot({
        requests: [chrome],
        now,
        intervalSeconds: 10,
        source: 'powercfg',
        error: null,
        ...extra,
      }),
    );

  it('gives the requests of a fresh file', async () => {
    await write(NOW);
    const probe = createSnapshotPowerRequestProbe({ file, now: () => NOW + 5000 });
    expect(await probe.read(signal())).toEqual({ requests: [chrome], source: 'powercfg, via task' });
  });

  it('no file: the task is not installed, the check is left out', async () => {
    const probe = createSnapshotPowerRequestProbe({ file, now: () => NOW });
    await expect(probe.read(signal())).rejects.toBeInstanceOf(UnavailableError);
    await expect(probe.read(signal())).rejects.toThrow(
      /the installer's task \\ProxmoxSleep\\PowerRequests writes it/,
    );
  });

  it('a stale file is not used (the task stopped)', async () => {
    await write(NOW);
    const probe = createSnapshotPowerRequestProbe({ file, now: () => NOW + 5 * 60_000 });
    await expect(probe.read(signal())).rejects.toThrow(
      'the power-request list is stale (it is 300 s old); is the task \\ProxmoxSleep\\PowerRequests running?',
    );
  });

  it("passes on the task's own failure", async () => {
    await write(NOW, { requests: [], error: 'powercfg is not available' });
    const probe = createSnapshotPowerRequestProbe({ file, now: () => NOW });
    await expect(probe.read(signal())).rejects.toThrow(
      'powercfg /requests (task \\ProxmoxSleep\\PowerRequests): powercfg is not available',
    );
  });

  it('a task that found no powercfg: the check is left out, as where the daemon finds none', async () => {
    await write(NOW, { requests: [], error: 'powercfg is not available', unavailable: true });
    const probe = createSnapshotPowerRequestProbe({ file, now: () => NOW });
    await expect(probe.read(signal())).rejects.toBeInstanceOf(UnavailableError);
    await expect(probe.read(signal())).rejects.toThrow(
      'task \\ProxmoxSleep\\PowerRequests: powercfg is not available',
    );
  });

  it('a broken or oversized file is an error, not an empty list', async () => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"schema":1,');
    const probe = createSnapshotPowerRequestProbe({ file, now: () => NOW });
    await expect(probe.read(signal())).rejects.toThrow(/not UTF-8 JSON/);
    writeFileSync(file, ' '.repeat(20_000));
    await expect(probe.read(signal())).rejects.toThrow(/larger than 16384 bytes/);
  });
});

describe('merge into the tray status', () => {
  it('the core check counts the requests, applies the ignore list and fills details.power_requests', async () => {
    await writeSnapshot(
      file,
      buildSnapshot({
        requests: [chrome, { who: 'Spotify.exe', why: 'Playing audio', kind: 'SYSTEM' }],
        now: NOW,
        intervalSeconds: 10,
        source: 'powercfg',
        error: null,
      }),
    );
    const clock = new SimulatedClock(NOW + 2000);
    const agent = createAgent({
      info: { version: '2.0.0', os: 'windows', variant: 'tray', hostname: 'pc' },
      intervalSeconds: 10,
      checkTimeoutMs: 5000,
      unknownIs: 'idle',
      checks: [
        powerCheck.create(
          { ignore: ['spotify'] },
          { probe: createSnapshotPowerRequestProbe({ file, now: () => clock.now() }) },
        ),
      ],
      clock,
      logger: createLogger('t', { sink: memorySink() }),
      blockStore: { file: 'memory', read: async () => null, write: async () => undefined },
      writer: null,
    });
    const status = StatusSchema.parse(await agent.evaluate());
    expect(status.reasons).toEqual(['power_request']);
    expect(status.details.power_requests).toEqual(['chrome.exe: Playing audio']);
    expect(status.checks).toEqual([
      {
        name: 'power_requests',
        state: 'active',
        detail: '1 held (powercfg, via task): chrome.exe: Playing audio',
      },
    ]);
    // once stale, the check is unknown and (unknownIs: idle) no longer keeps the host awake
    clock.set(NOW + 10 * 60_000);
    const stale = await agent.evaluate();
    expect(stale.checks[0].state).toBe('unknown');
    expect(stale.idle).toBe(true);
  });
});
