/** Long waits on a terminal: a block of "guest: what — N s left" lines, redrawn every second, logs above it. */
import { SimulatedClock } from '../../../common/clock';
import { createLogger, memorySink } from '../../../common/log';
import { logProgress, terminalProgress } from '../../../host/sequence/progress';

test('terminal: each wait is a line with the seconds left, counted down every second, gone when done', async () => {
  const clock = new SimulatedClock();
  let screen = '';
  const progress = terminalProgress((text) => (screen += text), clock);
  const done = progress.wait('VM 100 (gaming)', 'hibernation', clock.now() + 300000);
  progress.wait('container 200 (web)', 'the shutdown to show', clock.now() + 15000);
  expect(screen).toBe('  VM 100 (gaming): hibernation — 300 s left\n');
  screen = '';
  await clock.advance(1000);
  // Up two lines, clear, redraw both.
  expect(screen).toBe(
    '\x1b[1A\x1b[J  VM 100 (gaming): hibernation — 299 s left\n  container 200 (web): the shutdown to show — 14 s left\n',
  );
  screen = '';
  const sink = memorySink();
  const log = createLogger('t', { sink: progress.wrapSink(sink) });
  log.info('a log line');
  expect(sink.records).toHaveLength(1);
  expect(screen.startsWith('\x1b[2A\x1b[J')).toBe(true);
  screen = '';
  done();
  expect(screen).toBe('\x1b[2A\x1b[J  container 200 (web): the shutdown to show — 14 s left\n');
  progress.close();
  expect(clock.pendingTimers()).toBe(0);
});

test('elsewhere: one plain log line when a wait starts', () => {
  const clock = new SimulatedClock();
  const sink = memorySink();
  const progress = logProgress(createLogger('host:sequence', { sink }), clock);
  progress.wait('VM 100 (gaming)', 'hibernation', clock.now() + 300000)();
  expect(sink.records.map((r) => r.event)).toEqual([
    { kind: 'message', text: 'VM 100 (gaming): waiting up to 300 s for hibernation', data: undefined },
  ]);
});
