/** How the run record is read after a crash: interrupted, awaiting the wake, woke without post-wake, or done. */
import { classifyRun, owedBy, SUSPEND_GRACE_MS, type RunFacts } from '../../../host/sequence/recovery';
import type { RunRecord } from '../../../host/state';

const record = (change: Partial<RunRecord> = {}): RunRecord => ({
  version: 1,
  runId: 'r1',
  command: 'tick',
  owner: { pid: 4242, start: '100', bootId: 'boot-a' },
  phase: 'pre-sleep',
  startedAt: 0,
  updatedAt: 0,
  stopped: { vm_100: 'hibernated' },
  suspend: null,
  resuming: [],
  started: [],
  outcome: null,
  finishedAt: null,
  ...change,
});
const facts = (change: Partial<RunFacts> = {}): RunFacts => ({
  ownerAlive: false,
  bootId: 'boot-a',
  monotonicMs: 1_000_000,
  suspendedTotalS: 50,
  ...change,
});
const mark = { requestedAt: 0, monotonicMs: 1_000_000 - 60_000, suspendedTotalS: 50 };

test('no record, or a finished run: nothing to do', () => {
  expect(classifyRun(null, facts()).kind).toBe('none');
  expect(classifyRun(record({ phase: 'done' }), facts()).kind).toBe('none');
});

test('a live owner is left alone, whatever its phase', () => {
  for (const phase of ['pre-sleep', 'suspend', 'post-wake'] as const)
    expect(classifyRun(record({ phase }), facts({ ownerAlive: true })).kind).toBe('active');
});

test('a dead owner in pre-sleep or post-wake is an interruption; so is any phase across a reboot', () => {
  expect(classifyRun(record(), facts())).toMatchObject({
    kind: 'interrupted',
    why: 'the pre-sleep of tick (pid 4242) was interrupted',
  });
  expect(classifyRun(record({ phase: 'post-wake' }), facts()).kind).toBe('interrupted');
  expect(classifyRun(record({ phase: 'suspend', suspend: mark }), facts({ bootId: 'boot-b' }))).toMatchObject(
    {
      kind: 'interrupted',
      why: expect.stringMatching(/restarted/),
    },
  );
});

test('after an announced suspend: wait for the wake, run a missed post-wake, give up after 10 minutes awake', () => {
  const suspended = record({ phase: 'suspend', suspend: mark, command: 'pre-sleep' });
  expect(classifyRun(suspended, facts()).kind).toBe('awaiting-wake');
  expect(classifyRun(suspended, facts({ suspendedTotalS: 50 + 3600 }))).toMatchObject({
    kind: 'woke',
    sleptS: 3600,
  });
  // Half a second of rounding between the two clocks is no sleep.
  expect(classifyRun(suspended, facts({ suspendedTotalS: 50.5 })).kind).toBe('awaiting-wake');
  expect(
    classifyRun(suspended, facts({ monotonicMs: mark.monotonicMs + SUSPEND_GRACE_MS + 1 })),
  ).toMatchObject({ kind: 'interrupted', why: expect.stringMatching(/did not come within 10 minutes/) });
  // Without the kernel's counter the hook's post-wake is the only sign of a wake.
  expect(
    classifyRun(record({ phase: 'suspend', suspend: { ...mark, suspendedTotalS: null } }), facts()).kind,
  ).toBe('awaiting-wake');
});

test('what an interrupted run owes: what it stopped and what its post-wake was bringing back', () => {
  expect([...owedBy(record({ stopped: { vm_100: 'hibernated' }, resuming: ['ct_200', 'vm_100'] }))]).toEqual([
    'vm_100',
    'ct_200',
  ]);
});
