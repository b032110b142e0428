/**
 * Host checks with the previous release's semantics. Real where this machine allows: `who` on a utmp file
 * built here, /proc for processes, the real (non-working) systemctl and systemd-inhibit for "unknown".
 * systemd cannot run here, so active units and inhibitors come from small fakes on PATH.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { $ } from 'zx';
import { createCheckRunner } from '../../../common/check';
import { systemClock } from '../../../common/clock';
import { createRunner } from '../../../common/shell';
import { createBlockingProcessesCheck, compilePattern } from '../../../host/checks/blocking-processes';
import { createBlockingUnitsCheck } from '../../../host/checks/blocking-units';
import { readProcessTable } from '../../../host/checks/process-table';
import { parseNvidiaUtilisation, readHostGpuPercent } from '../../../host/checks/container-gpu';
import { createPtySessionsCheck, ptyLogins } from '../../../host/checks/pty-sessions';
import {
  blocksSleep,
  createSleepInhibitorsCheck,
  parseInhibitors,
} from '../../../host/checks/sleep-inhibitors';
import type { HostCheck } from '../../../host/checks/types';
import { processNamesFromPs } from '../../../host/guest/processes';

const CAPTURED = path.join(__dirname, '..', '..', 'fixtures', 'host', 'captured');
let dir: string;
const run = createRunner({ timeoutMs: 10000 });
const runner = createCheckRunner({ clock: systemClock, timeoutMs: 5000 });
/** One host check through the shared runner, as the monitor runs it. */
const runCheck = async (check: HostCheck) =>
  (await runner.run([check], { now: Date.now(), timeoutMs: 5000 }))[0];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'checks-'));
  mkdirSync(path.join(dir, 'bin'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** glibc x86-64 `struct utmp` (384 bytes): what login, sshd and tmux write and `who` reads. */
function utmpRecord(r: {
  type: number;
  pid: number;
  line: string;
  id: string;
  user: string;
  host: string;
}): Buffer {
  const b = Buffer.alloc(384);
  b.writeInt16LE(r.type, 0);
  b.writeInt32LE(r.pid, 4);
  b.write(r.line, 8, 32);
  b.write(r.id, 40, 4);
  b.write(r.user, 44, 32);
  b.write(r.host, 76, 256);
  b.writeInt32LE(Math.floor(Date.UTC(2026, 10, 26, 3) / 1000), 340);
  return b;
}

function fakeTool(name: string, script: string): string {
  const bin = path.join(dir, `bin-${name}`);
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(bin, name), 0o755);
  return bin;
}

describe('pty sessions (CHECK_SSH_SESSIONS)', () => {
  test('a utmp file with an SSH login and a console login: only the pty counts, as `who` lists it', async () => {
    const utmp = path.join(dir, 'utmp');
    writeFileSync(
      utmp,
      Buffer.concat([
        utmpRecord({
          type: 7,
          pid: process.pid,
          line: 'pts/0',
          id: 'ts/0',
          user: 'root',
          host: '192.168.1.50',
        }),
        utmpRecord({ type: 7, pid: process.pid, line: 'tty1', id: 'tty1', user: 'bob', host: '' }),
      ]),
    );
    const r = await runCheck(createPtySessionsCheck({ utmpFile: utmp }));
    expect(r).toMatchObject({ state: 'active', detail: '1 pty login: root pts/0 (192.168.1.50)' });
    // The real `who` (what release 1.x counted) reads the same file the same way.
    const who = await run('who', [utmp]);
    expect(who.stdout.split('\n').filter((l) => l.includes('pts'))).toEqual([
      expect.stringMatching(/^root\s+pts\/0\s.*\(192\.168\.1\.50\)$/),
    ]);
  });

  test('a login whose process died (a stale utmp record) does not keep the host awake', async () => {
    const utmp = path.join(dir, 'utmp-stale');
    writeFileSync(
      utmp,
      utmpRecord({ type: 7, pid: 2 ** 22 + 17, line: 'pts/3', id: 'ts/3', user: 'root', host: '10.0.0.9' }),
    );
    expect((await runCheck(createPtySessionsCheck({ utmpFile: utmp }))).state).toBe('idle');
  });

  test('no utmp database: unavailable (the tool is left out), never active', async () => {
    const r = await runCheck(createPtySessionsCheck({ utmpFile: path.join(dir, 'no-such-utmp') }));
    expect(r.state).toBe('unavailable');
  });

  test('nobody on a pty: idle', async () => {
    const utmp = path.join(dir, 'utmp-empty');
    writeFileSync(
      utmp,
      utmpRecord({ type: 7, pid: process.pid, line: 'tty1', id: 'tty1', user: 'bob', host: '' }),
    );
    expect((await runCheck(createPtySessionsCheck({ utmpFile: utmp }))).state).toBe('idle');
  });

  test('pty logins read as user, line and origin', () => {
    const records = [
      { type: 7, pid: 1, line: 'pts/0', user: 'root', host: '192.168.1.50', time: 0 },
      { type: 7, pid: 1, line: 'tty1', user: 'bob', host: '', time: 0 },
      { type: 8, pid: 1, line: 'pts/1', user: '', host: '', time: 0 },
    ];
    expect(ptyLogins(records, () => true)).toEqual(['root pts/0 (192.168.1.50)']);
  });
});

describe('blocking processes (HOST_BLOCKING_PROCESSES, pgrep -f semantics)', () => {
  test('matches the full command line of a real process, beyond the 15-character comm', async () => {
    const marker = `unattended-upgrade-shutdown-${process.pid}`;
    const proc = $({ quiet: true, nothrow: true })`exec -a ${marker} sleep 30`;
    await new Promise((r) => setTimeout(r, 150));
    try {
      const r = await runCheck(createBlockingProcessesCheck([`upgrade-shutdown-${process.pid}`]));
      expect(r.state).toBe('active');
      expect(r.detail).toContain(`upgrade-shutdown-${process.pid}`);
      // An extended regular expression, as pgrep takes it.
      expect(
        (await runCheck(createBlockingProcessesCheck([`^unattended-[[:alpha:]]+-shutdown-${process.pid}`])))
          .state,
      ).toBe('active');
    } finally {
      await proc.kill('SIGKILL').catch(() => undefined);
      await proc.catch(() => undefined);
    }
  });

  test('this tool and its parents never match (their command lines mention the pattern)', async () => {
    const marker = `proxmox-sleep-tick-${process.pid}`;
    const table = await readProcessTable();
    const withOwn = table.map((p) =>
      p.pid === process.pid || p.pid === process.ppid ? { ...p, commandLine: `node cli.js ${marker}` } : p,
    );
    const r = await runCheck(createBlockingProcessesCheck([marker], { processes: async () => withOwn }));
    expect(r.state).toBe('idle');
  });

  test('nothing configured is idle; an invalid pattern is unknown, never active', async () => {
    expect((await runCheck(createBlockingProcessesCheck([]))).detail).toBe('none configured');
    expect((await runCheck(createBlockingProcessesCheck(['(unclosed']))).state).toBe('unknown');
    expect(() => compilePattern('[[:digit:]]+')).not.toThrow();
    expect(compilePattern('^[[:digit:]]+$').test('123')).toBe(true);
    expect(compilePattern('^[[:digit:]]+$').test('d]')).toBe(false);
  });
});

describe('blocking units (HOST_BLOCKING_UNITS)', () => {
  test('the real systemctl without systemd as PID 1 cannot tell: unknown, not idle, not active', async () => {
    const r = await runCheck(createBlockingUnitsCheck(['apt-daily.service'], { run }));
    expect(r.state).toBe('unknown');
  });

  test('an active unit keeps the host awake (systemctl is-active --quiet exit 0)', async () => {
    const bin = fakeTool(
      'systemctl',
      '[ "$1 $2" = "is-active --quiet" ] || exit 2\ncase "$3" in apt-daily.service) exit 0;; *) exit 3;; esac',
    );
    const fake = createRunner({
      timeoutMs: 5000,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    const busy = await runCheck(
      createBlockingUnitsCheck(['apt-daily.service', 'apt-daily-upgrade.service'], { run: fake }),
    );
    expect(busy).toMatchObject({ state: 'active', detail: 'active: apt-daily.service' });
    const quiet = await runCheck(createBlockingUnitsCheck(['apt-daily-upgrade.service'], { run: fake }));
    expect(quiet.state).toBe('idle');
  });
});

describe('sleep inhibitors (CHECK_SLEEP_INHIBITORS)', () => {
  const captured = readFileSync(path.join(CAPTURED, 'systemd-inhibit-list.txt'), 'utf8');

  test('rows are split on the numeric UID and PID, so WHO and WHY may contain spaces', () => {
    const rows = parseInhibitors(
      `${captured}Unattended Upgrades Shutdown 0 root 1056 unattended-upgr shutdown Stop ongoing upgrades or perform upgrades before shutdown delay\n`,
    );
    expect(rows[0]).toEqual({
      who: 'ModemManager',
      uid: 0,
      pid: 898,
      what: ['sleep'],
      why: 'ModemManager needs to reset devices',
      mode: 'delay',
    });
    expect(rows[4]).toMatchObject({ who: 'Unattended Upgrades Shutdown', what: ['shutdown'], mode: 'delay' });
    expect(rows.filter(blocksSleep).map((r) => r.who)).toEqual(['ModemManager', 'NetworkManager', 'UPower']);
  });

  test('block and delay count, block-weak and non-sleep locks do not', () => {
    const rows = parseInhibitors(
      [
        'backup 0 root 10 borg sleep:shutdown Backup running block',
        'player 1000 me 11 mpv idle:sleep Playing block-weak',
        'lid 1000 me 12 csd-power handle-lid-switch Displays block',
      ].join('\n'),
    );
    expect(rows.map(blocksSleep)).toEqual([true, false, false]);
  });

  test('a COMM with a space (Firefox\'s "Web Content") still finds the sleep lock', () => {
    const rows = parseInhibitors('firefox 1000 alice 4242 Web Content sleep:idle Playing video block\n');
    expect(rows).toEqual([
      { who: 'firefox', uid: 1000, pid: 4242, what: ['sleep', 'idle'], why: 'Playing video', mode: 'block' },
    ]);
    expect(rows.map(blocksSleep)).toEqual([true]);
  });

  test('the real systemd-inhibit without logind fails: unknown', async () => {
    expect((await runCheck(createSleepInhibitorsCheck({ run }))).state).toBe('unknown');
  });

  test('captured output through the check: active, naming who and why', async () => {
    writeFileSync(path.join(dir, 'inhibit.txt'), captured);
    const bin = fakeTool('systemd-inhibit', `exec cat "${path.join(dir, 'inhibit.txt')}"`);
    const fake = createRunner({
      timeoutMs: 5000,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    });
    const r = await runCheck(createSleepInhibitorsCheck({ run: fake }));
    expect(r.state).toBe('active');
    expect(r.detail).toMatch(/^ModemManager: ModemManager needs to reset devices \(delay\); NetworkManager/);
  });
});

test('host GPU: the maximum over GPUs; no nvidia-smi here means unknown', async () => {
  expect(
    parseNvidiaUtilisation(readFileSync(path.join(CAPTURED, 'nvidia-smi-utilization.txt'), 'utf8')),
  ).toBe(87);
  expect(parseNvidiaUtilisation('No devices were found\n')).toBeNull();
  expect(await readHostGpuPercent(run, 5000)).toBeNull();
});

test('container process names are basenames of argv[0]', () => {
  expect(processNamesFromPs(readFileSync(path.join(CAPTURED, 'pct-ps-args.txt'), 'utf8'))).toEqual([
    'init',
    'systemd-journald',
    'cron',
    'steam',
    'steamwebhelper',
    'bash',
    'ps',
  ]);
});

test('a missing tool makes a host check unavailable (warned once), never unknown or active', async () => {
  const empty = path.join(dir, 'empty-bin');
  mkdirSync(empty, { recursive: true });
  const bare = createRunner({ timeoutMs: 5000, env: { ...process.env, PATH: empty } });
  const units = await runCheck(createBlockingUnitsCheck(['apt-daily.service'], { run: bare }));
  expect(units).toMatchObject({ state: 'unavailable', detail: 'systemctl is not installed' });
  const inhibitors = await runCheck(createSleepInhibitorsCheck({ run: bare }));
  expect(inhibitors).toMatchObject({ state: 'unavailable', detail: 'systemd-inhibit is not installed' });
});

test('an active host check stands for its own reason word', async () => {
  const busy: HostCheck = {
    name: 'x',
    reason: 'x_busy',
    run: async () => ({ state: 'active', detail: 'busy' }),
  };
  const hangs: HostCheck = { name: 'y', reason: 'y', timeoutMs: 50, run: () => new Promise(() => undefined) };
  expect(await runCheck(busy)).toMatchObject({
    name: 'x',
    checkReason: 'x_busy',
    reason: 'x_busy',
    state: 'active',
  });
  expect(await runCheck(hangs)).toMatchObject({
    name: 'y',
    state: 'unknown',
    detail: 'timed out after 0.05s',
  });
});
