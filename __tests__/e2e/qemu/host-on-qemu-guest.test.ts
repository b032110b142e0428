/**
 * Issue 7, e2e (c), (d), (e) and a full cycle: the REAL host tool (dist/host/cli.js, separate processes)
 * against the lab's Proxmox emulation whose VM is a real QEMU guest (lab/pve backend `qemu`). Inside the
 * guest our agent runs from the lab data disk (an esbuild bundle on the image's Node 18) and writes
 * /run/proxmox-sleep-agent/status.json; the host reads it through the guest's real qemu-ga, by pvesh (the
 * lab's, proxying to the VM's agent socket) or straight from the socket (GUEST_AGENT_ACCESS=socket).
 *
 * One guest is booted once and goes through the tests in order (this machine has 2 cores and a boot takes
 * about a minute under TCG): a block keeps the host awake, a whole `sleep-now` cycle hibernates and resumes
 * it, the tool killed half-way through pre-sleep is finished by the next `tick`, and finally the agent is
 * killed inside the guest. A counter started after the boot proves every resume: same PID, count going on.
 */
import { spawn } from 'child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { prepareAgentData } from '../../../lab/qemu/agent-data';
import { DoctorReportSchema } from '../../../protocol';
import { GUEST } from '../../../lab/qemu/image/recipe';
import type { Vm } from '../../../lab/qemu/vm';
import { createSequenceLab, type CliRun, type SequenceLab } from '../../host/helpers/sequence-lab';
import { eventually, guestSh, measured } from '../helpers/qemu-guest';

const ID = 210;
const COUNTER_FILE = '/root/counter.json';
/** The guest's agent: every check that measures the guest itself is left on except the CPU, which under
 * TCG is mostly the emulation's own work; the serial console's autologin is not a remote session. */
const AGENT_CONFIG = {
  intervalSeconds: 5,
  checks: { cpu: { enabled: false }, network: { enabled: false }, sessions: { kinds: ['ssh'] } },
};

interface Count {
  pid: number;
  n: number;
  uptime: number;
}

let t: SequenceLab;
let dataDir: string;
let vm: Vm;

/** A configuration for the real host tool; `access` chooses how it reaches the guest's qemu-ga. */
function config(name: string, access: 'pvesh' | 'socket', extra: string[] = []): string {
  const file = path.join(t.work, `${name}.conf`);
  writeFileSync(
    file,
    [
      `VM_IDS=${ID}`,
      `VM_${ID}_NAME=web`,
      // A Node program inside a TCG guest needs several seconds to start: agent commands get 30 s.
      'PROXMOX_TIMEOUT=30',
      'HIBERNATE_TIMEOUT=120',
      'SHUTDOWN_TIMEOUT=60',
      'WAKE_DELAY=0',
      'WAKE_GRACE_PERIOD=0',
      'PRE_SLEEP_WARNING_SECONDS=0',
      'IDLE_THRESHOLD_MINUTES=0',
      'AGENT_STALE_SECONDS=15',
      'CHECK_SSH_SESSIONS=0',
      'CHECK_SLEEP_INHIBITORS=0',
      'HOST_BLOCKING_UNITS=""',
      `IDLE_MONITOR_LOG=${path.join(t.work, 'monitor.log')}`,
      `SLEEP_MANAGER_LOG=${path.join(t.work, 'sleep-manager.log')}`,
      `GUEST_AGENT_ACCESS=${access}`,
      `QGA_SOCKET_DIR=${t.lab.socketDir}`,
      ...extra,
      '',
    ].join('\n'),
  );
  return file;
}

interface CheckJson {
  idle: boolean;
  guests: { id: number; state: string; reasons: string[]; explanation: string }[];
}

async function check(conf: string): Promise<{ code: number | null; json: CheckJson; run: CliRun }> {
  const run = await t.cli(['check', '--json'], conf);
  return { code: run.code, json: JSON.parse(run.stdout) as CheckJson, run };
}

/** The lab's `qm`, as a user on the host would run it. */
function qm(
  args: string[],
  conf: string,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('qm', args, { env: t.env(conf) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const guestOf = (json: CheckJson) => json.guests.find((g) => g.id === ID);

async function readCount(): Promise<Count> {
  return JSON.parse((await vm.readFile(COUNTER_FILE)).toString('utf8')) as Count;
}

/** The counter after a resume: the same process, counting on from where it was. */
async function expectCounterContinued(before: Count): Promise<Count> {
  const after = await eventually('the counter to tick after the resume', async () => {
    const c = await readCount();
    return c.n > before.n ? c : undefined;
  });
  expect(after.pid).toBe(before.pid);
  expect(after.uptime).toBeGreaterThan(before.uptime);
  return after;
}

const eventsOf = () => t.lab.events().filter((e) => e.id === ID);

beforeAll(async () => {
  t = createSequenceLab();
  dataDir = mkdtempSync(path.join(tmpdir(), 'lab-agent-'));
  await prepareAgentData(dataDir, AGENT_CONFIG);
  const launched = Date.now();
  await t.lab.addVm(ID, { name: 'web', backend: 'qemu', vm: { dataDir } });
  vm = await t.lab.vm(ID);
  const ready = await vm.waitReady({ fullBoot: true });
  measured('host_e2e_boot_to_qga_ready_ms', ready.readyMs);
  // The host sees the agent's own status once the data disk's start script runs it.
  const conf = config('first', 'pvesh');
  await eventually(
    "the host to read the guest agent's status",
    async () => {
      const c = await check(conf);
      return guestOf(c.json)?.explanation === 'agent: idle' ? c : undefined;
    },
    240_000,
  );
  measured('host_e2e_launch_to_agent_idle_ms', Date.now() - launched);
  await guestSh(vm, `setsid node ${GUEST.counter} ${COUNTER_FILE} </dev/null >/dev/null 2>&1 &`);
  await eventually('the counter to tick', async () => ((await readCount()).n >= 2 ? true : undefined));
});

afterAll(async () => {
  await t?.cleanup();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the real host tool and a QEMU guest running our agent', () => {
  it('(c) a block set inside the guest keeps the host awake; --off releases it', async () => {
    const conf = config('block', 'pvesh');
    const agent = (args: string[]) =>
      qm(['guest', 'exec', String(ID), '--', 'proxmox-sleep-agent', ...args], conf);
    const blocked = await agent(['block', '--for', '1h']);
    expect(blocked.status).toBe(0);
    const reply = JSON.parse(JSON.parse(blocked.stdout)['out-data']) as { success: boolean; message: string };
    expect(reply).toMatchObject({ success: true, message: expect.stringMatching(/^Sleep blocked until /) });

    const awake = await check(conf);
    expect(awake.code).toBe(1);
    expect(guestOf(awake.json)).toMatchObject({ state: 'active', reasons: ['user_block'] });

    expect((await agent(['block', '--off'])).status).toBe(0);
    const released = await eventually('the host to see the block lifted', async () => {
      const c = await check(conf);
      return c.code === 0 ? c : undefined;
    });
    expect(guestOf(released.json)).toMatchObject({ state: 'idle', explanation: 'agent: idle' });
  });

  it('doctor inside the guest: its swap disk and resume= make it ready; without the swap, a problem', async () => {
    const conf = config('doctor', 'pvesh');
    const doctor = async () => {
      // Node under TCG takes its time: more than qm's default 30 s when the machine is busy.
      const argv = [
        'guest',
        'exec',
        String(ID),
        '--timeout',
        '180',
        '--',
        'proxmox-sleep-agent',
        'doctor',
        '--json',
      ];
      const run = await qm(argv, conf);
      const out = JSON.parse(run.stdout) as { exitcode: number; 'out-data'?: string };
      if (out['out-data'] === undefined)
        throw new Error(`doctor printed nothing: ${run.stdout} ${run.stderr}`);
      return { exit: out.exitcode, report: DoctorReportSchema.parse(JSON.parse(out['out-data'])) };
    };
    const ready = await doctor();
    expect(ready.report.hibernation_ready).toBe(true);
    const verdicts = Object.fromEntries(ready.report.checks.map((c) => [c.name, c.verdict]));
    expect(verdicts).toEqual({ kernel: 'ok', swap: 'ok', resume: 'ok', 'nvidia-initramfs': 'ok' });
    expect(ready.exit).toBe(0);
    expect(ready.report.checks.find((c) => c.name === 'resume')?.evidence).toBe(
      'resume=/dev/vdb → /dev/vdb (active swap)',
    );
    await guestSh(vm, 'swapoff /dev/vdb');
    try {
      const without = await doctor();
      expect(without.exit).toBe(2);
      expect(without.report.checks.find((c) => c.name === 'swap')).toMatchObject({
        verdict: 'problem',
        evidence: 'no swap',
      });
    } finally {
      await guestSh(vm, 'swapon /dev/vdb');
    }
  });

  it('a whole sleep-now cycle: the guest hibernates itself through its agent and comes back', async () => {
    const conf = config('cycle', 'socket');
    t.enableHook(conf);
    t.lab.host({ suspend: { mode: 'async', seconds: 3 } });
    const before = await readCount();
    const started = Date.now();
    const run = await t.cli(['sleep-now'], conf);
    measured('host_e2e_sleep_now_cycle_ms', Date.now() - started);
    // The whole run in the diff when this fails: its stderr says why a step fell back.
    expect(run).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        /VM 210 \(web\)\s+hibernated in \d+ s \(by its agent\)[^]*VM 210 \(web\)\s+started \(resumed from its hibernation\)/,
      ),
    });
    expect(eventsOf().map((e) => e.event)).toEqual(['started', 'hibernated', 'resumed']);
    expect(t.lab.suspends().map((s) => s.event)).toEqual(
      expect.arrayContaining(['requested', 'sleep', 'wake']),
    );
    await expectCounterContinued(before);
  });

  it('(e) the tool killed with SIGKILL during pre-sleep while the guest hibernates: the next tick brings it back', async () => {
    const conf = config('killed', 'pvesh');
    const before = await readCount();
    const swap = path.join(vm.runDir, 'swap.qcow2');
    const swapWritten = statSync(swap).mtimeMs;
    const child = t.spawnCli(['sleep-now'], conf);
    // The agent's hibernate goes out through the lab's `qm guest exec`; the guest then writes its hibernation
    // image to its swap disk. The tool is killed while that happens.
    await eventually(
      'the hibernate command to reach the guest',
      async () =>
        t.lab.calls().some((c) => c.tool === 'qm' && c.argv[0] === 'guest' && c.argv.includes('hibernate'))
          ? true
          : undefined,
      120_000,
    );
    await eventually(
      'the guest to write its hibernation image',
      async () => (statSync(swap).mtimeMs > swapWritten ? true : undefined),
      120_000,
    );
    expect(child.exitCode).toBeNull();
    child.kill('SIGKILL');
    await child.done;
    expect(t.records()).toEqual({ [`vm_${ID}`]: 'hibernated' });
    await eventually(
      'the guest to finish hibernating on its own',
      async () => (t.lab.guest(ID)?.status === 'stopped' ? true : undefined),
      120_000,
    );
    expect(eventsOf().slice(-1)[0]).toMatchObject({ event: 'hibernated' });

    const started = Date.now();
    const tick = await t.cli(['tick'], conf);
    measured('host_e2e_recovery_tick_ms', Date.now() - started);
    expect(tick.code).toBe(0);
    expect(tick.stderr).toMatch(/interrupted sleep sequence/);
    expect(eventsOf().slice(-1)[0]).toMatchObject({ event: 'resumed' });
    expect(t.records()).toEqual({});
    await vm.waitReady();
    await expectCounterContinued(before);
  });

  it('(d) the agent killed inside the guest: once stale, the host falls back as configured', async () => {
    const active = config('missing-active', 'socket', [`VM_${ID}_ON_AGENT_MISSING=active`]);
    const idle = config('missing-idle', 'socket', [`VM_${ID}_ON_AGENT_MISSING=idle`]);
    await eventually('the agent to answer after the resume', async () => {
      const c = await check(active);
      return c.code === 0 ? true : undefined;
    });
    await guestSh(vm, `systemctl stop ${GUEST.startUnit}`);
    const killedAt = Date.now();
    // tick remembers each agent's seq; the status is stale once it has not moved for AGENT_STALE_SECONDS.
    const stale = await eventually(
      'the host to find the status stale',
      async () => {
        await t.cli(['tick'], active);
        const c = await check(active);
        return c.code === 1 ? c : undefined;
      },
      120_000,
    );
    measured('host_e2e_agent_killed_to_stale_ms', Date.now() - killedAt);
    expect(guestOf(stale.json)).toMatchObject({
      state: 'active',
      reasons: ['agent_missing'],
      explanation: 'agent status unusable (stale): counts as active (ON_AGENT_MISSING=active)',
    });
    const relaxed = await check(idle);
    expect(relaxed.code).toBe(0);
    expect(guestOf(relaxed.json)).toMatchObject({
      state: 'idle',
      explanation: 'agent status unusable (stale): counts as idle (ON_AGENT_MISSING=idle)',
    });
  });
});
