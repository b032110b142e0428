import { createCheckRunner } from '../../../agent-app/core/runner';
import type { Check } from '../../../agent-app/core/check';
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
    const pending = runner.run([slow('a', 3000), slow('b', 1000)], clock.now());
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
      clock.now(),
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
    const pending = runner.run(
      [check('long', () => new Promise(() => undefined), { timeoutMs: 3000 })],
      clock.now(),
    );
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
    for (let i = 0; i < 3; i++) expect((await runner.run([gpu], 0))[0].state).toBe('unavailable');
    const warnings = () => sink.records.filter((r) => r.level === 'warn');
    expect(warnings()).toHaveLength(1);
    installed = true;
    expect((await runner.run([gpu], 0))[0].state).toBe('idle');
    expect(sink.records.some((r) => r.event.kind === 'message' && /available again/.test(r.event.text))).toBe(
      true,
    );
  });

  it('refuses a malformed result', async () => {
    const runner = createCheckRunner({ clock: new SimulatedClock(), timeoutMs: 1000 });
    const bad = check('bad', async () => ({ state: 'maybe' }) as never);
    const activeWithoutReason = check('noreason', async () => ({
      state: 'active',
      reason: null,
      detail: 'x',
    }));
    expect((await runner.run([bad, activeWithoutReason], 0)).map((r) => r.state)).toEqual([
      'unknown',
      'unknown',
    ]);
  });
});
