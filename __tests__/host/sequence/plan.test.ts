/** The planner: 1.x state rules 32–44 as plans (effects as data), and what --dry-run prints of them. */
import { resolveConfig, type HostConfig } from '../../../host/config';
import { planPostWake, planPreSleep, recordsAfter, stepsFor, type Power } from '../../../host/sequence/plan';
import { renderPostWakePlan, renderPreSleepPlan } from '../../../host/cli/render-sequence';
import type { RecordValue } from '../../../host/state';

function config(lines: string[]): HostConfig {
  const loaded = resolveConfig(lines.join('\n'), 'test.conf', {});
  expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return loaded.config;
}

const guest = (c: HostConfig, id: number) => c.guests.find((g) => g.id === id)!;

describe('stepsFor: the chain that puts a running guest away', () => {
  const c = config([
    'VM_IDS="100 101 102 103 104"',
    'CONTAINER_IDS="200 201"',
    'VM_101_TRANSPORT=ssh',
    'VM_101_SSH_TARGET=mac.lan',
    'VM_102_TRANSPORT=none',
    'VM_103_ON_FAILURE=abort',
    'VM_104_SLEEP_ACTION=shutdown',
    'VM_104_SHUTDOWN_TIMEOUT=30',
    'VM_100_HIBERNATE_TIMEOUT=600',
    'CONTAINER_200_SLEEP_ACTION=hibernate',
  ]);

  test('a VM with an agent: the agent, else guest-suspend-disk (one HIBERNATE_TIMEOUT), then shutdown, then a forced stop', () => {
    expect(stepsFor(guest(c, 100))).toEqual([
      { type: 'hibernate', via: 'agent', channel: 'guest-exec', timeoutS: 600 },
      { type: 'hibernate', via: 'qga', timeoutS: 600 },
      { type: 'shutdown', timeoutS: 120 },
      { type: 'stop' },
    ]);
  });

  test('an ssh guest asks its agent over ssh; TRANSPORT=none goes straight to the QEMU guest agent', () => {
    expect(stepsFor(guest(c, 101))[0]).toEqual({
      type: 'hibernate',
      via: 'agent',
      channel: 'ssh',
      timeoutS: 300,
    });
    expect(stepsFor(guest(c, 102)).map((s) => s.type)).toEqual(['hibernate', 'shutdown', 'stop']);
    expect(stepsFor(guest(c, 102))[0]).toMatchObject({ via: 'qga' });
  });

  test('ON_FAILURE=abort never force-stops', () => {
    expect(stepsFor(guest(c, 103)).map((s) => s.type)).toEqual(['hibernate', 'hibernate', 'shutdown']);
  });

  test('shutdown guests and containers (also those set to hibernate) shut down, then stop', () => {
    expect(stepsFor(guest(c, 104))).toEqual([{ type: 'shutdown', timeoutS: 30 }, { type: 'stop' }]);
    expect(stepsFor(guest(c, 200))).toEqual([{ type: 'shutdown', timeoutS: 120 }, { type: 'stop' }]);
    expect(stepsFor(guest(c, 201))).toEqual([{ type: 'shutdown', timeoutS: 120 }, { type: 'stop' }]);
  });
});

describe('planPreSleep', () => {
  const c = config([
    'VM_IDS="100 101 102 103 104 105"',
    'CONTAINER_IDS="200"',
    'VM_101_SLEEP_ACTION=keep_running',
    'VM_102_SLEEP_ACTION=ignore',
    'VM_103_SLEEP_ACTION=keep_running',
    'CONTAINER_200_SLEEP_ACTION=hibernate',
    'SLEEP_PARALLELISM=0',
  ]);
  const power = new Map<string, Power>([
    ['vm_100', 'running'],
    ['vm_101', 'running'],
    ['vm_102', 'running'],
    ['vm_103', 'stopped'],
    ['vm_104', 'stopped'],
    ['vm_105', 'running'],
    ['ct_200', 'running'],
  ]);
  const records = new Map<string, RecordValue>([
    ['vm_103', 'hibernated'], // kept off through a keep_running cycle (rule 41)
    ['vm_105', 'shutdown'], // the user started it since (rule 42)
    ['vm_300', 'was_shutdown'], // removed from the configuration, still owed (rule 41)
    ['vm_301', 'not_running'], // removed, nothing owed
  ]);
  const plan = planPreSleep({ guests: c.guests, sleepParallelism: 0, power, records });
  const byId = (id: number) => plan.guests.find((g) => g.id === id)!;

  test('who is acted on, who is left and what is recorded for them', () => {
    expect(
      plan.guests.map((g) => [g.key, g.decision, g.decision === 'leave' ? g.record : g.steps[0].type]),
    ).toEqual([
      ['vm_100', 'act', 'hibernate'],
      ['vm_101', 'leave', 'kept_running'],
      ['vm_102', 'leave', 'ignored'],
      ['vm_103', 'leave', 'hibernated'],
      ['vm_104', 'leave', 'not_running'],
      ['vm_105', 'act', 'hibernate'],
      ['ct_200', 'act', 'shutdown'],
    ]);
  });

  test('pending resumes: kept while stopped, dropped once the user started the guest, carried when unconfigured', () => {
    expect(byId(103).notes).toEqual(['still owed a resume (hibernated): kept']);
    expect(byId(105).notes).toEqual(['the resume owed (shutdown) is dropped: the guest was started since']);
    expect(plan.carried).toEqual([{ key: 'vm_300', value: 'was_shutdown' }]);
    expect(plan.dropped).toEqual([{ key: 'vm_301', value: 'not_running' }]);
  });

  test('containers set to hibernate are shut down, with a note; parallelism 0 means all acting guests at once', () => {
    expect(byId(200).notes).toEqual(['containers cannot hibernate: shut down instead']);
    expect(plan.parallelism).toBe(3);
  });

  test('an unknown power state is acted on, but read again first (and a pending record is not dropped yet)', () => {
    const p = planPreSleep({
      guests: c.guests.slice(0, 1),
      sleepParallelism: 2,
      power: new Map(),
      records: new Map(),
    });
    expect(p.guests[0]).toMatchObject({ decision: 'act', power: 'unknown' });
    expect(p.guests[0].notes[0]).toMatch(/power state unknown/);
    expect(p.parallelism).toBe(2);
  });

  test('recordsAfter: what a post-wake would find if every step succeeded first time', () => {
    expect(Object.fromEntries(recordsAfter(plan))).toEqual({
      vm_300: 'was_shutdown',
      vm_100: 'hibernated',
      vm_101: 'kept_running',
      vm_102: 'ignored',
      vm_103: 'hibernated',
      vm_104: 'not_running',
      vm_105: 'hibernated',
      ct_200: 'shutdown',
    });
  });

  test('--dry-run text', () => {
    const text = renderPreSleepPlan(plan);
    expect(text).toMatch(/^Pre-sleep plan \(3 guests at a time\):/);
    expect(text).toMatch(
      /VM 100 \(vm-100\)\s+running\s+hibernation by its agent \(guest exec\) → hibernation by guest-suspend-disk, up to 300 s → a graceful shutdown, up to 120 s → a forced stop/,
    );
    expect(text).toMatch(/VM 101 \(vm-101\)\s+running\s+keeps running \(keep_running\)/);
    expect(text).toMatch(/VM 103 \(vm-103\)\s+stopped\s+stopped, still owed a resume: stays hibernated/);
    expect(text).toMatch(/vm_300: no longer configured, still owed a resume \(was_shutdown\): kept/);
  });
});

describe('planPostWake', () => {
  const c = config([
    'VM_IDS="100 101 102"',
    'CONTAINER_IDS="200"',
    'VM_101_RESUME_ON_WAKE=0',
    'VM_102_HIBERNATE_TIMEOUT=20',
    'SLEEP_PARALLELISM=2',
    'WAKE_DELAY=7',
  ]);
  const records = new Map<string, RecordValue>([
    ['vm_300', 'hibernated'],
    ['ct_200', 'shutdown'],
    ['vm_102', 'hibernated'],
    ['vm_101', 'hibernated'],
    ['vm_100', 'was_shutdown'],
    ['vm_104', 'kept_running'],
  ]);

  test('every resumable record is started, in configuration order, unconfigured ones last; others dropped', () => {
    const plan = planPostWake({
      guests: c.guests,
      records,
      scope: 'all',
      wakeDelayS: 7,
      sleepParallelism: 2,
    });
    expect(plan.resume.map((r) => [r.key, r.recorded, r.configured])).toEqual([
      ['vm_100', 'was_shutdown', true],
      ['vm_102', 'hibernated', true],
      ['ct_200', 'shutdown', true],
      ['vm_300', 'hibernated', false],
    ]);
    expect(plan.drop).toEqual([
      { key: 'vm_101', value: 'hibernated', why: 'RESUME_ON_WAKE=0: stays stopped' },
      { key: 'vm_104', value: 'kept_running', why: 'not stopped by this tool' },
    ]);
    expect(plan).toMatchObject({ wakeDelayS: 7, parallelism: 2 });
  });

  test('late hibernation: 60 s at most after a wake, the whole timeout after an interruption; clock sync for hibernated VMs', () => {
    const wake = planPostWake({
      guests: c.guests,
      records,
      scope: 'all',
      wakeDelayS: 0,
      sleepParallelism: 0,
    });
    const get = (p: typeof wake, key: string) => p.resume.find((r) => r.key === key)!;
    expect(get(wake, 'vm_100')).toMatchObject({ lateStopWaitS: 60, syncClock: false });
    expect(get(wake, 'vm_102')).toMatchObject({ lateStopWaitS: 20, syncClock: true, clockSyncWaitS: 20 });
    expect(get(wake, 'ct_200')).toMatchObject({ lateStopWaitS: 60, syncClock: false });
    expect(wake.parallelism).toBe(4);
    const broken = planPostWake({
      guests: c.guests,
      records,
      scope: new Set(['vm_100', 'vm_101']),
      wakeDelayS: 0,
      sleepParallelism: 1,
      interrupted: true,
    });
    expect(broken.resume.map((r) => [r.key, r.lateStopWaitS])).toEqual([['vm_100', 120]]);
    expect(broken.drop.map((d) => d.key)).toEqual(['vm_101']);
  });

  test('--dry-run text', () => {
    const text = renderPostWakePlan(
      planPostWake({ guests: c.guests, records, scope: 'all', wakeDelayS: 7, sleepParallelism: 2 }),
    );
    expect(text).toMatch(/^Post-wake plan: wait 7 s \(WAKE_DELAY\), then start 4 guests, 2 at a time:/);
    expect(text).toMatch(/VM 102 \(vm-102\)\s+hibernated\s+start, then sync its clock/);
    expect(text).toMatch(
      /VM 300 \(vm-300\)\s+hibernated\s+start, then sync its clock \(no longer configured\)/,
    );
    expect(text).toMatch(/vm_101: RESUME_ON_WAKE=0: stays stopped \(record removed\)/);
    expect(
      renderPostWakePlan(
        planPostWake({ guests: [], records: new Map(), scope: 'all', wakeDelayS: 5, sleepParallelism: 2 }),
      ),
    ).toBe('Post-wake plan: no guest to start.\n');
  });
});
