/**
 * The fault matrix, end to end: the real CLI against the lab's Proxmox emulation, with guests that take too
 * long to hibernate, ignore ACPI, have a dead agent, hang `qm`, fail to start, are started by the user in
 * between, and a CLI killed with SIGKILL in the middle of pre-sleep and of post-wake. After each, every guest
 * is back, or recorded for `resume` (and `resume` then brings it back).
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { createSequenceLab, type SequenceLab } from '../helpers/sequence-lab';

jest.setTimeout(60000);

let t: SequenceLab;
beforeEach(() => (t = createSequenceLab()));
afterEach(() => t.cleanup());

const power = (id: number) => t.lab.guest(id)?.status;
const events = (id: number) =>
  t.lab
    .events()
    .filter((e) => e.id === id)
    .map((e) => e.event);

test('pre-sleep faults (hibernate timeout, ignored ACPI, dead agent, hung qm): every guest ends stopped and recorded; resume brings each back once', async () => {
  await t.lab.addVm(301, { backend: 'light', behaviour: { hibernateSeconds: 60, shutdownSeconds: 1 } });
  await t.lab.addVm(302, { agent: false, behaviour: { ignoresShutdown: true } });
  await t.lab.addVm(303, { backend: 'light', light: { agentDead: true }, behaviour: { shutdownSeconds: 1 } });
  await t.lab.addVm(304, { agent: false, behaviour: { hang: ['shutdown'] } });
  const conf = t.config([
    'VM_IDS="301 302 303 304"',
    'VM_301_TRANSPORT=qga-exec',
    'VM_302_TRANSPORT=none',
    'VM_303_TRANSPORT=qga-exec',
    'VM_304_SLEEP_ACTION=shutdown',
    'VM_304_SHUTDOWN_TIMEOUT=1',
    'SLEEP_PARALLELISM=0',
  ]);

  const down = await t.cli(['hibernate'], conf);
  expect(down.stdout).toMatch(/VM 301 \(vm-301\)\s+shut down in \d+ s \(gracefully\)/);
  expect(down.stdout).toMatch(/VM 302 \(vm-302\)\s+stopped by force/);
  expect(down.stdout).toMatch(/VM 303 \(vm-303\)\s+shut down/);
  expect(down.stdout).toMatch(/VM 304 \(vm-304\)\s+stopped by force/);
  expect(down.code).toBe(1); // forced stops are failures of a manual hibernate (1.x: was_shutdown = rc 1)
  expect(down.stderr).toMatch(
    /VM 301 \(vm-301\): falling back to a graceful shutdown: it did not finish hibernating within 3 s/,
  );
  expect(down.stderr).toMatch(
    /VM 303 \(vm-303\): falling back to a graceful shutdown: the QEMU guest agent does not answer/,
  );
  expect(t.records()).toEqual({
    vm_301: 'shutdown',
    vm_302: 'was_shutdown',
    vm_303: 'shutdown',
    vm_304: 'was_shutdown',
  });
  for (const id of [301, 302, 303, 304]) expect(power(id)).toBe('stopped');
  expect(events(301)).toEqual(['hibernate-requested', 'shutdown-requested', 'shut-down']);
  expect(events(302)).toEqual(['shutdown-ignored', 'stopped']);
  expect(events(303)).toEqual(['shutdown-requested', 'shut-down']);
  // The hung `qm shutdown` was killed at its deadline; nothing of it is left running.
  expect(t.callsOf('qm', 'shutdown', 304)).toEqual([expect.objectContaining({ end: null })]);

  const back = await t.cli(['resume'], conf);
  expect(back.code).toBe(0);
  expect(back.stdout).toMatch(
    /Back: VM 301 \(vm-301\), VM 302 \(vm-302\), VM 303 \(vm-303\), VM 304 \(vm-304\)\./,
  );
  for (const id of [301, 302, 303, 304]) {
    expect(power(id)).toBe('running');
    expect(t.callsOf('qm', 'start', id)).toHaveLength(1);
  }
  expect(t.records()).toEqual({});
  expect(existsSync(path.join(t.stateDir, 'sleep-manager.state'))).toBe(false);
});

test('a guest that fails to start keeps its record (exit 1) until resume brings it back', async () => {
  await t.lab.addVm(311, { agent: false, behaviour: { startFailures: 1, shutdownSeconds: 0.3 } });
  // 312's QEMU process outlives its stop by a second: it only counts as stopped once that is gone.
  await t.lab.addVm(312, {
    agent: false,
    kvm: true,
    behaviour: { shutdownSeconds: 0.3, qemuLingerSeconds: 1 },
  });
  const conf = t.config(['VM_IDS="311 312"', 'VM_311_TRANSPORT=none', 'VM_312_TRANSPORT=none']);
  expect((await t.cli(['hibernate'], conf)).code).toBe(0);
  expect(t.records()).toEqual({ vm_311: 'shutdown', vm_312: 'shutdown' });
  const stoppedAt = t.lab.events().find((e) => e.id === 312 && e.event === 'shut-down')!.at;
  const readings = t.lab
    .calls()
    .filter((c) => c.tool === 'pvesh' && c.argv[1]?.endsWith('/312/status/current') && c.start > stoppedAt);
  // The three readings that confirmed the stop were all taken after the QEMU process was gone.
  expect(readings.length).toBeGreaterThanOrEqual(3);
  for (const c of readings.slice(-3)) expect(c.start).toBeGreaterThanOrEqual(stoppedAt + 1000);

  const wake = await t.cli(['post-wake'], conf);
  expect(wake.code).toBe(1);
  expect(wake.stdout).toMatch(/VM 311 \(vm-311\)\s+FAILED to start: .*start failed: QEMU exited with code 1/);
  expect(wake.stdout).toMatch(/Not back: VM 311 \(vm-311\) \(run `proxmox-sleep resume` to try again\)/);
  expect(t.records()).toEqual({ vm_311: 'shutdown' });
  expect(power(312)).toBe('running');
  expect(readFileSync(path.join(t.stateDir, 'idle-monitor.wake'), 'utf8')).toMatch(/^[0-9]+\n$/);

  const status = await t.cli(['status'], conf);
  expect(status.stdout).toMatch(/Last sleep sequence: post-wake, .*: post-wake done/);
  expect(status.stdout).toMatch(/Pending resumes: vm_311 \(shutdown\); `proxmox-sleep resume` starts them/);
  // A tick does not fight over it: a failed resume after a finished post-wake is left for `resume`.
  expect((await t.cli(['tick'], conf)).code).toBe(0);
  expect(t.callsOf('qm', 'start', 311)).toHaveLength(1);

  const again = await t.cli(['resume'], conf);
  expect(again.code).toBe(0);
  expect(again.stdout).toMatch(/Back: VM 311 \(vm-311\)\./);
  expect(power(311)).toBe('running');
  expect(t.records()).toEqual({});
  expect(t.callsOf('qm', 'start', 312)).toHaveLength(1);
});

test('kill -9 during pre-sleep: the next tick brings back every guest the killed run stopped, and only those', async () => {
  await t.lab.addVm(321, { backend: 'light', behaviour: { hibernateSeconds: 1.5 } });
  await t.lab.addVm(322, { agent: false, behaviour: { shutdownSeconds: 2 } });
  await t.lab.addVm(323, { agent: false, status: 'stopped' });
  const conf = t.config([
    'VM_IDS="321 322 323"',
    'VM_321_TRANSPORT=qga-exec',
    'VM_322_TRANSPORT=none',
    'VM_323_TRANSPORT=none',
    'SHUTDOWN_TIMEOUT=6',
    'SLEEP_PARALLELISM=0',
  ]);
  const run = t.spawnCli(['hibernate'], conf);
  await t.waitFor('both guests on their way down', () => {
    const stopped = t.runRecord()?.stopped ?? {};
    return (
      stopped.vm_321 === 'hibernated' &&
      stopped.vm_322 === 'shutdown' &&
      events(322).includes('shutdown-requested')
    );
  });
  run.kill('SIGKILL');
  await run.done;
  expect(t.records()).toEqual({ vm_323: 'not_running', vm_321: 'hibernated', vm_322: 'shutdown' });
  expect(t.runRecord()).toMatchObject({ phase: 'pre-sleep', command: 'hibernate' });

  const tick = await t.cli(['tick'], conf);
  expect(tick.code).toBe(0);
  expect(tick.stderr).toMatch(
    /interrupted sleep sequence: the pre-sleep of hibernate \(pid \d+\) was interrupted/,
  );
  // Both were still on their way down: the recovery waited for each to finish, then started it, once.
  expect(events(321)).toEqual(['hibernate-requested', 'hibernated', 'resumed']);
  expect(events(322)).toEqual(['shutdown-requested', 'shut-down', 'started']);
  for (const id of [321, 322]) {
    expect(power(id)).toBe('running');
    expect(t.callsOf('qm', 'start', id)).toHaveLength(1);
  }
  // 323 was not running before: it is not started.
  expect(power(323)).toBe('stopped');
  expect(t.callsOf('qm', 'start', 323)).toHaveLength(0);
  expect(t.records()).toEqual({ vm_323: 'not_running' });
  expect(t.runRecord()).toMatchObject({ phase: 'done' });
  // A second tick finds nothing to do.
  expect((await t.cli(['tick'], conf)).stderr).not.toMatch(/interrupted/);
});

test('kill -9 during post-wake: resume finishes it; a guest already started is not started again', async () => {
  await t.lab.addVm(331, { agent: false, behaviour: { shutdownSeconds: 0.3 } });
  await t.lab.addVm(332, { agent: false, behaviour: { shutdownSeconds: 0.3 } });
  const conf = t.config([
    'VM_IDS="331 332"',
    'VM_331_TRANSPORT=none',
    'VM_332_TRANSPORT=none',
    'SLEEP_PARALLELISM=1',
  ]);
  expect((await t.cli(['hibernate'], conf)).code).toBe(0);
  t.lab.update(332, { behaviour: { hang: ['start'] } });

  const wake = t.spawnCli(['post-wake'], conf);
  await t.waitFor('the start of 332 to hang', () => t.callsOf('qm', 'start', 332).length === 1);
  wake.kill('SIGKILL');
  await wake.done;
  const hung = t.lab.calls().find((c) => c.tool === 'qm' && c.argv[0] === 'start' && c.argv[1] === '332');
  if (hung) process.kill(hung.pid, 'SIGKILL');
  expect(power(331)).toBe('running');
  expect(t.records()).toEqual({ vm_332: 'shutdown' });
  expect(t.runRecord()).toMatchObject({ phase: 'post-wake', started: ['vm_331', 'vm_332'] });

  t.lab.update(332, { behaviour: { hang: [] } });
  const resume = await t.cli(['resume'], conf);
  expect(resume.code).toBe(0);
  expect(resume.stdout).toMatch(/Took over: the post-wake of post-wake \(pid \d+\) was interrupted/);
  expect(power(332)).toBe('running');
  expect(t.callsOf('qm', 'start', 331)).toHaveLength(1);
  expect(t.callsOf('qm', 'start', 332)).toHaveLength(2);
  expect(t.records()).toEqual({});
});

test('ON_FAILURE=abort mid-run: the host does not sleep, every guest stopped in this run is started again, the verdict names the guest', async () => {
  await t.lab.addVm(341, { agent: false, behaviour: { shutdownSeconds: 0.3 } });
  await t.lab.addVm(342, { agent: false, behaviour: { ignoresShutdown: true } });
  await t.lab.addVm(343, { agent: false, behaviour: { shutdownSeconds: 0.3 } });
  const conf = t.config([
    'VM_IDS="341 342 343"',
    'VM_341_TRANSPORT=none',
    'VM_342_TRANSPORT=none',
    'VM_343_TRANSPORT=none',
    'VM_342_NAME=stubborn',
    'VM_342_ON_FAILURE=abort',
    'VM_342_SHUTDOWN_TIMEOUT=1',
    'SLEEP_PARALLELISM=1',
  ]);
  t.enableHook(conf);
  const run = await t.cli(['sleep-now'], conf);
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/VM 341 \(vm-341\)\s+shut down/);
  expect(run.stdout).toMatch(/VM 342 \(stubborn\)\s+FAILED: shutdown failed/);
  expect(run.stdout).toMatch(/VM 343 \(vm-343\)\s+sleep called off: VM 342 \(stubborn\) failed/);
  expect(run.stdout).toMatch(
    /Sleep called off: VM 342 \(stubborn\) could not be put to sleep \(ON_FAILURE=abort\)/,
  );
  expect(run.stdout).toMatch(/Started again:\n\s+VM 341 \(vm-341\)\s+started/);
  expect(t.lab.suspends()).toEqual([]); // systemctl suspend was never called
  expect(events(342)).toEqual(['shutdown-ignored']); // never forced down
  for (const id of [341, 342, 343]) expect(power(id)).toBe('running');
  expect(t.callsOf('qm', 'shutdown', 343)).toHaveLength(0);
  expect(t.records()).toEqual({});
  expect(t.runRecord()).toMatchObject({ phase: 'done', outcome: expect.stringMatching(/stubborn/) });
});

test('1.x records are honoured: a pending resume survives later cycles and config removal, is dropped when the user started the guest, RESUME_ON_WAKE=0 keeps a guest off', async () => {
  await t.lab.addVm(351, { agent: false, status: 'stopped' });
  await t.lab.addVm(352, { agent: false, status: 'stopped' });
  await t.lab.addVm(353, { agent: false, behaviour: { shutdownSeconds: 0.3 } });
  await t.lab.addVm(354, { agent: false, status: 'stopped' });
  await t.lab.addVm(355, { agent: false, behaviour: { shutdownSeconds: 0.3 } });
  // Written by the 1.x bash release before the upgrade (its exact format).
  const { mkdirSync } = await import('fs');
  mkdirSync(t.stateDir, { mode: 0o755 });
  writeFileSync(
    path.join(t.stateDir, 'sleep-manager.state'),
    'vm_351=was_shutdown\nvm_352=was_shutdown\nvm_353=shutdown\nvm_354=shutdown\n',
  );
  const conf = t.config([
    'VM_IDS="351 353 354 355"', // 352 was removed from the configuration
    'VM_351_SLEEP_ACTION=keep_running',
    'VM_354_RESUME_ON_WAKE=0',
    'VM_351_TRANSPORT=none',
    'VM_353_TRANSPORT=none',
    'VM_354_TRANSPORT=none',
    'VM_355_TRANSPORT=none',
  ]);
  const plan = await t.cli(['hibernate', '--dry-run'], conf);
  expect(plan.stdout).toMatch(
    /VM 351 \(vm-351\)\s+stopped\s+stopped, still owed a resume: stays was_shutdown/,
  );
  expect(plan.stdout).toMatch(/vm_352: no longer configured, still owed a resume \(was_shutdown\): kept/);
  expect(plan.stdout).toMatch(
    /VM 353 \(vm-353\): the resume owed \(shutdown\) is dropped: the guest was started since/,
  );

  expect((await t.cli(['hibernate'], conf)).code).toBe(0);
  expect(t.records()).toEqual({
    vm_351: 'was_shutdown',
    vm_354: 'shutdown',
    vm_352: 'was_shutdown',
    vm_353: 'shutdown',
    vm_355: 'shutdown',
  });
  // The user starts 355 again before the wake: post-wake finds it running and leaves it (rule 43).
  t.lab.userStart(355);
  const wake = await t.cli(['post-wake'], conf);
  expect(wake.code).toBe(0);
  expect(wake.stdout).toMatch(/VM 355 \(vm-355\)\s+was running \(it was running already/);
  expect(wake.stdout).toMatch(/vm_354: RESUME_ON_WAKE=0: stays stopped/);
  for (const id of [351, 352, 353, 355]) expect(power(id)).toBe('running');
  expect(power(354)).toBe('stopped');
  expect(t.callsOf('qm', 'start', 355)).toHaveLength(0);
  expect(t.records()).toEqual({});
});
