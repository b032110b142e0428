/** The daemon loop: CHECK_INTERVAL on an injected clock, bounded runs, SIGTERM handled once, forced exit. */
import { spawnSync } from 'child_process';
import { EventEmitter } from 'events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SimulatedClock } from '../../../common/clock';
import { createLogger, memorySink } from '../../../common/log';
import { runDaemon, type SignalSource } from '../../../host/monitor/daemon';
import { RUN_RECORD_FILE, type RunRecord } from '../../../host/state';

function signals(): SignalSource & EventEmitter {
  return new EventEmitter() as SignalSource & EventEmitter;
}

test('ticks every interval of the injected clock and stops after maxTicks', async () => {
  const clock = new SimulatedClock();
  const sink = memorySink();
  const times: number[] = [];
  const done = runDaemon({
    intervalMs: 60_000,
    clock,
    log: createLogger('t', { sink }),
    maxTicks: 3,
    tick: async () => void times.push(clock.now()),
  });
  await clock.advance(200_000);
  expect(await done).toEqual({ ticks: 3, stoppedBy: 'max ticks (3)' });
  expect(times.map((t) => t - times[0])).toEqual([0, 60_000, 120_000]);
});

test('a failing tick is logged and the loop goes on', async () => {
  const clock = new SimulatedClock();
  const sink = memorySink();
  const done = runDaemon({
    intervalMs: 1000,
    clock,
    log: createLogger('t', { sink }),
    maxTicks: 2,
    tick: () => Promise.reject(new Error('pvesh exploded')),
  });
  await clock.advance(5000);
  expect((await done).ticks).toBe(2);
  expect(sink.records.filter((r) => r.level === 'error')).toHaveLength(2);
});

test('SIGTERM: the handler runs once, the loop ends after the current step, no forced exit', async () => {
  const clock = new SimulatedClock();
  const sink = memorySink();
  const src = signals();
  const forced: number[] = [];
  const done = runDaemon({
    intervalMs: 60_000,
    clock,
    log: createLogger('t', { sink }),
    signals: src,
    forceExit: (code) => forced.push(code),
    forceExitMs: 50,
    tick: async () => undefined,
  });
  await clock.advance(10);
  src.emit('SIGTERM');
  src.emit('SIGTERM');
  src.emit('SIGINT');
  expect(await done).toEqual({ ticks: 1, stoppedBy: 'SIGTERM' });
  await new Promise((r) => setTimeout(r, 80));
  expect(forced).toEqual([]);
  expect(
    sink.records.filter((r) => r.event.kind === 'message' && /received/.test(r.event.text)),
  ).toHaveLength(1);
  expect(src.listenerCount('SIGTERM')).toBe(0);
});

test('a step that does not finish after SIGTERM is cut short by the forced exit', async () => {
  const clock = new SimulatedClock();
  const src = signals();
  const forced: number[] = [];
  let release: () => void = () => undefined;
  const done = runDaemon({
    intervalMs: 60_000,
    clock,
    log: createLogger('t', { sink: memorySink() }),
    signals: src,
    forceExit: (code) => {
      forced.push(code);
      release();
    },
    forceExitMs: 30,
    tick: () => new Promise<void>((r) => (release = r)),
  });
  await clock.advance(1);
  src.emit('SIGTERM');
  await done;
  expect(forced).toEqual([1]);
});

test('the wiring hands tick the real sleep sequence, which can recover interrupted runs', async () => {
  const { resolveConfig } = await import('../../../host/config');
  const { wire } = await import('../../../host/wiring/index');
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'daemon-recover-'));
  const wired = await wire(
    resolveConfig('VM_IDS=100', 'test', { PROXMOX_SLEEP_STATE_DIR: stateDir }).config,
    {
      env: { PATH: '/nonexistent' },
      sink: memorySink(),
    },
  );
  try {
    expect(wired.sequence.name).toBe('sleep');
    expect(typeof wired.sequence.recover).toBe('function');
    // Nothing in the state dir: nothing to recover.
    expect(await wired.sequence.recover!()).toBeNull();
    // A run record left in its pre-sleep by a process that is gone (no guest stopped yet): recovered.
    const deadPid = spawnSync('true').pid!;
    const now = Date.now();
    const record: RunRecord = {
      version: 1,
      runId: 'interrupted-run',
      command: 'tick',
      owner: { pid: deadPid, start: '1', bootId: null },
      phase: 'pre-sleep',
      startedAt: now,
      updatedAt: now,
      stopped: {},
      suspend: null,
      resuming: [],
      started: [],
      outcome: null,
      finishedAt: null,
    };
    writeFileSync(path.join(stateDir, RUN_RECORD_FILE), JSON.stringify(record));
    expect(await wired.sequence.recover!()).toBe(
      `the pre-sleep of tick (pid ${deadPid}) was interrupted: nothing to start`,
    );
    const after = JSON.parse(readFileSync(path.join(stateDir, RUN_RECORD_FILE), 'utf8')) as RunRecord;
    expect(after.phase).toBe('done');
    expect(await wired.sequence.recover!()).toBeNull();
  } finally {
    wired.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
