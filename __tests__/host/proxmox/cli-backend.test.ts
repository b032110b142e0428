/** The qm/pct/pvesh backend against fakes on PATH that answer like Proxmox and proxy to a REAL qemu-ga. */
import { writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UnavailableError } from '../../../common/errors';
import { createRunner } from '../../../common/shell';
import { createCliBackend } from '../../../host/proxmox/cli-backend';
import type { Proxmox } from '../../../host/proxmox/types';
import { bytes, idleStatus } from '../../helpers/status-samples';
import { expectExecEndUnknownWhenAgentLeaves } from '../helpers/exec-losing-agent';
import { createFakePve, type FakePve } from '../helpers/fake-pve';
import { osReleaseId } from '../helpers/qemu-ga';
import { codeOf } from '../helpers/rejections';

let pve: FakePve;
let backend: Proxmox;
const node = os.hostname().split('.')[0];

beforeAll(async () => {
  pve = createFakePve();
  await pve.addVm(100, { name: 'gaming', cpu: 0.352, uptime: 7200 });
  await pve.addVm(101, { status: 'stopped', withAgent: false });
  pve.addContainer(200, { name: 'web' });
  backend = createCliBackend({
    run: createRunner({ timeoutMs: 20000, env: { ...process.env, ...pve.env } }),
    node,
  });
});

afterAll(() => pve.cleanup());

test('lists every guest of this node with power state, uptime and CPU percent in one pvesh call', async () => {
  const before = pve.calls().length;
  const guests = await backend.listGuests();
  expect(pve.calls().length - before).toBe(1);
  expect(guests).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        kind: 'vm',
        id: 100,
        power: 'running',
        uptimeSeconds: 7200,
        cpuPercent: 35.2,
      }),
      expect.objectContaining({ kind: 'vm', id: 101, power: 'stopped', cpuPercent: null }),
      expect.objectContaining({ kind: 'ct', id: 200, power: 'running' }),
    ]),
  );
});

test('status of one guest', async () => {
  expect(await backend.status({ kind: 'vm', id: 100 })).toMatchObject({
    power: 'running',
    uptimeSeconds: 7200,
  });
  expect(await backend.status({ kind: 'vm', id: 101 })).toMatchObject({ power: 'stopped' });
});

test('reads a guest file through pvesh file-read, undoing Proxmox double-encoding of UTF-8', async () => {
  const file = pve.statusPath(100);
  const content = bytes(
    idleStatus({ agent: { version: '2.0.0', os: 'linux', variant: 'daemon', hostname: 'küche' } }),
  );
  writeFileSync(file, content);
  const read = await backend.agent.readFile(100, file, 64 * 1024, 15000);
  expect(read.toString('utf8')).toBe(content.toString('utf8'));
});

test('a missing guest file is `no_file`', async () => {
  expect(await codeOf(backend.agent.readFile(100, '/nonexistent/status.json', 1024, 15000))).toBe('no_file');
});

test('a file over the limit is `too_large`', async () => {
  const file = path.join(pve.dir, 'big.json');
  writeFileSync(file, Buffer.alloc(2048, 0x41));
  expect(await codeOf(backend.agent.readFile(100, file, 1024, 15000))).toBe('too_large');
});

test('qm guest cmd: ping prints nothing, get-osinfo prints pretty JSON', async () => {
  expect(await backend.agent.command(100, 'ping', 15000)).toEqual({});
  expect(await backend.agent.command(100, 'get-osinfo', 15000)).toHaveProperty('id');
  expect(await backend.agent.command(100, 'get-osinfo', 15000)).toMatchObject({ id: osReleaseId() });
});

test('qm guest exec exits 0 even when the guest command failed: the exit code comes from the JSON', async () => {
  const r = await backend.agent.exec(100, ['/bin/sh', '-c', 'echo hello; exit 3'], {
    timeoutMs: 10000,
    maxOutputBytes: 1024,
  });
  expect(r.exitCode).toBe(3);
  expect(r.stdout.toString()).toBe('hello\n');
});

test('a program that takes the guest agent down with it (hibernate) ran: its end is unknown, not refused', async () => {
  await expectExecEndUnknownWhenAgentLeaves(pve, backend.agent);
});

test('agent calls to a stopped VM are `agent_down`', async () => {
  expect(await codeOf(backend.agent.command(101, 'ping', 15000))).toBe('agent_down');
});

test('reads a file inside a container with pct exec', async () => {
  writeFileSync(path.join(pve.dir, 'ct', '200', 'run', 'proxmox-sleep-agent', 'status.json'), '{"x":1}');
  const read = await backend.readContainerFile(200, '/run/proxmox-sleep-agent/status.json', 1024, 15000);
  expect(read.toString()).toBe('{"x":1}');
  expect(await codeOf(backend.readContainerFile(200, '/run/none.json', 1024, 15000))).toBe('no_file');
});

test('power commands go to qm/pct', async () => {
  await backend.start({ kind: 'vm', id: 101 });
  expect(await backend.status({ kind: 'vm', id: 101 })).toMatchObject({ power: 'running' });
  await backend.stop({ kind: 'vm', id: 101 });
  expect(await backend.status({ kind: 'vm', id: 101 })).toMatchObject({ power: 'stopped' });
  expect(pve.calls()).toEqual(
    expect.arrayContaining([
      ['qm', 'start', '101'],
      ['qm', 'stop', '101'],
    ]),
  );
});

test('without qm/pvesh on PATH the backend says so (UnavailableError), once per call', async () => {
  const bare = createCliBackend({
    run: createRunner({ timeoutMs: 5000, env: { PATH: '/nonexistent' } }),
    node,
  });
  await expect(bare.listGuests()).rejects.toBeInstanceOf(UnavailableError);
});
