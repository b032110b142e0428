/** GUEST_AGENT_ACCESS=socket against a REAL qemu-ga on a unix socket. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { createSocketAgent, qgaExchange } from '../../../host/proxmox/qga-socket';
import { GuestAgentError } from '../../../host/proxmox/types';
import { bytes, idleStatus } from '../../helpers/status-samples';
import { osReleaseId, startQemuGa, type RunningQga } from '../helpers/qemu-ga';
import { codeOf } from '../helpers/rejections';

let dir: string;
let qga: RunningQga;
const VMID = 4242;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'qga-socket-'));
  qga = await startQemuGa(dir, String(VMID));
});

afterAll(async () => {
  await qga.stop();
  rmSync(dir, { recursive: true, force: true });
});

const agent = () => createSocketAgent({ socketDir: dir });

test('reads a status file through the guest agent, byte for byte', async () => {
  const file = path.join(dir, 'status.json');
  const content = bytes(idleStatus({ seq: 7 }));
  writeFileSync(file, content);
  const read = await agent().readFile(VMID, file, 64 * 1024, 5000);
  expect(read.equals(content)).toBe(true);
});

test('a missing file is `no_file`', async () => {
  expect(await codeOf(agent().readFile(VMID, path.join(dir, 'nope.json'), 1024, 5000))).toBe('no_file');
});

test('a file over the limit is refused as `too_large` and its handle is closed', async () => {
  const file = path.join(dir, 'big.json');
  writeFileSync(file, Buffer.alloc(70 * 1024, 0x20));
  expect(await codeOf(agent().readFile(VMID, file, 64 * 1024, 5000))).toBe('too_large');
  // The agent still answers normally afterwards.
  expect(await agent().command(VMID, 'ping', 5000)).toEqual({});
});

test('simple commands return the agent\'s "return" value', async () => {
  const info = (await agent().command(VMID, 'get-osinfo', 5000)) as { id?: string };
  expect(typeof info.id).toBe('string');
  expect(info.id).toBe(osReleaseId());
});

test('exec runs a program without a shell and reports exit code and output', async () => {
  const r = await agent().exec(VMID, ['/bin/sh', '-c', 'echo out-line; echo err-line >&2; exit 7'], {
    timeoutMs: 5000,
    maxOutputBytes: 1024,
  });
  expect(r.exitCode).toBe(7);
  expect(r.stdout.toString()).toBe('out-line\n');
  expect(r.stderr).toBe('err-line\n');
});

test('sync skips the bytes an earlier client caused (the agent answers its half request when we connect)', async () => {
  await new Promise<void>((resolve, reject) => {
    const s = net.createConnection({ path: qga.socket });
    s.on('error', reject);
    s.on('connect', () => {
      s.write(
        '{"execute":"guest-info"}\n{"execute":"guest-sync-delimited","arguments":{"id":7}}\n{"execute":"guest-pi',
      );
      setTimeout(() => {
        s.destroy();
        resolve();
      }, 50);
    });
  });
  expect(await agent().command(VMID, 'ping', 5000)).toEqual({});
});

test('the 0xFF we send makes the agent print a parse error first; the client skips it', async () => {
  const seen: string[] = [];
  const result = await qgaExchange(qga.socket, 5000, async (session) => {
    seen.push(JSON.stringify(await session.call('guest-ping')));
    return session.call('guest-get-host-name');
  });
  expect(seen).toEqual(['{}']);
  expect(result).toHaveProperty('host-name');
  expect(result).toMatchObject({ 'host-name': os.hostname() });
});

test('an agent that stops answering times out instead of hanging', async () => {
  qga.freeze();
  try {
    const started = Date.now();
    expect(await codeOf(agent().command(VMID, 'ping', 400))).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5000);
  } finally {
    qga.thaw();
  }
  expect(await agent().command(VMID, 'ping', 5000)).toEqual({});
});

test('a program that takes its guest agent down with it (hibernate) ran: its end is unknown, not refused', async () => {
  const gone = await startQemuGa(dir, '4343');
  const running = agent().exec(4343, ['/bin/sleep', '5'], { timeoutMs: 10000, maxOutputBytes: 1024 });
  const outcome = running.catch((e: unknown) => e);
  // The agent goes away only once the program runs (a child of that qemu-ga), however loaded the machine.
  for (let waited = 0; !childrenOf(gone.pid).length && waited < 10_000; waited += 50)
    await new Promise((r) => setTimeout(r, 50));
  expect(childrenOf(gone.pid)).not.toEqual([]);
  await gone.stop();
  const e = await outcome;
  expect(e).toBeInstanceOf(GuestAgentError);
  expect(e).toMatchObject({
    code: 'timeout',
    message: expect.stringMatching(/^\/bin\/sleep started \(guest pid \d+\), then the guest agent went away/),
  });
});

test('no socket means the agent is down', async () => {
  expect(await codeOf(agent().command(9999, 'ping', 1000))).toBe('agent_down');
});

test('concurrent calls to one VM are serialised, never left waiting on the one-client socket', async () => {
  const a = agent();
  const results = await Promise.all(Array.from({ length: 10 }, () => a.command(VMID, 'ping', 5000)));
  expect(results).toEqual(Array.from({ length: 10 }, () => ({})));
});

test('blocked commands are refused, not mistaken for success', async () => {
  const r = qgaExchange(qga.socket, 5000, (s) => s.call('guest-shutdown'));
  expect(await codeOf(r)).toBe('refused');
});

test('an agent that returns less than asked (some cap each read) has the rest read after a seek', async () => {
  const file = Buffer.from('0123456789abcdefghij');
  const calls: string[] = [];
  let pos = 0;
  const session = {
    async call(execute: string, args?: Record<string, unknown>) {
      calls.push(execute);
      if (execute === 'guest-file-open') return 1000 + calls.length;
      if (execute === 'guest-file-seek') return { position: (pos = Number(args?.offset)), eof: false };
      if (execute === 'guest-file-close') return {};
      const chunk = file.subarray(pos, pos + 8); // caps every read at 8 bytes
      pos += chunk.length;
      return { count: chunk.length, 'buf-b64': chunk.toString('base64'), eof: pos >= file.length };
    },
  };
  const { readFileInSession } = await import('../../../host/proxmox/qga-socket');
  expect((await readFileInSession(session, '/x', 64)).toString()).toBe(file.toString());
  expect(calls).toEqual([
    'guest-file-open',
    'guest-file-read',
    'guest-file-close',
    'guest-file-open',
    'guest-file-seek',
    'guest-file-read',
    'guest-file-read',
    'guest-file-close',
  ]);
});

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
