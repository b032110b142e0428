import { SimulatedClock, sleep } from '../../common/clock';
import { ConfigError, cutStderr, describeFailure, formatProblem } from '../../common/errors';
import { createLogger, formatJson, formatText, memorySink } from '../../common/log';
import { sanitizeForLog } from '../../common/sanitize';

describe('log', () => {
  it('filters by namespace level, longest prefix first, and builds lazy messages only when enabled', () => {
    const sink = memorySink();
    const log = createLogger('host', {
      sink,
      levels: { '': 'info', 'host:transport': 'debug', 'host:transport:ssh': 'warn' },
    });
    let built = 0;
    log.debug(() => `built ${++built}`);
    log.child('transport').debug('qga detail');
    log.child('transport').child('ssh').info('hidden');
    log.child('transport').child('ssh').warn('shown');
    expect(built).toBe(0);
    expect(sink.records.map((r) => [r.namespace, r.event.kind === 'message' && r.event.text])).toEqual([
      ['host:transport', 'qga detail'],
      ['host:transport:ssh', 'shown'],
    ]);
  });

  it('escapes control characters from guests in text, keeps them as JSON escapes in JSON', () => {
    const record = {
      time: Date.UTC(2026, 10, 26),
      level: 'warn' as const,
      namespace: 'host',
      event: {
        kind: 'check' as const,
        guest: 'vm\u001b[31m',
        check: 'gpu',
        state: 'active' as const,
        detail: 'a\nb',
      },
    };
    const text = formatText(record);
    expect(text).not.toMatch(/[\u0000-\u001f]/);
    expect(text).toContain('vm\\u001b[31m: gpu active (a\\u000ab)');
    expect(JSON.parse(formatJson(record))).toMatchObject({
      level: 'warn',
      kind: 'check',
      guest: 'vm\u001b[31m',
    });
  });

  it('formats every event kind in one line', () => {
    const events = [
      { kind: 'verdict' as const, maySleep: false, reasons: ['vm 100: gpu_active'] },
      { kind: 'fallback' as const, subject: 'vm 100', to: 'cpu', why: 'agent missing' },
      { kind: 'retry' as const, what: 'qm status', attempt: 2, max: 3, why: 'timeout' },
      { kind: 'guest-action' as const, guest: 'vm 100', action: 'hibernate', outcome: 'done' },
      { kind: 'sleep' as const, phase: 'suspend' },
      { kind: 'wake' as const },
    ];
    for (const event of events)
      expect(formatText({ time: 0, level: 'info', namespace: 'x', event })).not.toContain('\n');
  });
});

describe('SimulatedClock', () => {
  it('fires timers in due order as time advances', async () => {
    const clock = new SimulatedClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 200);
    clock.setTimeout(() => fired.push('a'), 100);
    const cancelled = clock.setTimeout(() => fired.push('never'), 150);
    clock.clearTimeout(cancelled);
    await clock.advance(150);
    expect(fired).toEqual(['a']);
    await clock.advance(100);
    expect(fired).toEqual(['a', 'b']);
    expect(clock.now()).toBe(250);
  });

  it('drives sleep() and its abort', async () => {
    const clock = new SimulatedClock(0);
    let done = false;
    const p = sleep(clock, 1000).then(() => (done = true));
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    await p;
    expect(done).toBe(true);
    const ac = new AbortController();
    const aborted = sleep(clock, 1000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('errors', () => {
  it('describes a failed command with its reason and a cut stderr', () => {
    const stderr = Array.from({ length: 50 }, (_, i) =>
      i === 30 ? 'ERROR: VM 105 not found' : `progress ${i}`,
    ).join('\n');
    const text = describeFailure({ command: 'qm', args: ['start', '105'], exitCode: 2, stderr });
    expect(text.split('\n')[0]).toBe('`qm start 105` exited 2 (misuse (bad arguments)):');
    expect(text).toContain('ERROR: VM 105 not found');
    expect(text.split('\n').length).toBeLessThanOrEqual(22);
    expect(
      describeFailure({ command: 'qm', args: ['status', '1'], exitCode: null, timedOut: true, stderr: '' }),
    ).toBe('`qm status 1` timed out');
  });

  it('keeps short stderr as it is', () => {
    expect(cutStderr('a\n\nb\n')).toBe('a\nb');
  });

  it('formats a config problem as file:line: severity: KEY: message', () => {
    expect(formatProblem({ severity: 'error', file: '/etc/x.conf', line: 3, key: 'K', message: 'bad' })).toBe(
      '/etc/x.conf:3: error: K: bad',
    );
    expect(formatProblem({ severity: 'warning', file: null, line: null, key: 'K', message: 'bad' })).toBe(
      'environment: warning: K: bad',
    );
    expect(
      new ConfigError([{ severity: 'error', file: null, line: null, key: null, message: 'x' }]).exitCode,
    ).toBe(78);
  });

  it('sanitises and caps untrusted text', () => {
    expect(sanitizeForLog('a\u202eb', 100)).toBe('a\\u202eb');
    expect(sanitizeForLog('x'.repeat(20), 5)).toBe('xxxxx…(15 more)');
  });
});
