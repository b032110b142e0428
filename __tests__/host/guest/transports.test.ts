/** qga-file, qga-exec, virtiofs and lxc transports, on a real qemu-ga and the fake pct. */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { $ } from 'zx';
import { createRunner } from '../../../common/shell';
import type { GuestConfig } from '../../../host/config';
import { createCliBackend } from '../../../host/proxmox/cli-backend';
import { createSocketAgent } from '../../../host/proxmox/qga-socket';
import type { GuestAgent, Proxmox } from '../../../host/proxmox/types';
import { DEFAULT_STATUS_PATHS, createGuestChannels, memoryOsCache, osFromOsInfo } from '../../../host/guest';
import { createLxcTransport } from '../../../host/guest/transports/lxc';
import { createQgaExecTransport } from '../../../host/guest/transports/qga-exec';
import { createQgaFileTransport } from '../../../host/guest/transports/qga-file';
import { createVirtiofsTransport } from '../../../host/guest/transports/virtiofs';
import { bytes, idleStatus } from '../../helpers/status-samples';
import { createFakePve, type FakePve } from '../helpers/fake-pve';
import { startQemuGa, type RunningQga } from '../helpers/qemu-ga';
import { codeOf, failure } from '../helpers/rejections';

let dir: string;
let qga: RunningQga;
let pve: FakePve;
const VMID = 555;
const statusFile = () => path.join(dir, 'agent', 'status.json');

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'transports-'));
  mkdirSync(path.join(dir, 'bin'));
  mkdirSync(path.join(dir, 'agent'));
  // Stand-in for the agent CLI inside the "guest" (this machine): prints the status file.
  writeFileSync(
    path.join(dir, 'bin', 'proxmox-sleep-agent'),
    `#!/bin/sh\n[ "$1" = status ] || exit 64\nexec cat "${statusFile()}"\n`,
  );
  chmodSync(path.join(dir, 'bin', 'proxmox-sleep-agent'), 0o755);
  qga = await startQemuGa(dir, String(VMID), { PATH: `${path.join(dir, 'bin')}:${process.env.PATH}` });
  pve = createFakePve();
});
afterAll(async () => {
  await qga.stop();
  await pve.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const guest = (change: Partial<GuestConfig> = {}) =>
  ({
    kind: 'vm',
    id: VMID,
    name: 'g',
    statusPath: '',
    virtiofsDir: '',
    transport: 'qga-file',
    ...change,
  }) as GuestConfig;

describe('qga-file', () => {
  test('reads STATUS_PATH through the guest agent', async () => {
    writeFileSync(statusFile(), bytes(idleStatus({ seq: 11 })));
    const t = createQgaFileTransport({
      agent: createSocketAgent({ socketDir: dir }),
      osCache: memoryOsCache(),
    });
    expect(JSON.parse((await t.read(guest({ statusPath: statusFile() }), 5000)).toString()).seq).toBe(11);
  });

  test('without STATUS_PATH it asks guest-get-osinfo once, caches the OS and reads that OS default path', async () => {
    const real = createSocketAgent({ socketDir: dir });
    const asked: string[] = [];
    const read: string[] = [];
    const spy: GuestAgent = {
      access: 'socket',
      command: (vmid, name, timeoutMs) => (asked.push(name), real.command(vmid, name, timeoutMs)),
      readFile: (vmid, file, max, timeoutMs) => (read.push(file), real.readFile(vmid, file, max, timeoutMs)),
      exec: real.exec,
      suspendDisk: real.suspendDisk,
    };
    const cache = memoryOsCache();
    const t = createQgaFileTransport({ agent: spy, osCache: cache });
    await t.read(guest(), 5000).catch(() => undefined);
    await t.read(guest(), 5000).catch(() => undefined);
    expect(asked).toEqual(['get-osinfo']);
    expect(cache.get(`vm:${VMID}`)).toBe('linux');
    expect(read).toEqual([DEFAULT_STATUS_PATHS.linux, DEFAULT_STATUS_PATHS.linux]);
  });

  test('OS detection from guest-get-osinfo', () => {
    expect(osFromOsInfo({ id: 'mswindows', name: 'Microsoft Windows' })).toBe('windows');
    expect(osFromOsInfo({ id: 'macOS', name: 'macOS' })).toBe('macos');
    expect(osFromOsInfo({ id: 'debian', name: 'Debian GNU/Linux' })).toBe('linux');
    expect(osFromOsInfo(null)).toBe('linux');
  });

  test('an agent that is not there is `agent_down`, converted once by the guest channel', async () => {
    const agent = createSocketAgent({ socketDir: dir });
    const osCache = memoryOsCache();
    const t = createQgaFileTransport({ agent, osCache });
    const absent = guest({ id: 9, statusPath: '/x' });
    expect(await codeOf(t.read(absent, 2000))).toBe('agent_down');
    const channel = createGuestChannels({
      transport: () => t,
      agent,
      proxmox: {} as Proxmox,
      run: createRunner({ timeoutMs: 5000 }),
      osCache,
    })(absent);
    expect(await channel.readStatus(2000)).toMatchObject({ ok: false, code: 'agent_down' });
  });
});

describe('qga-exec', () => {
  test('runs `proxmox-sleep-agent status` in the guest and returns what it prints', async () => {
    writeFileSync(statusFile(), bytes(idleStatus({ seq: 12 })));
    const t = createQgaExecTransport({
      agent: createSocketAgent({ socketDir: dir }),
      osCache: memoryOsCache(),
    });
    expect(JSON.parse((await t.read(guest({ transport: 'qga-exec' }), 5000)).toString()).seq).toBe(12);
  });

  test('a failing agent command is `exec_failed`, with its exit code', async () => {
    rmSync(statusFile(), { force: true });
    const t = createQgaExecTransport({
      agent: createSocketAgent({ socketDir: dir }),
      osCache: memoryOsCache(),
    });
    const f = await failure(t.read(guest({ transport: 'qga-exec' }), 5000));
    expect(f.code).toBe('exec_failed');
    expect(f.message).toMatch(/exited 1/);
  });
});

describe('virtiofs', () => {
  const share = () => path.join(dir, 'share');
  beforeAll(() => mkdirSync(share()));

  test('reads status.json from the shared directory', async () => {
    writeFileSync(path.join(share(), 'status.json'), bytes(idleStatus({ seq: 13 })));
    const t = createVirtiofsTransport();
    expect(JSON.parse((await t.read(guest({ virtiofsDir: share() }), 1000)).toString()).seq).toBe(13);
  });

  test('a symlink planted by the guest is refused, not followed', async () => {
    const d = path.join(dir, 'share-link');
    mkdirSync(d);
    symlinkSync('/etc/shadow', path.join(d, 'status.json'));
    expect((await failure(createVirtiofsTransport().read(guest({ virtiofsDir: d }), 1000))).code).toBe(
      'refused',
    );
  });

  test('a FIFO planted by the guest is refused without blocking', async () => {
    const d = path.join(dir, 'share-fifo');
    mkdirSync(d);
    await $({ quiet: true })`mkfifo ${path.join(d, 'status.json')}`;
    expect((await failure(createVirtiofsTransport().read(guest({ virtiofsDir: d }), 1000))).code).toBe(
      'refused',
    );
  });

  test('missing and oversized files', async () => {
    const d = path.join(dir, 'share-big');
    mkdirSync(d);
    expect((await failure(createVirtiofsTransport().read(guest({ virtiofsDir: d }), 1000))).code).toBe(
      'no_file',
    );
    writeFileSync(path.join(d, 'status.json'), Buffer.alloc(65 * 1024, 0x20));
    expect((await failure(createVirtiofsTransport().read(guest({ virtiofsDir: d }), 1000))).code).toBe(
      'too_large',
    );
  });
});

describe('lxc', () => {
  test('reads the file inside the container (default Linux path) with pct exec', async () => {
    const rootfs = pve.addContainer(200);
    writeFileSync(
      path.join(rootfs, 'run', 'proxmox-sleep-agent', 'status.json'),
      bytes(idleStatus({ seq: 14 })),
    );
    const proxmox = createCliBackend({
      run: createRunner({ timeoutMs: 15000, env: { ...process.env, ...pve.env } }),
      node: 'x',
    });
    const t = createLxcTransport({ proxmox });
    const ct = { ...guest(), kind: 'ct', id: 200, transport: 'lxc' } as GuestConfig;
    expect(JSON.parse((await t.read(ct, 10000)).toString()).seq).toBe(14);
    expect(pve.calls()).toContainEqual(['pct', 'exec', '200', '--', 'cat', '--', DEFAULT_STATUS_PATHS.linux]);
  });
});
