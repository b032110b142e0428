/**
 * Policy table tests with an injected clock: the detection and timer rules of the previous release
 * (anchor-behaviour.md §6) and the agent-based rules of the host monitor issue. Guests are given as the
 * signals their checks report; the policy counts them by role, never by name.
 */
import { decide, type PreviousState } from '../../../host/policy';
import { activeStatus, idleStatus } from '../../helpers/status-samples';
import {
  MIN,
  T0,
  active,
  agentIs,
  config,
  cpu,
  ct,
  gaming,
  hostCheck,
  hostGpu,
  hostIdle,
  idleFor,
  missing,
  noAgent,
  obs,
  policy,
  prevState,
  vm,
  withStatus,
} from './build';

/** Memory of a guest whose agent the host has read for an hour. */
const known = (key: string) => ({
  [key]: {
    idleSince: null,
    lastActiveAt: null,
    lastSeq: 1,
    seqSince: T0 - MIN,
    agentFirstSeenAt: T0 - 60 * MIN,
  },
});

const one = (
  o = vm(100),
  p = policy('vm:100'),
  prev: PreviousState = prevState({ hostIdleSince: T0 - 60 * MIN }),
) => decide(obs([o]), config([p]), T0, prev);

describe('what a guest counts as', () => {
  test('an agent that reports activity makes its guest active, with every reason and its evidence', () => {
    const status = activeStatus(['gpu_active', 'process:game.exe'], {
      checks: [
        { name: 'input', state: 'idle', detail: 'no input for 900s (x11)' },
        { name: 'gpu', state: 'active', detail: 'GPU 85% > 10% (nvidia-smi)' },
      ],
    });
    const d = one(vm(100, agentIs(withStatus(status))));
    expect(d.verdict.guests[0]).toMatchObject({
      state: 'active',
      basis: 'agent',
      reasons: ['gpu_active', 'process:game.exe'],
      evidence: status.checks,
    });
    expect(d.verdict.idleNow).toBe(false);
    expect(d.reasons[0]).toMatch(/VM 100 \(vm100\): agent: gpu_active, process:game.exe/);
  });

  test('an unknown reason word from a newer agent still counts as active', () => {
    expect(one(vm(100, agentIs(active('quantum_flux')))).verdict.guests[0].state).toBe('active');
  });

  test("a guest signal's notes reach the verdict (reasons its configuration ignores)", () => {
    const ignoring = withStatus(activeStatus(['user_input', 'user_block']), {
      checkUserIdle: false,
      checkPowerRequests: true,
    });
    const d = one(vm(100, agentIs(ignoring)));
    expect(d.verdict.guests[0]).toMatchObject({ state: 'active', reasons: ['user_block'] });
    expect(d.verdict.guests[0].notes.join()).toMatch(/ignored user_input \(CHECK_USER_IDLE=0/);
  });

  test.each(['stopped', 'paused'] as const)(
    'a %s guest counts as idle even if its last status said active (rule 18)',
    (power) => {
      const d = one(vm(100, { power, powerDetail: power, ...agentIs(active('user_input')) }));
      expect(d.verdict.guests[0].state).toBe('stopped');
      expect(d.verdict.idleNow).toBe(true);
    },
  );

  test('MONITOR=0 never keeps the host awake (rule 18)', () => {
    const d = one(vm(100, agentIs(active('gpu_active'))), policy('vm:100', { monitor: false }));
    expect(d.verdict.guests[0].state).toBe('unmonitored');
    expect(d.verdict.idleNow).toBe(true);
  });

  test('a fallback signal does not count while the agent is usable', () => {
    const d = one(vm(100, agentIs(idleFor(3600), [cpu(99), gaming(['steam'], ['steam'])])));
    expect(d.verdict.guests[0]).toMatchObject({ state: 'idle', basis: 'agent', reasons: [] });
  });
});

describe('ON_AGENT_MISSING', () => {
  test.each([
    ['cpu', 40, 'active', 'cpu_load'],
    ['cpu', 15, 'idle', undefined], // strictly above the threshold: 15 against 15 is idle
    ['cpu', 15.1, 'active', 'cpu_load'],
    ['cpu', null, 'active', 'cpu_unknown'], // never idle by accident
    ['idle', 99, 'idle', undefined],
    ['active', 0, 'active', 'agent_missing'],
  ] as const)('%s with CPU %s → %s', (mode, percent, state, reason) => {
    // The CPU fallback check exists only for ON_AGENT_MISSING=cpu (checks/guest-cpu.ts).
    const fallback = mode === 'cpu' ? [cpu(percent)] : [];
    const d = one(vm(100, agentIs(missing(), fallback)), policy('vm:100', { onAgentMissing: mode }));
    expect(d.verdict.guests[0]).toMatchObject({ state, basis: 'fallback' });
    if (reason) expect(d.verdict.guests[0].reasons).toEqual([reason]);
  });

  test('the explanation says what was missing and what decided; the note says why', () => {
    const d = one(vm(100, agentIs(missing('timeout'), [cpu(50)])));
    expect(d.verdict.guests[0]).toMatchObject({
      state: 'active',
      explanation: 'agent status unusable (timeout); CPU 50% > 15%',
      evidence: [
        { name: 'agent status', state: 'unknown', detail: 'timeout: test' },
        { name: 'cpu', state: 'active', detail: 'CPU 50% > 15%' },
      ],
    });
    expect(d.verdict.guests[0].notes).toEqual(['timeout: test; ON_AGENT_MISSING=cpu']);
  });

  test('an unknown CPU says it counts as active', () => {
    const d = one(vm(100, agentIs(missing(), [cpu(null)])));
    expect(d.verdict.guests[0].explanation).toBe(
      'agent status unusable (no_file); CPU unknown: counts as active',
    );
  });

  test('TRANSPORT=none (no agent: unavailable) goes through the same fallback', () => {
    const d = one(vm(100, agentIs(noAgent(), [cpu(80)])));
    expect(d.verdict.guests[0]).toMatchObject({
      state: 'active',
      reasons: ['cpu_load'],
      explanation: 'no agent (TRANSPORT=none); CPU 80% > 15%',
    });
  });

  test('an unreadable power state goes through the fallback, CPU unknown → active', () => {
    const d = one(vm(100, { power: 'unknown', powerDetail: 'pvesh failed', signals: [cpu(null)] }));
    expect(d.verdict.guests[0]).toMatchObject({ state: 'active', reasons: ['cpu_unknown'] });
    expect(d.verdict.guests[0].notes[0]).toMatch(/power state unknown: pvesh failed/);
  });

  test('an agent document is not trusted while the power state is unknown', () => {
    const d = one(
      vm(100, { power: 'unknown', powerDetail: 'pvesh failed', ...agentIs(idleFor(3600), [cpu(50)]) }),
    );
    expect(d.verdict.guests[0]).toMatchObject({ state: 'active', basis: 'fallback', reasons: ['cpu_load'] });
  });
});

describe('staleness: seq frozen for AGENT_STALE_SECONDS of host time', () => {
  const seen = (seq: number, since: number) =>
    prevState({
      hostIdleSince: T0 - 60 * MIN,
      guests: {
        'vm:100': {
          idleSince: null,
          lastActiveAt: null,
          lastSeq: seq,
          seqSince: since,
          agentFirstSeenAt: T0 - 60 * MIN,
        },
      },
    });

  test('a seq that has not moved for 120 s makes the status count as missing', () => {
    const d = one(vm(100, agentIs(idleFor(3600, 42), [cpu(90)])), policy('vm:100'), seen(42, T0 - 120_000));
    expect(d.verdict.guests[0]).toMatchObject({ state: 'active', basis: 'fallback', reasons: ['cpu_load'] });
    expect(d.verdict.guests[0].notes[0]).toMatch(/stale: seq 42 has not changed for 120 s/);
  });

  test('a seq that moved is fresh, and the host restarts its staleness clock', () => {
    const d = one(vm(100, agentIs(idleFor(3600, 43))), policy('vm:100'), seen(42, T0 - 600_000));
    expect(d.verdict.guests[0].basis).toBe('agent');
    expect(d.next.guests['vm:100']).toMatchObject({ lastSeq: 43, seqSince: T0 });
  });

  test('a frozen seq younger than the limit is still trusted', () => {
    const d = one(vm(100, agentIs(idleFor(3600, 42))), policy('vm:100'), seen(42, T0 - 60_000));
    expect(d.verdict.guests[0].basis).toBe('agent');
    expect(d.next.guests['vm:100'].seqSince).toBe(T0 - 60_000);
  });

  test("the guest's own clock (written_at in the future) plays no part", () => {
    const future = withStatus(
      idleStatus({ written_at: '2099-01-01T00:00:00Z', seq: 42, idle_seconds: 3600 }),
    );
    const d = one(vm(100, agentIs(future, [cpu(90)])), policy('vm:100'), seen(42, T0 - 300_000));
    expect(d.verdict.guests[0].basis).toBe('fallback');
  });
});

describe('idle timers', () => {
  test("the agent's idle_seconds is clamped to the last wake (rule 25)", () => {
    const d = one(
      vm(100, agentIs(idleFor(7200))),
      policy('vm:100'),
      prevState({ lastWake: T0 - 5 * MIN, hostIdleSince: T0 - 5 * MIN, guests: known('vm:100') }),
    );
    expect(d.verdict.guests[0].idleForSeconds).toBe(300);
    expect(d.verdict.guests[0].notes.join()).toMatch(/counted from the last wake/);
  });

  test('… to the guest start (uptime from Proxmox)', () => {
    const d = one(
      vm(100, { ...agentIs(idleFor(7200)), uptimeSeconds: 600 }),
      policy('vm:100'),
      prevState({ hostIdleSince: T0 - 60 * MIN, guests: known('vm:100') }),
    );
    expect(d.verdict.guests[0].idleForSeconds).toBe(600);
  });

  test('… to when the host first read this agent', () => {
    const d = decide(obs([vm(100, agentIs(idleFor(7200)))]), config([policy('vm:100')]), T0, null);
    expect(d.verdict.guests[0].idleForSeconds).toBe(0);
    expect(d.next.guests['vm:100'].agentFirstSeenAt).toBe(T0);
  });

  test('… and to the last time the host saw the guest active', () => {
    const prev = prevState({
      hostIdleSince: T0 - 60 * MIN,
      guests: {
        'vm:100': {
          idleSince: null,
          lastActiveAt: T0 - MIN,
          lastSeq: 1,
          seqSince: T0 - MIN,
          agentFirstSeenAt: T0 - 60 * MIN,
        },
      },
    });
    const d = one(vm(100, agentIs(idleFor(3600))), policy('vm:100'), prev);
    expect(d.verdict.guests[0].idleForSeconds).toBe(60);
  });

  test('an agent idle streak shorter than what the host saw wins (input between two ticks)', () => {
    const prev = prevState({
      hostIdleSince: T0 - 60 * MIN,
      guests: {
        'vm:100': {
          idleSince: T0 - 30 * MIN,
          lastActiveAt: null,
          lastSeq: 1,
          seqSince: T0 - MIN,
          agentFirstSeenAt: T0 - 60 * MIN,
        },
      },
    });
    const d = one(vm(100, agentIs(idleFor(20))), policy('vm:100'), prev);
    expect(d.verdict.guests[0].idleForSeconds).toBe(20);
  });

  test('per-guest IDLE_TIMEOUT: the slowest guest sets the countdown', () => {
    const d = decide(
      obs([vm(100, agentIs(idleFor(6 * 60))), vm(101, agentIs(idleFor(10 * 60)))]),
      config([policy('vm:100', { idleTimeoutMinutes: 5 }), policy('vm:101', { idleTimeoutMinutes: 30 })]),
      T0,
      prevState({ hostIdleSince: T0 - 60 * MIN, guests: {}, lastWake: null }),
    );
    // First reading of both agents: their streaks count from now, so nothing is due yet.
    expect(d.verdict.sleepDue).toBe(false);
    const prev = prevState({
      hostIdleSince: T0 - 60 * MIN,
      guests: {
        'vm:100': {
          idleSince: null,
          lastActiveAt: null,
          lastSeq: 1,
          seqSince: T0 - MIN,
          agentFirstSeenAt: T0 - 60 * MIN,
        },
        'vm:101': {
          idleSince: null,
          lastActiveAt: null,
          lastSeq: 1,
          seqSince: T0 - MIN,
          agentFirstSeenAt: T0 - 60 * MIN,
        },
      },
    });
    const d2 = decide(
      obs([vm(100, agentIs(idleFor(6 * 60))), vm(101, agentIs(idleFor(10 * 60)))]),
      config([policy('vm:100', { idleTimeoutMinutes: 5 }), policy('vm:101', { idleTimeoutMinutes: 30 })]),
      T0,
      prev,
    );
    expect(d2.verdict.guests.map((g) => g.sleepsInSeconds)).toEqual([0, 20 * 60]);
    expect(d2.verdict.countdownSeconds).toBe(20 * 60);
    expect(d2.reasons).toEqual(['VM 101 (vm101): idle for 10m 00s of 30m 00s']);
  });

  test('sleep is due when every guest and the host checks have been idle long enough', () => {
    const prev = prevState({
      hostIdleSince: T0 - 16 * MIN,
      guests: {
        'vm:100': {
          idleSince: null,
          lastActiveAt: null,
          lastSeq: 1,
          seqSince: T0 - MIN,
          agentFirstSeenAt: T0 - 60 * MIN,
        },
      },
    });
    const d = one(vm(100, agentIs(idleFor(20 * 60))), policy('vm:100'), prev);
    expect(d.verdict).toMatchObject({ idleNow: true, sleepDue: true, countdownSeconds: 0 });
    expect(d.reasons).toEqual([]);
  });

  test('the global threshold applies to the host checks; a fresh host streak starts now', () => {
    const d = decide(obs([]), config([]), T0, null);
    expect(d.verdict.host).toMatchObject({ idleForSeconds: 0, sleepsInSeconds: 15 * 60 });
    expect(d.next.hostIdleSince).toBe(T0);
    expect(d.reasons).toEqual(['host checks: idle for 0s of 15m 00s']);
  });

  test('an active host check clears the host streak', () => {
    const busy = [hostCheck('pty sessions', 'pty_session', 'active', '1 pty login: root pts/0')];
    const d = decide(obs([], busy), config([]), T0, prevState({ hostIdleSince: T0 - 60 * MIN }));
    expect(d.next.hostIdleSince).toBeNull();
    expect(d.reasons).toEqual(['host: pty sessions: 1 pty login: root pts/0']);
  });

  test('host checks run even when no guest is running (rule 17)', () => {
    const busy = [hostCheck('blocking units', 'blocking_unit', 'active', 'active: apt-daily.service')];
    const d = decide(
      obs([vm(100, { power: 'stopped', powerDetail: 'stopped' })], busy),
      config([policy('vm:100')]),
      T0,
      null,
    );
    expect(d.verdict.idleNow).toBe(false);
  });

  test('an unknown or unavailable host check never keeps the host awake (rule 16), but is shown', () => {
    const unknown = [
      hostCheck('sleep inhibitors', 'sleep_inhibitor', 'unknown', 'no D-Bus'),
      hostCheck('blocking units', 'blocking_unit', 'unavailable', 'systemctl is not installed'),
    ];
    const d = decide(obs([], unknown), config([]), T0, prevState({ hostIdleSince: T0 - 60 * MIN }));
    expect(d.verdict.idleNow).toBe(true);
    expect(d.verdict.host.checks).toEqual(unknown);
  });

  test('a fallback-idle guest runs a host-observed timer that continues across ticks', () => {
    const p = policy('vm:100', { onAgentMissing: 'idle' });
    const first = decide(
      obs([vm(100, agentIs(missing()))]),
      config([p]),
      T0,
      prevState({ hostIdleSince: T0 - 60 * MIN }),
    );
    expect(first.next.guests['vm:100'].idleSince).toBe(T0);
    const later = decide(obs([vm(100, agentIs(missing()))]), config([p]), T0 + 10 * MIN, { ...first.next });
    expect(later.verdict.guests[0].idleForSeconds).toBe(600);
  });
});

describe('auto-sleep off, grace period, clock and state guards', () => {
  test('threshold 0 disables auto-sleep: never due, no countdown (rule 15)', () => {
    const d = decide(
      obs([]),
      config([], { idleThresholdMinutes: 0 }),
      T0,
      prevState({ hostIdleSince: T0 - 600 * MIN }),
    );
    expect(d.verdict).toMatchObject({
      autoSleep: 'disabled',
      sleepDue: false,
      countdownSeconds: null,
      idleNow: true,
    });
    expect(d.reasons).toEqual(['auto-sleep is disabled (IDLE_THRESHOLD_MINUTES=0)']);
  });

  test('threshold 0 leaves no guest timer to wait for, whatever its IDLE_TIMEOUT', () => {
    const d = decide(
      obs([vm(100, agentIs(idleFor(60)))]),
      config([policy('vm:100', { idleTimeoutMinutes: 30 })], { idleThresholdMinutes: 0 }),
      T0,
      prevState({ hostIdleSince: T0 - 600 * MIN }),
    );
    expect(d.verdict.guests[0]).toMatchObject({ state: 'idle', timeoutSeconds: 0, sleepsInSeconds: 0 });
    expect(d.verdict).toMatchObject({ autoSleep: 'disabled', sleepDue: false, countdownSeconds: null });
  });

  test('within the wake grace period sleep is declined without re-stamping the wake (rule 28)', () => {
    const wake = T0 - 90_000;
    const d = decide(
      obs([]),
      config([], { idleThresholdMinutes: 1, wakeGraceSeconds: 120 }),
      T0,
      prevState({ lastWake: wake, hostIdleSince: wake }),
    );
    expect(d.verdict).toMatchObject({
      sleepDue: false,
      inWakeGrace: true,
      graceRemainingSeconds: 30,
      countdownSeconds: 30,
    });
    expect(d.next.lastWake).toBe(wake);
    expect(d.reasons).toEqual(['within the wake grace period (30 s left)']);
  });

  test('corrupt stored timers restart every streak, agent-reported ones included (rule 31)', () => {
    const d = one(vm(100, agentIs(idleFor(7200))), policy('vm:100'), {
      ...prevState(),
      corrupt: 'monitor.json is corrupt',
    });
    expect(d.verdict.guests[0].idleForSeconds).toBe(0);
    expect(d.verdict.host.idleForSeconds).toBe(0);
    expect(d.verdict.notes[0]).toMatch(/unusable .*restart/);
  });

  test('a host streak that starts in the future (clock went back) restarts (rule 31)', () => {
    const d = decide(
      obs([]),
      config([]),
      T0,
      prevState({ hostIdleSince: T0 + 10 * MIN, lastTickAt: T0 - MIN }),
    );
    expect(d.next.hostIdleSince).toBe(T0);
    expect(d.verdict.notes.join()).toMatch(/future/);
  });

  test('a host streak that started before the last wake restarts (rule 31)', () => {
    const d = decide(
      obs([]),
      config([]),
      T0,
      prevState({ hostIdleSince: T0 - 60 * MIN, lastWake: T0 - 10 * MIN }),
    );
    expect(d.next.hostIdleSince).toBe(T0);
  });

  test('the clock going back since the last tick restarts host-observed streaks', () => {
    const d = decide(
      obs([]),
      config([]),
      T0,
      prevState({ hostIdleSince: T0 - 60 * MIN, lastTickAt: T0 + 5 * MIN }),
    );
    expect(d.next.hostIdleSince).toBe(T0);
    expect(d.verdict.notes[0]).toMatch(/clock went back/);
  });

  test('a long gap since the last tick (clock jump, or slept outside our control) restarts them', () => {
    const d = decide(
      obs([]),
      config([]),
      T0,
      prevState({ hostIdleSince: T0 - 600 * MIN, lastTickAt: T0 - 120 * MIN }),
    );
    expect(d.next.hostIdleSince).toBe(T0);
    expect(d.verdict.notes[0]).toMatch(/7200 s passed/);
  });

  test('a wake stamp in the future is repaired to now', () => {
    const d = decide(obs([]), config([]), T0, prevState({ lastWake: T0 + 60 * MIN }));
    expect(d.next.lastWake).toBe(T0);
  });

  test('`reset` makes streaks count from the reset, agent ones included', () => {
    const prev = prevState({
      hostIdleSince: null,
      resetAt: T0 - 2 * MIN,
      guests: {
        'vm:100': {
          idleSince: null,
          lastActiveAt: null,
          lastSeq: 1,
          seqSince: T0 - MIN,
          agentFirstSeenAt: T0 - 60 * MIN,
        },
      },
    });
    const d = one(vm(100, agentIs(idleFor(3600))), policy('vm:100'), prev);
    expect(d.verdict.guests[0].idleForSeconds).toBe(120);
  });
});

describe('containers', () => {
  test("the host GPU above the container's threshold keeps it active, whatever its agent says (rule 23)", () => {
    const d = decide(
      obs([ct(200, agentIs(idleFor(3600), [hostGpu(55)]))]),
      config([policy('ct:200')]),
      T0,
      null,
    );
    expect(d.verdict.guests[0]).toMatchObject({
      state: 'active',
      basis: 'agent',
      reasons: ['gpu_active'],
      explanation: 'agent: idle; host GPU 55% > 10%',
    });
  });

  test('an unknown host GPU (no nvidia-smi, vfio) does not', () => {
    const d = decide(
      obs([ct(200, agentIs(idleFor(3600), [hostGpu(null)]))]),
      config([policy('ct:200')]),
      T0,
      null,
    );
    expect(d.verdict.guests[0]).toMatchObject({ state: 'idle', explanation: 'agent: idle' });
  });

  test('without an agent, GAMING_PROCESSES match argv[0] basenames exactly, case-insensitively (rule 19, 20)', () => {
    const p = policy('ct:200', { onAgentMissing: 'idle' });
    const hit = decide(
      obs([ct(200, agentIs(missing(), [gaming(['Steam'], ['bash', 'steam'])]))]),
      config([p]),
      T0,
      null,
    );
    expect(hit.verdict.guests[0]).toMatchObject({ state: 'active', reasons: ['process:steam'] });
    const miss = decide(
      obs([ct(200, agentIs(missing(), [gaming(['Steam'], ['steamwebhelper'])]))]),
      config([p]),
      T0,
      null,
    );
    expect(miss.verdict.guests[0].state).toBe('idle');
    const unreadable = decide(
      obs([ct(200, agentIs(missing(), [gaming(['Steam'], null)]))]),
      config([p]),
      T0,
      null,
    );
    expect(unreadable.verdict.guests[0].state).toBe('idle');
  });

  test('`.exe` is ignored for VMs only', () => {
    const p = policy('vm:100', { onAgentMissing: 'idle' });
    const d = decide(
      obs([vm(100, agentIs(missing(), [gaming(['steam.exe'], ['Steam'], 'vm')]))]),
      config([p]),
      T0,
      null,
    );
    expect(d.verdict.guests[0]).toMatchObject({ state: 'active', reasons: ['process:Steam'] });
    const c = decide(
      obs([ct(200, agentIs(missing(), [gaming(['steam.exe'], ['steam'], 'ct')]))]),
      config([policy('ct:200', { onAgentMissing: 'idle' })]),
      T0,
      null,
    );
    expect(c.verdict.guests[0].state).toBe('idle');
  });
});

test('every reason the host is awake is listed, guests first', () => {
  const busy = [hostCheck('pty sessions', 'pty_session', 'active', 'root pts/0')];
  const d = decide(
    obs(
      [
        vm(100, agentIs(active('gpu_active'))),
        vm(101, agentIs(withStatus(activeStatus(['user_input'])))),
        vm(102),
      ],
      busy,
    ),
    config([policy('vm:100'), policy('vm:101'), policy('vm:102')]),
    T0,
    null,
  );
  expect(d.reasons).toEqual([
    'VM 100 (vm100): agent: gpu_active',
    'VM 101 (vm101): agent: user_input',
    'host: pty sessions: root pts/0',
  ]);
  expect(hostIdle).toHaveLength(1);
});
