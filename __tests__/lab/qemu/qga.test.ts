/**
 * The QGA client against a real qemu-ga listening on a unix socket (the same protocol the lab's VMs speak
 * over virtio-serial). Commands that would act on this machine are blocked with -b.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as net from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { $, type ProcessPromise } from 'zx';
import { ProtocolReplyError } from '../../../lab/qemu/json-lines';
import { QgaClient } from '../../../lab/qemu/qga';

const BLOCKED = [
  'guest-shutdown',
  'guest-suspend-disk',
  'guest-suspend-ram',
  'guest-suspend-hybrid',
  'guest-set-time',
  'guest-set-user-password',
  'guest-fsfreeze-freeze',
  'guest-fsfreeze-freeze-list',
  'guest-set-vcpus',
  'guest-set-memory-blocks',
];

let dir: string;
let socketPath: string;
let agent: ProcessPromise;
let qga: QgaClient;

async function waitForSocket(file: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection(file);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`qemu-ga did not listen on ${file}`);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'qga-client-'));
  socketPath = path.join(dir, 'qga.sock');
  agent = $({
    quiet: true,
    nothrow: true,
  })`qemu-ga -m unix-listen -p ${socketPath} -t ${dir} -f ${path.join(dir, 'qga.pid')} -b ${BLOCKED.join(',')}`;
  await waitForSocket(socketPath);
  qga = await QgaClient.connect(socketPath, 5000);
});

afterAll(async () => {
  qga?.close();
  await agent?.kill('SIGTERM');
  await agent;
  rmSync(dir, { recursive: true, force: true });
});

describe('QgaClient on a real qemu-ga', () => {
  it('syncs on connect and answers guest-ping', async () => {
    await expect(qga.ping()).resolves.toBeUndefined();
  });

  it('runs a program without a shell and returns exit code, stdout and stderr', async () => {
    const r = await qga.exec('/bin/sh', ['-c', 'echo out "$1"; echo err >&2; exit 7', 'sh', 'a b; $(id)']);
    expect(r).toEqual({
      exitCode: 7,
      signal: null,
      stdout: 'out a b; $(id)\n',
      stderr: 'err\n',
      outTruncated: false,
    });
  });

  it('passes stdin to the program', async () => {
    expect((await qga.exec('cat', [], { input: 'hello' })).stdout).toBe('hello');
  });

  it('times out waiting for a program that keeps running', async () => {
    await expect(qga.exec('sleep', ['5'], { timeoutMs: 300 })).rejects.toThrow(/still running after 300 ms/);
  });

  it('reads a file in chunks, and refuses one over the cap', async () => {
    const file = path.join(dir, 'data.bin');
    const data = Buffer.alloc(200_000, 0xab);
    data.write('{"start":true}');
    writeFileSync(file, data);
    expect((await qga.readFile(file)).equals(data)).toBe(true);
    await expect(qga.readFile(file, { maxBytes: 100_000 })).rejects.toThrow(/larger than 100000 bytes/);
  });

  it('turns an error reply into ProtocolReplyError and stays usable', async () => {
    const missing = qga.readFile(path.join(dir, 'missing'));
    await expect(missing).rejects.toBeInstanceOf(ProtocolReplyError);
    await expect(missing).rejects.toThrow(/No such file or directory/);
    await expect(qga.ping()).resolves.toBeUndefined();
  });

  it('rejects a no-reply command when the agent answers with an error', async () => {
    await expect(qga.executeNoReply('guest-shutdown', { mode: 'powerdown' }, 5000)).rejects.toThrow(
      /CommandNotFound: Command guest-shutdown has been disabled/,
    );
  });

  it('never takes the late reply of a timed-out request for the next answer', async () => {
    const big = path.join(dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(8 * 1024 * 1024, 0x41));
    const handle = await qga.execute<number>('guest-file-open', { path: big, mode: 'r' });
    // The reply (about 11 MB of base64) is still on its way when this request gives up after 1 ms.
    await qga.execute('guest-file-read', { handle, count: 8 * 1024 * 1024 }, 1).catch(() => undefined);
    await expect(qga.execute<{ version: string }>('guest-info')).resolves.toMatchObject({
      version: expect.any(String),
    });
    await qga.execute('guest-file-close', { handle });
  });

  it('connects again after the previous connection closed (agent state survives)', async () => {
    const handle = await qga.execute<number>('guest-file-open', {
      path: path.join(dir, 'data.bin'),
      mode: 'r',
    });
    qga.close();
    qga = await QgaClient.connect(socketPath, 5000);
    await expect(qga.execute('guest-file-close', { handle })).resolves.toEqual({});
  });
});
