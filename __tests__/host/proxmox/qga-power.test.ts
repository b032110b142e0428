/**
 * guest-suspend-disk and guest-set-time through each way of reaching the guest agent. suspend-disk answers
 * nothing on success: tried on a REAL qemu-ga inside a lab guest (its `systemctl hibernate` is the lab's, so
 * the guest hibernates, not this machine) and on a real qemu-ga that blocks it. guest-set-time would set this
 * machine's clock on a real qemu-ga, so it goes to a small server speaking the agent protocol instead.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { createRunner } from '../../../common/shell';
import { createCliBackend } from '../../../host/proxmox/cli-backend';
import { createSocketAgent } from '../../../host/proxmox/qga-socket';
import { createLabPve, type LabPve } from '../../../lab/pve/lab';
import { startQemuGa, type RunningQga } from '../helpers/qemu-ga';
import { codeOf } from '../helpers/rejections';

jest.setTimeout(30000);

let lab: LabPve;
let blocked: RunningQga;
let dir: string;

beforeAll(async () => {
  lab = createLabPve();
  dir = mkdtempSync(path.join(os.tmpdir(), 'qga-power-'));
  blocked = await startQemuGa(dir, '520');
  await lab.addVm(520, { qga: blocked.socket });
  await lab.addVm(521, { backend: 'light', behaviour: { hibernateSeconds: 0.3 } });
  await lab.addVm(522, { backend: 'light', behaviour: { hibernateSeconds: 0.3 } });
});
afterAll(async () => {
  await blocked.stop();
  await lab.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const hibernatedVia = (id: number) =>
  lab.events().find((e) => e.id === id && e.event === 'hibernate-requested')?.detail;
const waitStopped = async (id: number) => {
  const deadline = Date.now() + 5000;
  while (lab.guest(id)?.status !== 'stopped') {
    if (Date.now() > deadline) throw new Error(`guest ${id} did not stop`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('socket: a guest that hibernates answers nothing: sent; the guest goes down', async () => {
  const agent = createSocketAgent({ socketDir: lab.socketDir });
  await expect(agent.suspendDisk(521, 5000)).resolves.toBe('sent');
  expect(hibernatedVia(521)).toBe('qemu-ga');
  await waitStopped(521);
});

test('qm guest cmd: the same through Proxmox (connection closed = success); a blocked command is refused', async () => {
  const cli = createCliBackend({
    run: createRunner({ timeoutMs: 10000, env: { ...process.env, ...lab.env } }),
    node: 'lab',
  });
  await expect(cli.agent.suspendDisk(522, 10000)).resolves.toBe('sent');
  expect(hibernatedVia(522)).toBe('qemu-ga');
  await waitStopped(522);
  expect(await codeOf(cli.agent.suspendDisk(520, 10000))).toBe('refused');
  expect(cli.agent.setTime).toBeUndefined();
});

test('socket: an agent that refuses guest-suspend-disk is an error, not "sent"', async () => {
  expect(await codeOf(createSocketAgent({ socketDir: dir }).suspendDisk(520, 5000))).toBe('refused');
  expect(await codeOf(createSocketAgent({ socketDir: dir }).suspendDisk(599, 2000))).toBe('agent_down');
});

test('socket: guest-set-time sends the host time in nanoseconds', async () => {
  const socket = path.join(dir, '530.qga');
  const seen: unknown[] = [];
  const server = net.createServer((conn) => {
    let buf = '';
    conn.on('data', (d: Buffer) => {
      buf += d.toString('latin1').replace(/\xff/g, '');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const req = JSON.parse(buf.slice(0, nl)) as {
          execute: string;
          arguments?: { id?: number; time?: number };
        };
        buf = buf.slice(nl + 1);
        if (req.execute === 'guest-sync-delimited')
          conn.write(`\xff${JSON.stringify({ return: req.arguments?.id })}\n`, 'latin1');
        else {
          seen.push(req);
          conn.write('{"return": {}}\n');
        }
      }
    });
  });
  await new Promise<void>((r) => server.listen(socket, r));
  try {
    const before = Date.now();
    await createSocketAgent({ socketDir: dir }).setTime!(530, before, 3000);
    expect(seen).toEqual([{ execute: 'guest-set-time', arguments: { time: expect.any(Number) } }]);
    const ns = (seen[0] as { arguments: { time: number } }).arguments.time;
    expect(Math.abs(ns / 1e6 - before)).toBeLessThan(1);
  } finally {
    server.close();
  }
});
