/** Linux probes against the real system: processes, CPU load, loopback traffic, login records. */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as net from 'net';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';
import * as cpuCheck from '../../../../agent-app/core/checks/cpu';
import * as networkCheck from '../../../../agent-app/core/checks/network';
import * as processesCheck from '../../../../agent-app/core/checks/processes';
import * as sessionsCheck from '../../../../agent-app/core/checks/sessions';
import { createProcNetDevProbe, parseProcNetDev } from '../../../../agent-app/platform/linux/proc-net-dev';
import {
  createProcProcessProbe,
  processNameFromCmdline,
} from '../../../../agent-app/platform/linux/proc-processes';
import {
  classifySession,
  createUtmpSessionProbe,
  parseUtmp,
} from '../../../../agent-app/platform/linux/utmp';
import { createCpuProbe } from '../../../../agent-app/platform/shared/cpu-probe';
import { systemClock } from '../../../../common/clock';
import { UnavailableError } from '../../../../common/errors';

const ctx = () => ({ signal: new AbortController().signal, now: Date.now() });
let dir: string;
beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'agent-live-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('processes (/proc, argv[0] basename)', () => {
  it("sees a process with a name longer than comm's 15 characters", async () => {
    const name = 'pms-agent-test-game-server';
    const binary = path.join(dir, name);
    copyFileSync('/bin/sleep', binary);
    const child = $`${binary} 30`.nothrow().quiet();
    try {
      await new Promise((r) => setTimeout(r, 200));
      const check = processesCheck.create(
        { names: ['PMS-Agent-Test-Game-Server', 'not-running-xyz'] },
        { probe: createProcProcessProbe(), stripExe: false },
      );
      expect(await check.run(ctx())).toMatchObject({
        state: 'active',
        reasons: ['process:PMS-Agent-Test-Game-Server'],
      });
    } finally {
      await child.kill();
    }
    const after = processesCheck.create(
      { names: [name] },
      { probe: createProcProcessProbe(), stripExe: false },
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(await after.run(ctx())).toMatchObject({ state: 'idle' });
  });

  it("takes argv[0]'s basename, whatever the separators", () => {
    expect(processNameFromCmdline(Buffer.from('/usr/bin/python3\0/srv/app.py\0'))).toBe('python3');
    expect(processNameFromCmdline(Buffer.from('C:\\Games\\Game.exe\0-fullscreen\0'))).toBe('Game.exe');
    expect(processNameFromCmdline(Buffer.alloc(0))).toBeNull();
  });
});

describe('cpu load (os.cpus)', () => {
  it('is active while a core spins', async () => {
    const spinner = $`node -e ${'const end = Date.now() + 20000; while (Date.now() < end) {}'}`
      .nothrow()
      .quiet();
    try {
      await new Promise((r) => setTimeout(r, 300));
      const check = cpuCheck.create(
        { thresholdPercent: 20, loadThreshold: null },
        { probe: createCpuProbe(), clock: systemClock, warmupMs: 1000 },
      );
      // One spinning process on a 2-core machine is at least 50 % of all CPU time.
      expect(await check.run(ctx())).toMatchObject({ state: 'active', reason: 'cpu_load' });
    } finally {
      await spinner.kill();
    }
  });
});

describe('network throughput (/proc/net/dev)', () => {
  it('parses the kernel table', () => {
    const text = [
      'Inter-|   Receive                                                |  Transmit',
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed',
      '    lo: 1296    16    0    0    0     0          0         0     1296      16    0    0    0     0       0          0',
      '  eth0: 987654321 1234 0 0 0 0 0 0 123456789 4321 0 0 0 0 0 0',
    ].join('\n');
    expect(parseProcNetDev(text)).toEqual(
      new Map([
        ['lo', { rxBytes: 1296, txBytes: 1296 }],
        ['eth0', { rxBytes: 987654321, txBytes: 123456789 }],
      ]),
    );
  });

  it('sees loopback traffic above the threshold', async () => {
    const server = net.createServer((socket) => socket.on('data', () => undefined));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const client = net.connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    const chunk = Buffer.alloc(64 * 1024);
    let sending = true;
    const pump = () => {
      while (sending && client.write(chunk));
      if (sending) client.once('drain', pump);
    };
    pump();
    try {
      const check = networkCheck.create(
        { thresholdKbps: 10_000, interfaces: ['lo'], excludeInterfaces: [] },
        {
          probe: createProcNetDevProbe(),
          clock: systemClock,
          warmupMs: 500,
        },
      );
      const outcome = await check.run(ctx());
      expect(outcome).toMatchObject({ state: 'active', reason: 'network_active' });
      expect(outcome.evidence?.network_kbps).toBeGreaterThan(10_000);
    } finally {
      sending = false;
      client.destroy();
      server.close();
    }
  });
});

describe('sessions (utmp)', () => {
  /** utmpdump (util-linux) writes real glibc utmp records from its text form. */
  async function utmpFile(
    records: { type: number; pid: number; line: string; user: string; host: string }[],
  ) {
    const text = records
      .map(
        (r) =>
          `[${r.type}] [${String(r.pid).padStart(5, '0')}] [${r.line.slice(-4)}] [${r.user.padEnd(8)}] [${r.line.padEnd(12)}] [${r.host.padEnd(20)}] [0.0.0.0        ] [2026-11-26T03:00:00,000000+00:00]`,
      )
      .join('\n');
    const file = path.join(dir, `utmp-${Math.random().toString(36).slice(2)}`);
    writeFileSync(`${file}.txt`, `${text}\n`);
    await $`utmpdump -r -o ${file} ${`${file}.txt`}`.quiet();
    return file;
  }

  it('reads records utmpdump wrote, as who reads them, and drops dead logins', async () => {
    const alive = process.pid;
    const file = await utmpFile([
      { type: 7, pid: alive, line: 'pts/3', user: 'ann', host: '192.0.2.10' },
      { type: 7, pid: alive, line: 'tty2', user: 'root', host: '' },
      { type: 7, pid: alive, line: 'pts/4', user: 'bob', host: '' },
      { type: 7, pid: 999_999_9, line: 'pts/9', user: 'gone', host: '192.0.2.99' },
      { type: 8, pid: alive, line: 'pts/5', user: '', host: '' },
    ]);
    const records = parseUtmp(await import('fs').then((fs) => fs.readFileSync(file)));
    const who = (await $`who ${file}`.quiet()).stdout
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    expect(records.filter((r) => r.type === 7).map((r) => `${r.user} ${r.line}`)).toEqual(who);
    expect(records.map(classifySession)).toEqual(['ssh', 'tty', 'pts', 'ssh', 'pts']);

    const check = sessionsCheck.create({ kinds: ['ssh', 'tty'] }, { probe: createUtmpSessionProbe(file) });
    expect(await check.run(ctx())).toMatchObject({
      state: 'active',
      reason: 'session_active',
      detail: '2 sessions: ann@pts/3 from 192.0.2.10, root@tty2',
      evidence: { sessions: 2 },
    });
  });

  it('is unavailable without login records', async () => {
    await expect(
      createUtmpSessionProbe(path.join(dir, 'no-utmp')).list(new AbortController().signal),
    ).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe('cpu times (/proc/stat)', () => {
  it('parses the aggregate line and agrees with the live file', async () => {
    const { parseProcStatCpu, createProcStatCpuProbe } =
      await import('../../../../agent-app/platform/linux/proc-stat');
    expect(parseProcStatCpu('cpu  10 2 3 80 5 1 1 0 0 0\ncpu0 5 1 1 40 2 0 0 0 0 0\n')).toEqual({
      busy: 17,
      total: 102,
    });
    expect(parseProcStatCpu('intr 1 2 3\n')).toBeNull();
    const probe = createProcStatCpuProbe();
    const a = await probe.times();
    await new Promise((r) => setTimeout(r, 50));
    const b = await probe.times();
    expect(b.total).toBeGreaterThanOrEqual(a.total);
    expect(b.busy).toBeGreaterThanOrEqual(a.busy);
  });
});
