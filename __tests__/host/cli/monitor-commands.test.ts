/**
 * check, status, tick, reset and agent through the real CLI program, against the fake Proxmox tools (which
 * proxy to real qemu-ga processes) and status files written with the shared samples.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../../host/cli/program';
import type { Io } from '../../../host/cli/io';
import { activeStatus, bytes, idleStatus } from '../../helpers/status-samples';
import { createFakePve, type FakePve } from '../helpers/fake-pve';

let pve: FakePve;
let work: string;

beforeAll(async () => {
  pve = createFakePve();
  work = mkdtempSync(path.join(os.tmpdir(), 'cli-monitor-'));
  await pve.addVm(100, { name: 'desktop' });
  await pve.addVm(101, { name: 'gaming' });
  pve.addContainer(200, { name: 'web', status: 'stopped' });
});
afterAll(async () => {
  await pve.cleanup();
  rmSync(work, { recursive: true, force: true });
});

function configFile(extra: string[] = [], name = 'proxmox-sleep.conf'): string {
  const file = path.join(work, name);
  writeFileSync(
    file,
    [
      'VM_IDS="100 101"',
      'CONTAINER_IDS=200',
      'CONTAINER_200_NAME=web',
      `VM_100_STATUS_PATH=${pve.statusPath(100)}`,
      `VM_101_STATUS_PATH=${pve.statusPath(101)}`,
      'VM_101_NAME=gaming',
      'CHECK_SSH_SESSIONS=0',
      'CHECK_SLEEP_INHIBITORS=0',
      'HOST_BLOCKING_UNITS=""',
      `IDLE_MONITOR_LOG=${path.join(work, 'monitor.log')}`,
      `SLEEP_MANAGER_LOG=${path.join(work, 'sleep-manager.log')}`,
      ...extra,
      '',
    ].join('\n'),
  );
  return file;
}

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    env: { ...process.env, ...pve.env, PROXMOX_SLEEP_STATE_DIR: path.join(work, 'state'), ...env },
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: false,
  };
  const code = await runCli(['node', 'proxmox-sleep', ...args], io);
  return { code, stdout, stderr };
}

function guestsSay(vm100: object, vm101: object) {
  writeFileSync(pve.statusPath(100), bytes(vm100));
  writeFileSync(pve.statusPath(101), bytes(vm101));
}

test('check: exit 1 and names what is active; nothing written', async () => {
  guestsSay(idleStatus(), activeStatus(['gpu_active', 'process:game.exe']));
  const r = await cli(['check', '--config', configFile()]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/VM 101 gaming\s+active\s+agent: gpu_active, process:game.exe/);
  expect(r.stdout).toMatch(/VM 100 vm-100\s+idle\s+agent: idle/);
  expect(r.stdout).toMatch(/CT 200 web\s+stopped/);
  expect(r.stdout).toMatch(/Overall: ACTIVE \(VM 101 \(gaming\)\)/);
  expect(existsSync(path.join(work, 'state'))).toBe(false);
});

test('check: exit 0 when everything is idle right now, whatever the timers say; --json', async () => {
  guestsSay(idleStatus(), idleStatus({ idle_seconds: 5 }));
  const r = await cli(['check', '--json', '--config', configFile()]);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as {
    idle: boolean;
    guests: { id: number; state: string; source: string }[];
  };
  expect(doc.idle).toBe(true);
  expect(doc.guests.map((g) => [g.id, g.state])).toEqual([
    [100, 'idle'],
    [101, 'idle'],
    [200, 'stopped'],
  ]);
  expect(doc.guests[0].source).toBe(`qga-file via pvesh: ${pve.statusPath(100)}`);
});

test('check: an invalid configuration exits 78', async () => {
  const r = await cli(['check', '--config', configFile(['CPU_IDLE_THRESHOLD=lots'], 'bad.conf')]);
  expect(r.code).toBe(78);
  expect(r.stderr).toMatch(/CPU_IDLE_THRESHOLD/);
});

test('check: a hostile status file counts as missing (ON_AGENT_MISSING=cpu), with a sanitised note', async () => {
  writeFileSync(pve.statusPath(100), JSON.stringify({ ...idleStatus(), reason: '\u001b[31mgotcha' }));
  writeFileSync(pve.statusPath(101), bytes(idleStatus()));
  pve.update(100, { cpu: 0.9 });
  try {
    const r = await cli(['check', '--config', configFile()]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/VM 100 vm-100\s+active\s+agent status unusable \(wrong_shape\); CPU 90% > 15%/);
    expect(r.stdout).not.toContain('\u001b');
  } finally {
    pve.update(100, { cpu: 0.01 });
  }
});

test('status: the table, host checks, countdown and last wake', async () => {
  guestsSay(idleStatus(), activeStatus(['user_input']));
  const r = await cli(['status', '--config', configFile()]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/GUEST\s+STATE\s+REASON\s+IDLE FOR\s+SLEEPS IN/);
  expect(r.stdout).toMatch(/VM 101 gaming\s+active\s+agent: user_input\s+-\s+-/);
  expect(r.stdout).toMatch(/Host checks:\n\s+blocking processes\s+idle\s+none configured/);
  expect(r.stdout).toMatch(/Auto-sleep: ON, paused: something is active/);
  expect(r.stdout).toMatch(/Why the host is awake:\n\s+- VM 101 \(gaming\): agent: user_input/);
  expect(r.stdout).toMatch(/Last wake: not recorded/);
});

test("status: each guest's strongest evidence, in the table and (additively) in --json", async () => {
  const gpu = { name: 'gpu', state: 'active' as const, detail: 'GPU 85% > 10% (nvidia-smi)' };
  const input = { name: 'input', state: 'idle' as const, detail: 'no input for 900s (x11)' };
  guestsSay(idleStatus({ checks: [input] }), activeStatus(['gpu_active'], { checks: [input, gpu] }));
  const text = await cli(['status', '--config', configFile()]);
  expect(text.stdout).toMatch(/GUEST\s+STATE\s+REASON\s+IDLE FOR\s+SLEEPS IN\s+EVIDENCE/);
  expect(text.stdout).toMatch(
    /VM 101 gaming\s+active\s+agent: gpu_active\s+-\s+-\s+GPU 85% > 10% \(nvidia-smi\)/,
  );
  expect(text.stdout).toMatch(/VM 100 vm-100\s+idle\s+agent: idle\s+.*no input for 900s \(x11\)/);
  const doc = JSON.parse((await cli(['status', '--json', '--config', configFile()])).stdout) as {
    guests: { id: number; evidence: string | null; checks: object[]; explanation: string }[];
  };
  expect(doc.guests[1]).toMatchObject({ id: 101, evidence: gpu.detail, checks: [input, gpu] });
  expect(doc.guests[2]).toMatchObject({ id: 200, evidence: null, checks: [] });
  rmSync(pve.statusPath(100));
  const fallback = JSON.parse(
    (await cli(['status', '--json', '--config', configFile()])).stdout,
  ) as typeof doc;
  expect(fallback.guests[0].evidence).toMatch(/^CPU \d+% ≤ 15%$/);
  expect(fallback.guests[0].checks[0]).toMatchObject({ name: 'agent status', state: 'unknown' });
});

test('status: MISCONFIGURED with the problems, and it still shows the guests on fallback values', async () => {
  guestsSay(idleStatus(), idleStatus());
  const r = await cli(['status', '--config', configFile(['CPU_IDLE_THRESHOLD=lots'], 'bad.conf')]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Auto-sleep: MISCONFIGURED/);
  expect(r.stdout).toMatch(/bad.conf:\d+: error: CPU_IDLE_THRESHOLD/);
  expect(r.stdout).toMatch(/VM 100 vm-100\s+idle/);
});

test('status: threshold 0 says DISABLED and shows no countdown; --json', async () => {
  guestsSay(idleStatus(), idleStatus());
  const text = await cli(['status', '--config', configFile(['IDLE_THRESHOLD_MINUTES=0'], 'off.conf')]);
  expect(text.stdout).toMatch(/Auto-sleep: DISABLED \(IDLE_THRESHOLD_MINUTES=0\)/);
  expect(text.stdout).not.toMatch(/Sleep in:/);
  const json = JSON.parse(
    (await cli(['status', '--json', '--config', configFile(['IDLE_THRESHOLD_MINUTES=0'], 'off.conf')]))
      .stdout,
  ) as {
    auto_sleep: string;
    countdown_seconds: number | null;
  };
  expect(json).toMatchObject({ auto_sleep: 'disabled', countdown_seconds: null });
});

test('tick: writes the timers, the log file and the metrics; reset restarts the countdown', async () => {
  guestsSay(idleStatus(), idleStatus());
  const metrics = path.join(work, 'metrics.prom');
  const conf = configFile([`METRICS_FILE=${metrics}`], 'metrics.conf');
  const r = await cli(['tick', '--config', conf]);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^idle: sleep in 15m 00s/);
  const state = JSON.parse(readFileSync(path.join(work, 'state', 'monitor.json'), 'utf8')) as {
    guests: object;
  };
  expect(Object.keys(state.guests)).toEqual(['vm:100', 'vm:101', 'ct:200']);
  expect(readFileSync(path.join(work, 'monitor.log'), 'utf8')).toMatch(
    /INFO {2}host:monitor: verdict: host stays awake/,
  );
  const prom = readFileSync(metrics, 'utf8');
  expect(prom).toMatch(/proxmox_sleep_guest_idle\{kind="vm",id="100",name="vm-100",state="idle"\} 1/);
  expect(prom).toMatch(/proxmox_sleep_countdown_seconds 900/);
  const reset = await cli(['reset', '--config', conf]);
  expect(reset.stdout).toMatch(/idle countdown restarted/);
});

test('agent <id> status prints the document; ping reports the guest agent and the status agent', async () => {
  guestsSay(idleStatus({ seq: 77 }), idleStatus());
  const status = await cli(['agent', '100', 'status', '--json', '--config', configFile()]);
  expect(status.code).toBe(0);
  expect(JSON.parse(status.stdout)).toMatchObject({ seq: 77, idle: true });
  const ping = await cli(['agent', '100', 'ping', '--config', configFile()]);
  expect(ping.code).toBe(0);
  expect(ping.stdout).toMatch(/QEMU guest agent \(pvesh\): answers/);
  expect(ping.stdout).toMatch(/status agent 2\.0\.0 \(linux, daemon\): seq 77, idle/);
  rmSync(pve.statusPath(100));
  const gone = await cli(['agent', '100', 'status', '--config', configFile()]);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toMatch(/no usable status \(no_file:/);
  expect((await cli(['agent', '999', 'status', '--config', configFile()])).code).toBe(1);
});
