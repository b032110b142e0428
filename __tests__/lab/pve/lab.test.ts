/**
 * The lab's Proxmox emulation itself: light guests run real processes only while running, timed
 * transitions happen without anyone asking, the host's systemctl answers from the lab's settings, and the
 * real agent runs inside a container through `pct exec`.
 */
import { spawnSync } from 'child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { createLabPve, type LabPve } from '../../../lab/pve/lab';
import { isAlive } from '../../../lab/pve/processes';

jest.setTimeout(30000);

let lab: LabPve;
beforeEach(() => (lab = createLabPve()));
afterEach(() => lab.cleanup());

const run = (cmd: string, args: string[]) =>
  spawnSync(cmd, args, { env: { ...process.env, ...lab.env }, encoding: 'utf8' });
async function until(what: string, check: () => boolean, ms = 10000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('a light guest runs a real qemu-ga and a real agent daemon while it runs, none while stopped', async () => {
  const g = await lab.addVm(900, { backend: 'light', light: { agentDaemon: true }, kvm: true });
  const status = path.join(lab.guestDir(900), 'status.json');
  await until('the agent daemon to write its status', () => existsSync(status));
  expect(JSON.parse(readFileSync(status, 'utf8'))).toMatchObject({ schema: 1, agent: { variant: 'daemon' } });
  const pids = lab.guest(900)!.pids!;
  expect([pids.qga, pids.agent, pids.kvm].every((p) => isAlive(p))).toBe(true);
  expect(run('qm', ['guest', 'cmd', '900', 'ping']).status).toBe(0);

  expect(run('qm', ['stop', '900']).status).toBe(0);
  await until('its processes to end', () => ![pids.qga, pids.agent, pids.kvm].some((p) => isAlive(p)));
  expect(run('qm', ['guest', 'cmd', '900', 'ping']).stderr).toMatch(/VM 900 is not running/);
  expect(run('qm', ['start', '900']).status).toBe(0);
  await until('qemu-ga to answer again', () => run('qm', ['guest', 'cmd', '900', 'ping']).status === 0);
  expect(g.qga).toBe(path.join(lab.socketDir, '900.qga'));
});

test('timed transitions happen on time without anyone asking: the user starts a stopped guest again', async () => {
  await lab.addVm(901, { agent: false, behaviour: { userStartsAfterSeconds: 0.5 } });
  expect(run('qm', ['stop', '901']).status).toBe(0);
  expect(run('qm', ['status', '901']).stdout).toBe('status: stopped\n');
  await until('the user start', () => lab.events().some((e) => e.id === 901 && e.event === 'started'));
  expect(lab.events().find((e) => e.event === 'started')).toMatchObject({ detail: 'the user' });
  expect(run('qm', ['status', '901']).stdout).toBe('status: running\n');
});

test('the host systemctl: is-active from the lab settings; other verbs fail as without systemd', () => {
  expect(run('systemctl', ['is-active', '--quiet', 'apt-daily.service']).status).toBe(3);
  lab.host({ activeUnits: ['apt-daily.service'] });
  const r = run('systemctl', ['is-active', 'apt-daily.service']);
  expect([r.status, r.stdout]).toEqual([0, 'active\n']);
  expect(run('systemctl', ['list-units']).stderr).toMatch(/System has not been booted with systemd/);
});

test("pct exec runs the real agent inside a container, on the container's own files", () => {
  lab.addContainer(902);
  const r = run('pct', [
    'exec',
    '902',
    '--',
    'proxmox-sleep-agent',
    'notify',
    '--message',
    'sleep soon',
    '--seconds',
    '30',
  ]);
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ success: true });
  expect(readFileSync(path.join(lab.guestDir(902), 'wall.log'), 'utf8')).toContain('sleep soon');
});

test("a light container runs a real agent daemon writing into its root filesystem, with the guest's PATH and environment", async () => {
  const tools = path.join(lab.dir, 'tools');
  mkdirSync(tools);
  writeFileSync(path.join(tools, 'nvidia-smi'), '#!/bin/sh\necho "$LAB_GPU"\n', { mode: 0o755 });
  writeFileSync(
    path.join(lab.guestDir(903), 'agent.json'),
    JSON.stringify({ intervalSeconds: 1, checks: { gpu: { vendor: 'nvidia' } } }),
  );
  lab.addContainer(903, {
    backend: 'light',
    light: { agentDaemon: true, path: [tools], env: { LAB_GPU: '77' } },
  });
  const status = path.join(lab.dir, 'ct', '903', 'run', 'proxmox-sleep-agent', 'status.json');
  await until('the agent to report the GPU', () => {
    try {
      return JSON.parse(readFileSync(status, 'utf8')).reasons.includes('gpu_active');
    } catch {
      return false;
    }
  });
  expect(JSON.parse(readFileSync(status, 'utf8')).details).toMatchObject({ gpu_percent: 77 });
  const pid = lab.guest(903)!.pids!.agent;
  expect(run('pct', ['shutdown', '903']).status).toBe(0);
  await until('the agent to stop with the container', () => !isAlive(pid));
});
