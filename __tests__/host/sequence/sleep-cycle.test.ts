/**
 * Whole sleep cycles on the lab: `sleep-now` with the emulated `systemctl suspend` running the real sleep
 * hook unit around the sleep (systemd's order: suspend returns, hook ExecStart, sleep, wake, hook ExecStop),
 * a suspend started by someone else (the hook does the work), a refused suspend, and parallelism proven by
 * overlapping intervals of the recorded `qm` calls.
 */
import { spawnSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { createSequenceLab, maxOverlap, type SequenceLab } from '../helpers/sequence-lab';

jest.setTimeout(60000);

let t: SequenceLab;
beforeEach(() => (t = createSequenceLab()));
afterEach(() => t.cleanup());

const events = (id: number) =>
  t.lab
    .events()
    .filter((e) => e.id === id)
    .map((e) => e.event);
const suspendLog = () =>
  t.lab.suspends().map((s) => (s.exit !== undefined ? `${s.event} ${s.exit}` : s.event));
const wakeStamp = () => path.join(t.stateDir, 'idle-monitor.wake');

async function threeGuests(): Promise<string> {
  await t.lab.addVm(401, { name: 'desk', backend: 'light', behaviour: { hibernateSeconds: 0.5 } });
  await t.lab.addVm(402, { agent: false, behaviour: { shutdownSeconds: 0.3 } });
  t.lab.addContainer(403, { behaviour: { shutdownSeconds: 0.3 } });
  t.lab.host({ suspend: { seconds: 0.5 } });
  return t.config([
    'VM_IDS="401 402"',
    'CONTAINER_IDS=403',
    'VM_401_NAME=desk',
    'VM_401_TRANSPORT=qga-exec',
    'VM_402_TRANSPORT=none',
    'CONTAINER_403_TRANSPORT=none',
    'SLEEP_PARALLELISM=0',
  ]);
}

test('sleep-now: guests down, suspend, the hook only takes note, guests back exactly once; the same with a blocking systemctl', async () => {
  const conf = await threeGuests();
  t.enableHook(conf);

  const first = await t.cli(['sleep-now'], conf);
  expect(first.stderr).not.toMatch(/ERROR/);
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/VM 401 \(desk\)\s+hibernated in \d+ s \(by its agent\)/);
  expect(first.stdout).toMatch(/Suspend: the sleep hook saw the host wake/);
  expect(first.stdout).toMatch(/Back: VM 401 \(desk\), VM 402 \(vm-402\), container 403 \(ct-403\)\./);
  expect(suspendLog()).toEqual([
    'requested',
    'hook ExecStart',
    'hook ExecStart done 0',
    'sleep',
    'wake',
    'hook ExecStop',
    'hook ExecStop done 0',
  ]);
  expect(events(401)).toEqual(['hibernate-requested', 'hibernated', 'resumed']);
  expect(events(402)).toEqual(['shutdown-requested', 'shut-down', 'started']);
  expect(events(403)).toEqual(['shutdown-requested', 'shut-down', 'started']);
  const run = t.runRecord();
  expect(run).toMatchObject({
    command: 'sleep-now',
    phase: 'done',
    outcome: expect.stringMatching(/^slept and woke/),
  });
  const hook = JSON.parse(readFileSync(path.join(t.stateDir, 'sleep-hook.json'), 'utf8'));
  expect(hook).toMatchObject({ pre: { runId: run?.runId }, post: { runId: run?.runId } });
  // The wake is stamped after the sleep, not before it.
  const wake = Number(readFileSync(wakeStamp(), 'utf8')) * 1000;
  expect(wake).toBeGreaterThanOrEqual(
    Math.floor(t.lab.suspends().find((s) => s.event === 'wake')!.at / 1000) * 1000,
  );
  expect(t.records()).toEqual({});
  const log = readFileSync(path.join(t.work, 'sleep-manager.log'), 'utf8');
  expect(log).toMatch(
    /INFO {2}host:sequence: VM 401 \(desk\): hibernate requested \(agent: Hibernation initiated\)/,
  );

  // systemctl that returns only after the wake (as the previous release assumed): the same outcome.
  t.lab.host({ suspend: { mode: 'blocking' } });
  const second = await t.cli(['sleep-now'], conf);
  expect(second.code).toBe(0);
  for (const id of [401, 402]) expect(t.callsOf('qm', 'start', id)).toHaveLength(2);
  expect(t.callsOf('pct', 'start', 403)).toHaveLength(2);
  expect(suspendLog().filter((e) => e === 'hook ExecStop done 0')).toHaveLength(2);
});

test('a suspend started by someone else: the hook unit runs pre-sleep and post-wake itself', async () => {
  const conf = await threeGuests();
  t.enableHook(conf);
  t.lab.host({ suspend: { mode: 'blocking' } });
  const r = spawnSync('systemctl', ['suspend'], { env: t.env(conf), encoding: 'utf8' });
  expect(r.status).toBe(0);
  expect(suspendLog()).toEqual([
    'requested',
    'hook ExecStart',
    'hook ExecStart done 0',
    'sleep',
    'wake',
    'hook ExecStop',
    'hook ExecStop done 0',
  ]);
  for (const id of [401, 402, 403]) expect(t.lab.guest(id)?.status).toBe('running');
  expect(events(401)).toEqual(['hibernate-requested', 'hibernated', 'resumed']);
  // Every guest went down before the sleep and came back after the wake.
  const sleepAt = t.lab.suspends().find((s) => s.event === 'sleep')!.at;
  const wakeAt = t.lab.suspends().find((s) => s.event === 'wake')!.at;
  for (const e of t.lab.events()) {
    if (['hibernated', 'shut-down'].includes(e.event)) expect(e.at).toBeLessThanOrEqual(sleepAt);
    if (['resumed', 'started'].includes(e.event)) expect(e.at).toBeGreaterThanOrEqual(wakeAt);
  }
  expect(t.runRecord()).toMatchObject({ command: 'pre-sleep', phase: 'done', outcome: 'post-wake done' });
  expect(existsSync(wakeStamp())).toBe(true);
  expect(t.records()).toEqual({});
});

test('a refused suspend: nothing is stamped, the guests this run stopped come back, exit 1', async () => {
  const conf = await threeGuests();
  t.lab.host({ suspend: { fails: true } });
  const r = await t.cli(['sleep-now'], conf);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/Suspend: systemctl suspend failed: [^]*not supported/);
  expect(existsSync(wakeStamp())).toBe(false);
  for (const id of [401, 402, 403]) expect(t.lab.guest(id)?.status).toBe('running');
  expect(t.records()).toEqual({});
  expect(t.runRecord()).toMatchObject({ outcome: expect.stringMatching(/^did not sleep/) });
});

test('SLEEP_PARALLELISM: recorded qm shutdown intervals overlap 2 or 3 at a time, and qm start intervals 2 at a time', async () => {
  const ids = [411, 412, 413];
  for (const id of ids)
    await t.lab.addVm(id, { agent: false, behaviour: { shutdownSeconds: 0.8, startSeconds: 0.8 } });
  const shutdownsSince = (since: number) =>
    ids.flatMap((id) => t.callsOf('qm', 'shutdown', id)).filter((c) => c.start >= since);
  const config = (parallelism: string) =>
    t.config(
      [
        `VM_IDS="${ids.join(' ')}"`,
        ...ids.flatMap((id) => [`VM_${id}_TRANSPORT=none`, `VM_${id}_SLEEP_ACTION=shutdown`]),
        `SLEEP_PARALLELISM=${parallelism}`,
      ],
      `p${parallelism}.conf`,
    );
  const seen: Record<string, number> = {};
  for (const parallelism of ['0', '2']) {
    const since = Date.now();
    expect((await t.cli(['hibernate'], config(parallelism))).code).toBe(0);
    seen[parallelism] = maxOverlap(shutdownsSince(since));
    if (parallelism !== '2') for (const id of ids) t.lab.userStart(id);
  }
  expect(seen).toEqual({ '0': 3, '2': 2 });
  expect((await t.cli(['resume'], config('2'))).code).toBe(0);
  expect(maxOverlap(ids.flatMap((id) => t.callsOf('qm', 'start', id)))).toBe(2);
});
