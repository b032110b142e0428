/**
 * The demo's view without running anything: the host tool's metrics file parsed, one cycle's observations
 * turned into phases, log lines, a terminal frame and the summary; which host tool log lines are shown;
 * what happens without qemu-ga.
 */
import { chooseTransport } from '../../../lab/demo/cli';
import { apply, initialState, nextCycle, type Input } from '../../../lab/demo/model';
import { formatLine, renderFrame, summarize } from '../../../lab/demo/render';
import { toolLine } from '../../../lab/demo/run';
import { DEMO_GUESTS, hostConfigLines, DEMO_TIMINGS } from '../../../lab/demo/scenario';
import { parseMetrics } from '../../../lab/demo/watch';
import { renderMetrics } from '../../../host/monitor/metrics';
import type { Verdict } from '../../../host/policy';

const T0 = 1_800_000_000_000;

function verdict(
  guests: { id: number; kind: 'vm' | 'ct'; name: string; state: string; reasons?: string[]; idle?: number }[],
  countdown: number | null,
): Verdict {
  return {
    idleNow: guests.every((g) => g.state !== 'active'),
    sleepDue: countdown === 0,
    autoSleep: 'on',
    countdownSeconds: countdown,
    guests: guests.map((g) => ({
      key: `${g.kind}:${g.id}`,
      kind: g.kind,
      id: g.id,
      name: g.name,
      state: g.state,
      basis: 'agent',
      reasons: g.reasons ?? [],
      explanation: '',
      idleForSeconds: g.idle ?? null,
      timeoutSeconds: 10,
      sleepsInSeconds: null,
      notes: [],
    })),
    host: { checks: [], active: false, idleForSeconds: 0, timeoutSeconds: 10, sleepsInSeconds: null },
    lastWake: null,
    graceRemainingSeconds: null,
    notes: [],
  } as unknown as Verdict;
}

const ALL = DEMO_GUESTS.map((g) => ({ id: g.id, kind: g.kind, name: g.name }));

test('reads the host tool metrics file: states, reasons, idle times, the countdown', () => {
  const text = renderMetrics(
    verdict(
      [
        { ...ALL[0], state: 'active', reasons: ['gpu_active', 'process:eldenring.exe'] },
        { ...ALL[1], state: 'idle', idle: 4 },
        { ...ALL[2], state: 'active', reasons: ['cpu_load'] },
        { ...ALL[3], state: 'idle', idle: 7 },
      ],
      null,
    ),
    T0,
  );
  const parsed = parseMetrics(text);
  expect(parsed).toMatchObject({ maySleepNow: false, countdownSeconds: null, checkedAt: T0 });
  expect(parsed?.guests).toEqual([
    {
      kind: 'vm',
      id: 100,
      name: 'gaming-win',
      state: 'active',
      idleSeconds: null,
      reasons: ['gpu_active', 'process:eldenring.exe'],
    },
    { kind: 'vm', id: 101, name: 'desktop', state: 'idle', idleSeconds: 4, reasons: [] },
    { kind: 'vm', id: 102, name: 'build-server', state: 'active', idleSeconds: null, reasons: ['cpu_load'] },
    { kind: 'ct', id: 200, name: 'media', state: 'idle', idleSeconds: 7, reasons: [] },
  ]);
  expect(parseMetrics('')).toBeNull();
});

test('one cycle: from the countdown to every guest back, with its log, frame and summary', () => {
  const s = initialState(DEMO_GUESTS, T0);
  const at = (seconds: number) => T0 + seconds * 1000;
  const idleAll = (seconds: number, countdown: number): Input => ({
    type: 'verdict',
    at: at(seconds),
    verdict: parseMetrics(
      renderMetrics(
        verdict(
          ALL.map((g) => ({ ...g, state: 'idle', idle: seconds })),
          countdown,
        ),
        at(seconds),
      ),
    )!,
  });
  const inputs: Input[] = [
    {
      type: 'verdict',
      at: at(2),
      verdict: parseMetrics(
        renderMetrics(verdict([{ ...ALL[0], state: 'active', reasons: ['gpu_active'] }], null), at(2)),
      )!,
    },
    idleAll(12, 10),
    idleAll(22, 0),
    { type: 'warning', at: at(22.5), id: 100, text: 'Proxmox host pve-lab goes to sleep in 3 seconds' },
    ...[100, 101, 102].flatMap((id): Input[] => [
      { type: 'guest-event', at: at(26), id, event: 'hibernate-requested', detail: 'proxmox-sleep-agent' },
      { type: 'guest-event', at: at(28), id, event: 'hibernated' },
    ]),
    { type: 'guest-event', at: at(26), id: 200, event: 'shutdown-requested', detail: 'pct shutdown' },
    { type: 'guest-event', at: at(27), id: 200, event: 'shut-down' },
    { type: 'suspend', at: at(31), event: 'requested' },
    { type: 'suspend', at: at(31.2), event: 'sleep' },
  ];
  for (const i of inputs) apply(s, i);
  expect(s.phase).toBe('asleep');
  const asleep = renderFrame(s, at(33), { title: 'demo', subtitle: 'sub', logLines: 5 }, false);
  expect(asleep.join('\n')).toContain('The host is asleep (2 s)');
  apply(s, { type: 'suspend', at: at(35.2), event: 'wake' });
  for (const id of [100, 101, 102])
    apply(s, { type: 'guest-event', at: at(37), id, event: 'resumed', detail: 'qm start' });
  expect(s.phase).toBe('post-wake');
  apply(s, { type: 'guest-event', at: at(37.5), id: 200, event: 'started', detail: 'pct start' });
  apply(s, { type: 'sequence-done', at: at(38), outcome: 'post-wake done' });
  expect(s.phase).toBe('done');

  const cycle = s.cycles[0];
  expect(cycle).toMatchObject({
    dueAt: at(22),
    warnedAt: at(22.5),
    preSleepAt: at(26),
    asleepAt: at(31.2),
    wokeAt: at(35.2),
    backAt: at(37.5),
    doneAt: at(38),
  });
  expect(cycle.down).toEqual({ 100: 'hibernated', 101: 'hibernated', 102: 'hibernated', 200: 'shut down' });
  const log = s.lines.map((l) => formatLine(l, T0));
  expect(log).toEqual(
    expect.arrayContaining([
      '00:02.0  host   VM 100 gaming-win: active (gpu_active)',
      '00:12.0  host   everything is idle: sleep in 10 s if it stays so',
      '00:22.5  host   sleep is due: every guest agent is warned first',
      '00:22.5  guest  VM 100 gaming-win shows its users: "Proxmox host pve-lab goes to sleep in 3 seconds"',
      '00:26.0  host   pre-sleep: the guests are put away',
      '00:28.0  power  VM 100 gaming-win: hibernated',
      "00:31.2  host   the host is asleep (the lab's systemctl suspend waits instead)",
      '00:37.5  host   every guest stopped for the sleep is running again',
      '00:38.0  host   the sleep sequence is over: post-wake done',
    ]),
  );
  // During its sleep sequence the host tool does not check its guests; its first check afterwards fills the rows.
  const stale = renderFrame(s, at(38), { title: 'demo', subtitle: 'sub', logLines: 3 }, false);
  expect(stale.join('\n')).toMatch(/VM 102 build-server\s+running\s+…/);
  apply(s, idleAll(38, 10));
  const frame = renderFrame(s, at(38), { title: 'demo', subtitle: 'sub', logLines: 3 }, false);
  expect(frame.join('\n')).toMatch(/VM 102 build-server\s+running\s+idle/);
  expect(frame.join('\n')).toContain('One full cycle: every guest is back.');
  expect(frame.join('\n')).not.toMatch(/\x1b\[/);
  expect(renderFrame(s, at(38), { title: 'demo', subtitle: 'sub', logLines: 3 }, true).join('\n')).toMatch(
    /\x1b\[/,
  );

  const summary = summarize(s, s.rows, 'one full cycle');
  expect(summary.ok).toBe(true);
  expect(summary.lines).toEqual([
    'Summary: one full cycle',
    '  cycle 1 in 38.0 s: sleep due after 22.0 s, warning 3.5 s, pre-sleep 5.2 s, host asleep 4.0 s, post-wake 2.8 s',
    '    VM 100 gaming-win    hibernated → resumed',
    '    VM 101 desktop       hibernated → resumed',
    '    VM 102 build-server  hibernated → resumed',
    '    CT 200 media         shut down → started',
    '    host tool: post-wake done',
    'Every guest came back (1 full cycle).',
  ]);
});

test('a guest that does not come back fails the summary', () => {
  const s = initialState(DEMO_GUESTS, T0);
  apply(s, { type: 'guest-event', at: T0 + 1, id: 100, event: 'hibernated' });
  apply(s, { type: 'sequence-done', at: T0 + 2, outcome: 'post-wake: VM 100 did not start' });
  const summary = summarize(s, s.rows, 'one full cycle');
  expect(summary.ok).toBe(false);
  expect(summary.lines).toContain('    VM 100 gaming-win    hibernated → NOT BACK');
  expect(summary.lines.slice(-1)).toEqual(['NOT every guest came back.']);
});

test('Ctrl-C in the middle of a later cycle: the finished cycles are judged, the cut one is named', () => {
  const s = initialState(DEMO_GUESTS, T0);
  for (const id of [100, 101, 102]) {
    apply(s, { type: 'guest-event', at: T0 + 1, id, event: 'hibernated' });
    apply(s, { type: 'guest-event', at: T0 + 5, id, event: 'resumed' });
  }
  apply(s, { type: 'guest-event', at: T0 + 1, id: 200, event: 'shut-down' });
  apply(s, { type: 'guest-event', at: T0 + 5, id: 200, event: 'started' });
  apply(s, { type: 'sequence-done', at: T0 + 6, outcome: 'slept and woke' });
  nextCycle(s, T0 + 7);
  apply(s, { type: 'guest-event', at: T0 + 30, id: 100, event: 'hibernated' });

  const stopped = summarize(s, s.rows, 'stopped by SIGINT', true);
  expect(stopped.ok).toBe(true);
  expect(stopped.lines).toContain('  cycle 2: stopped during pre-sleep; the lab was removed with its guests');
  expect(stopped.lines.slice(-1)).toEqual(['Every guest came back (1 full cycle).']);
  // Without the user stopping it, a guest left hibernated is a failure.
  expect(summarize(s, s.rows, 'no full cycle within 150 s').ok).toBe(false);

  const early = initialState(DEMO_GUESTS, T0);
  const before = summarize(early, early.rows, 'stopped by SIGINT', true);
  expect(before.ok).toBe(false);
  expect(before.lines).toEqual(['Summary: stopped by SIGINT', 'No full cycle was completed.']);
});

test("shows the host tool's sequence and its warnings, not every verdict", () => {
  expect(
    toolLine(
      '2026-11-26 07:34:23 INFO  host:sequence: VM 100 (gaming-win): hibernate requested (agent: Hibernation initiated)',
    ),
  ).toBe('VM 100 (gaming-win): hibernate requested (agent: Hibernation initiated)');
  expect(
    toolLine('2026-11-26 07:34:23 INFO  host:sequence: sleep: suspending the host (systemctl suspend)'),
  ).toBe('sleep: suspending the host (systemctl suspend)');
  expect(toolLine('2026-11-26 07:34:23 WARN  host:monitor: cannot write METRICS_FILE x')).toBe(
    'cannot write METRICS_FILE x',
  );
  expect(toolLine('2026-11-26 07:34:23 INFO  host:monitor: verdict: host stays awake: VM 100')).toBeNull();
  expect(toolLine('2026-11-26 07:34:23 INFO  host: daemon started: a check every 2 s')).toBeNull();
});

test('without qemu-ga the demo says how to install it and uses virtiofs; the configuration follows', () => {
  expect(chooseTransport('auto', true)).toEqual({ transport: 'qga', notice: null });
  const without = chooseTransport('auto', false);
  expect(without.transport).toBe('virtiofs');
  expect(without.notice).toContain('apt install qemu-guest-agent');
  expect(() => chooseTransport('qga', false)).toThrow(/apt install qemu-guest-agent/);
  const paths = {
    work: '/w',
    stateDir: '/w/state',
    metricsFile: '/w/m.prom',
    statusFile: (id: number) => `/lab/guest/${id}/status.json`,
    sharedDir: (id: number) => `/lab/guest/${id}`,
  };
  const viaQga = hostConfigLines(DEMO_GUESTS, DEMO_TIMINGS, 'qga', paths);
  const viaFs = hostConfigLines(DEMO_GUESTS, DEMO_TIMINGS, 'virtiofs', paths);
  expect(viaQga).toEqual(
    expect.arrayContaining([
      'IDLE_THRESHOLD_MINUTES=8s',
      'VM_100_IDLE_TIMEOUT=8s',
      'VM_100_STATUS_PATH=/lab/guest/100/status.json',
      'VM_102_TRANSPORT=none',
    ]),
  );
  expect(viaFs).toEqual(
    expect.arrayContaining([
      'VM_100_TRANSPORT=virtiofs',
      'VM_100_VIRTIOFS_DIR=/lab/guest/100',
      'VM_102_TRANSPORT=none',
    ]),
  );
  expect(viaFs.some((l) => l.startsWith('CONTAINER_200_TRANSPORT'))).toBe(false);
});
