/** The daemon loop: CHECK_INTERVAL on an injected clock, bounded runs, SIGTERM handled once, forced exit. */
import { EventEmitter } from 'events';
import { SimulatedClock } from '../../../common/clock';
import { createLogger, memorySink } from '../../../common/log';
import { runDaemon, type SignalSource } from '../../../host/observe/daemon';

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
  const { wire } = await import('../../../host/wiring');
  const wired = await wire(resolveConfig('VM_IDS=100', 'test', {}).config, {
    env: { PATH: '/nonexistent' },
    sink: memorySink(),
  });
  try {
    expect(wired.sequence.name).toBe('sleep');
    expect(typeof wired.sequence.recover).toBe('function');
  } finally {
    wired.close();
  }
});
