/** TRANSPORT=ssh against a REAL sshd on 127.0.0.1 with throwaway keys. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { createRunner } from '../../../common/shell';
import type { GuestConfig } from '../../../host/config';
import { createSshTransport, remoteQuote, sshArgs } from '../../../host/guest/transports/ssh';
import { bytes, idleStatus } from '../../helpers/status-samples';
import { failure } from '../helpers/rejections';
import { startSshd, type RunningSshd } from '../helpers/sshd';

let dir: string;
let sshd: RunningSshd;
const run = createRunner({ timeoutMs: 15000 });

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ssh-transport-'));
  sshd = await startSshd(dir);
});
afterAll(async () => {
  await sshd.stop();
  rmSync(dir, { recursive: true, force: true });
});

function guest(change: Partial<GuestConfig> = {}): GuestConfig {
  return {
    kind: 'vm',
    id: 300,
    name: 'mac',
    sshTarget: 'root@127.0.0.1',
    sshPort: sshd.port,
    sshKey: sshd.clientKey,
    statusPath: '',
    transport: 'ssh',
    ...change,
  } as GuestConfig;
}

test('reads the status file, with a path that needs quoting for the remote shell', async () => {
  const sub = path.join(dir, "Application Support's");
  mkdirSync(sub);
  const file = path.join(sub, 'status.json');
  const content = bytes(idleStatus({ seq: 3 }));
  writeFileSync(file, content);
  const t = createSshTransport({ run, knownHostsFile: sshd.knownHosts });
  expect((await t.read(guest({ statusPath: file }), 10000)).equals(content)).toBe(true);
});

test('a missing file is `no_file`', async () => {
  const t = createSshTransport({ run, knownHostsFile: sshd.knownHosts });
  expect((await failure(t.read(guest({ statusPath: path.join(dir, 'none.json') }), 10000))).code).toBe(
    'no_file',
  );
});

test('an unknown host key is refused (StrictHostKeyChecking=yes, BatchMode=yes)', async () => {
  const t = createSshTransport({ run, knownHostsFile: sshd.emptyKnownHosts });
  const f = await failure(t.read(guest({ statusPath: '/etc/hostname' }), 10000));
  expect(f.code).toBe('host_key');
});

test('a wrong key is `auth`', async () => {
  const t = createSshTransport({ run, knownHostsFile: sshd.knownHosts });
  const f = await failure(t.read(guest({ sshKey: path.join(dir, 'host_ed25519') }), 10000));
  expect(f.code).toBe('auth');
});

test('a dead host (accepts TCP, never speaks) times out instead of hanging', async () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    const t = createSshTransport({ run, knownHostsFile: sshd.knownHosts });
    const started = Date.now();
    const f = await failure(t.read(guest({ sshPort: port }), 2000));
    expect(['timeout', 'unreachable']).toContain(f.code);
    expect(Date.now() - started).toBeLessThan(8000);
  } finally {
    sockets.forEach((s) => s.destroy());
    silent.close();
  }
});

test('a file over the limit is `too_large`', async () => {
  const file = path.join(dir, 'big.json');
  writeFileSync(file, Buffer.alloc(70 * 1024, 0x20));
  const t = createSshTransport({ run, knownHostsFile: sshd.knownHosts });
  expect((await failure(t.read(guest({ statusPath: file }), 10000))).code).toBe('too_large');
});

test('arguments: strict, batch, connect timeout, the macOS default path, and nothing a guest wrote', () => {
  const args = sshArgs(guest({ sshKey: '' }), 10000);
  expect(args).toEqual(
    expect.arrayContaining(['BatchMode=yes', 'StrictHostKeyChecking=yes', 'ConnectTimeout=5']),
  );
  expect(args.slice(-2)).toEqual([
    'root@127.0.0.1',
    "cat -- '/Library/Application Support/ProxmoxSleep/status.json'",
  ]);
  expect(remoteQuote("a'b; rm -rf /")).toBe("'a'\\''b; rm -rf /'");
});
