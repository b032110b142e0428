/**
 * The agent path, on real components: the real `proxmox-sleep-agent` in lab guests, reached through a real
 * qemu-ga (with Proxmox's own `qm guest exec` / `qm guest cmd`, GUEST_AGENT_ACCESS=pvesh) or through a real
 * OpenSSH server; the guest's `systemctl hibernate|poweroff`, `wall` and `hwclock` are the lab's, so the
 * guests change state and nothing happens to this machine.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRunner } from '../../../common/shell';
import { resolveConfig } from '../../../host/config';
import { createCliBackend } from '../../../host/proxmox/cli-backend';
import { runAgentCommand } from '../../../host/guest/agent-command';
import { LAB_GUEST_BIN } from '../../../lab/pve/processes';
import { createSequenceLab, type SequenceLab } from '../helpers/sequence-lab';
import { startSshd } from '../helpers/sshd';

jest.setTimeout(60000);

let t: SequenceLab;
beforeEach(() => (t = createSequenceLab()));
afterEach(() => t.cleanup());

const requested = (id: number, event: string) =>
  t.lab.events().find((e) => e.id === id && e.event === event)?.detail;

test('GUEST_AGENT_ACCESS=pvesh: the agent hibernates one guest (qm guest exec), guest-suspend-disk the other (qm guest cmd); the wake re-reads the clock', async () => {
  await t.lab.addVm(501, { backend: 'light', behaviour: { hibernateSeconds: 0.5 } });
  await t.lab.addVm(502, { backend: 'light', behaviour: { hibernateSeconds: 0.5 } });
  const conf = t.config([
    'VM_IDS="501 502"',
    'VM_501_TRANSPORT=qga-exec',
    'VM_502_TRANSPORT=none',
    'SLEEP_PARALLELISM=0',
    'GUEST_AGENT_ACCESS=pvesh',
  ]);
  const down = await t.cli(['hibernate'], conf);
  expect(down.code).toBe(0);
  expect(down.stdout).toMatch(/VM 501 \(vm-501\)\s+hibernated in \d+ s \(by its agent\)/);
  expect(down.stdout).toMatch(/VM 502 \(vm-502\)\s+hibernated in \d+ s \(by guest-suspend-disk\)/);
  expect(requested(501, 'hibernate-requested')).toBe('proxmox-sleep-agent');
  expect(requested(502, 'hibernate-requested')).toBe('qemu-ga');
  expect(
    t.lab.calls().some((c) => c.tool === 'qm' && c.argv.join(' ') === 'guest cmd 502 suspend-disk'),
  ).toBe(true);

  const up = await t.cli(['resume'], conf);
  expect(up.code).toBe(0);
  expect(up.stdout).toMatch(
    /VM 501 \(vm-501\)\s+started \(resumed from its hibernation\); clock re-read \(hwclock --hctosys\)/,
  );
  for (const id of [501, 502])
    expect(readFileSync(path.join(t.lab.guestDir(id), 'hwclock.calls'), 'utf8')).toBe('--hctosys\n');
});

test('`agent <id> shutdown` reaches the agent through qemu-ga; `agent <ct> hibernate` is refused', async () => {
  await t.lab.addVm(503, { backend: 'light', behaviour: { shutdownSeconds: 0.3 } });
  t.lab.addContainer(203);
  const conf = t.config(['VM_IDS=503', 'CONTAINER_IDS=203', 'VM_503_TRANSPORT=qga-exec']);
  const r = await t.cli(['agent', '503', 'shutdown'], conf);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe('VM 503 (vm-503): Shutdown initiated\n');
  expect(requested(503, 'shutdown-requested')).toBe('proxmox-sleep-agent');
  const ct = await t.cli(['agent', '203', 'hibernate'], conf);
  expect(ct.code).toBe(1);
  expect(ct.stderr).toMatch(/containers cannot hibernate/);
  // Nothing was recorded: a direct agent command is not part of a sleep sequence.
  expect(existsSync(path.join(t.stateDir, 'sleep-manager.state'))).toBe(false);
});

test('TRANSPORT=ssh: hibernate and notify reach the real agent over a real sshd', async () => {
  await t.lab.addVm(504, { agent: false, behaviour: { hibernateSeconds: 0.3 } });
  const sshDir = mkdtempSync(path.join(os.tmpdir(), 'seq-ssh-'));
  const guestDir = t.lab.guestDir(504);
  const sshd = await startSshd(sshDir, [
    `SetEnv PATH=${LAB_GUEST_BIN}:${process.env.PATH} LAB_PVE_DIR=${t.lab.dir} LAB_GUEST_ID=504 LAB_GUEST_DIR=${guestDir}`,
  ]);
  try {
    const { config } = resolveConfig(
      [
        'VM_IDS=504',
        'VM_504_TRANSPORT=ssh',
        'VM_504_SSH_TARGET=root@127.0.0.1',
        `VM_504_SSH_PORT=${sshd.port}`,
        `VM_504_SSH_KEY=${sshd.clientKey}`,
      ].join('\n'),
      'ssh.conf',
      {},
    );
    const run = createRunner({ timeoutMs: 20000, env: { ...process.env, ...t.lab.env } });
    const deps = {
      agent: createCliBackend({ run, node: 'lab' }).agent,
      proxmox: createCliBackend({ run, node: 'lab' }),
      run,
      knownHostsFile: sshd.knownHosts,
    };
    const guest = config.guests[0];
    const notify = await runAgentCommand(
      guest,
      ['notify', '--message', "Host sleeps in 60 s; it's late", '--seconds', '60'],
      20000,
      deps,
    );
    expect(notify).toMatchObject({ kind: 'reply', reply: { success: true } });
    expect(readFileSync(path.join(guestDir, 'wall.log'), 'utf8')).toContain("Host sleeps in 60 s; it's late");
    const hibernate = await runAgentCommand(guest, ['hibernate'], 20000, deps);
    expect(hibernate).toEqual({
      kind: 'reply',
      reply: { success: true, message: 'Hibernation initiated' },
      exitCode: 0,
    });
    expect(requested(504, 'hibernate-requested')).toBe('proxmox-sleep-agent');
  } finally {
    await sshd.stop();
    rmSync(sshDir, { recursive: true, force: true });
  }
});
