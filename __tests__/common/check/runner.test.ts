import { createCheckRunner, type Check } from '../../../common/check';
import { SimulatedClock } from '../../../common/clock';
import { UnavailableError } from '../../../common/errors';
import { createLogger, memorySink } from '../../../common/log';

const check = (name: string, run: Check['run'], extra: Partial<Check> = {}): Check => ({
  name,
  reason: `${name}_active`,
  run,
  ...extra,
});

describe('check runner', () => {
  it('runs checks in parallel and keeps their order', async () => {
    const clock = new SimulatedClock();
    const runner = createCheckRunner({ clock, timeoutMs: 5000 });
    const started: string[] = [];
    const slow = (name: string, ms: number) =>
      check(name, () => {
        started.push(name);
        return new Promise((resolve) =>
          clock.setTimeout(() => resolve({ state: 'idle', reason: null, detail: name }), ms),
        );
      });
    const pending = runner.run([slow('a', 3000), slow('b', 1000)], { now: clock.now() });
    await clock.advance(0);
    expect(started).toEqual(['a', 'b']);
    await clock.advance(3000);
    const reports = await pending;
    expect(reports.map((r) => [r.name, r.state, r.durationMs])).toEqual([
      ['a', 'idle', 3000],
      ['b', 'idle', 1000],
    ]);
  });

  it('turns a throw into unknown with the message, and a timeout into unknown (aborting the check)', async () => {
    const clock = new SimulatedClock();
    const runner = createCheckRunner({ clock, timeoutMs: 5000 });
    let aborted = false;
    const hang = check('hang', ({ signal }) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => undefined);
    });
    const pending = runner.run(
      [check('boom', async () => Promise.reject(new Error('probe exploded'))), hang],
      { now: clock.now() },
    );
    await clock.advance(5000);
    const [boom, hung] = await pending;
    expect(boom).toMatchObject({ state: 'unknown', detail: 'probe exploded' });
    expect(hung).toMatchObject({ state: 'unknown', detail: 'timed out after 5s' });
    expect(aborted).toBe(true);
  });

  it("honours a check's own timeout", async () => {
    const clock = new SimulatedClock();
    const runner = createCheckRunner({ clock, timeoutMs: 1000 });
    const pending = runner.run([check('long', () => new Promise(() => undefined), { timeoutMs: 3000 })], {
      now: clock.now(),
    });
    await clock.advance(1000);
    expect(clock.pendingTimers()).toBe(1);
    await clock.advance(2000);
    expect((await pending)[0].detail).toBe('timed out after 3s');
  });

  it('marks a missing probe unavailable and warns once until it comes back', async () => {
    const clock = new SimulatedClock();
    const sink = memorySink();
    const runner = createCheckRunner({ clock, timeoutMs: 1000, logger: createLogger('t', { sink }) });
    let installed = false;
    const gpu = check('gpu', async () => {
      if (!installed) throw new UnavailableError('nvidia-smi is not installed', 'nvidia-smi');
      return { state: 'idle', reason: null, detail: '0%' };
    });
    for (let i = 0; i < 3; i++) expect((await runner.run([gpu], { now: 0 }))[0].state).toBe('unavailable');
    const warnings = () => sink.records.filter((r) => r.level === 'warn');
    expect(warnings()).toHaveLength(1);
    installed = true;
    expect((await runner.run([gpu], { now: 0 }))[0].state).toBe('idle');
    expect(sink.records.some((r) => r.event.kind === 'message' && /available again/.test(r.event.text))).toBe(
      true,
    );
  });

  it('refuses a malformed result; an active one without a reason stands for the check', async () => {
    const runner = createCheckRunner({ clock: new SimulatedClock(), timeoutMs: 1000 });
    const bad = check('bad', async () => ({ state: 'maybe' }) as never);
    const badReason = check('badreason', async () => ({ state: 'active', reason: 7, detail: 'x' }) as never);
    const activeWithoutReason = check('noreason', async () => ({ state: 'active', detail: 'x' }));
    const reports = await runner.run([bad, badReason, activeWithoutReason], { now: 0 });
    expect(reports.map((r) => [r.state, r.reason])).toEqual([
      ['unknown', null],
      ['unknown', null],
      ['active', 'noreason_active'],
    ]);
  });

  it("hands the caller's context to each check and passes its evidence through", async () => {
    const runner = createCheckRunner({ clock: new SimulatedClock(), timeoutMs: 1000 });
    const seen: unknown[] = [];
    const probe: Check<{ percent: number }, { signal: AbortSignal; now: number; guest: string }> = {
      name: 'probe',
      reason: 'probe_active',
      run: async (ctx) => {
        seen.push([ctx.guest, ctx.now, ctx.signal.aborted]);
        return { state: 'active', reason: 'probe_active', detail: '85% > 10%', evidence: { percent: 85 } };
      },
    };
    const [report] = await runner.run([probe], { now: 7, guest: 'vm:100' });
    expect(seen).toEqual([['vm:100', 7, false]]);
    expect(report).toMatchObject({ name: 'probe', checkReason: 'probe_active', evidence: { percent: 85 } });
  });

  it('logs a change of state at the level the caller picks, and a repeat at debug', async () => {
    const sink = memorySink();
    const runner = createCheckRunner({
      clock: new SimulatedClock(),
      timeoutMs: 1000,
      logger: createLogger('t', { sink, levels: { '': 'debug' } }),
      changeLevel: (r) => (r.state === 'unknown' ? 'info' : 'debug'),
    });
    let state: 'idle' | 'unknown' = 'idle';
    const flaky = check('flaky', async () => ({ state, reason: null, detail: state }));
    for (const next of ['idle', 'unknown', 'unknown', 'idle'] as const) {
      state = next;
      await runner.run([flaky], { now: 0 });
    }
    expect(sink.records.map((r) => [r.level, r.event.kind === 'check' && r.event.state])).toEqual([
      ['debug', 'idle'],
      ['info', 'unknown'],
      ['debug', 'unknown'],
      ['debug', 'idle'],
    ]);
  });
});
