/** What makes each check active, with recorded readings and a simulated clock. */
import * as cpu from '../../../agent-app/core/checks/cpu';
import * as custom from '../../../agent-app/core/checks/custom-command';
import * as gpu from '../../../agent-app/core/checks/gpu';
import * as input from '../../../agent-app/core/checks/input-idle';
import * as network from '../../../agent-app/core/checks/network';
import * as power from '../../../agent-app/core/checks/power-requests';
import * as processes from '../../../agent-app/core/checks/processes';
import * as sessions from '../../../agent-app/core/checks/sessions';
import { SimulatedClock } from '../../../common/clock';
import type { RunResult } from '../../../common/shell';
import { runResult } from '../../helpers/run-result';

const ctx = () => ({ signal: new AbortController().signal, now: 0 });

describe('input idle', () => {
  const make = (idleSeconds: number) =>
    input.create(
      { activeWithinSeconds: 60 },
      { probe: { read: async () => ({ idleSeconds, source: 'x11' }) } },
    );
  it('is active within the window and idle after it', async () => {
    expect(await make(59.9).run(ctx())).toMatchObject({
      state: 'active',
      reason: 'user_input',
      evidence: { user_idle_seconds: 59, user_idle_source: 'x11' },
    });
    expect(await make(60).run(ctx())).toMatchObject({ state: 'idle', evidence: { user_idle_seconds: 60 } });
  });
});

describe('gpu', () => {
  const make = (percent: number) =>
    gpu.create(
      { thresholdPercent: 10 },
      { probe: { read: async () => ({ percent, gpus: 2, source: 'nvidia-smi' }) } },
    );
  it('is active strictly above the threshold', async () => {
    expect(await make(10).run(ctx())).toMatchObject({
      state: 'idle',
      detail: 'GPU 10% <= 10% (nvidia-smi, busiest of 2 GPUs)',
    });
    expect(await make(11).run(ctx())).toMatchObject({
      state: 'active',
      reason: 'gpu_active',
      evidence: { gpu_percent: 11 },
    });
  });
});

describe('power requests', () => {
  it('applies the ignore list to "who: why"', async () => {
    const probe = {
      read: async () => ({
        requests: [
          { who: 'Steam', why: 'Downloading', kind: 'sleep' },
          { who: 'backupd', why: 'Time Machine backup', kind: 'x' },
        ],
        source: 'logind',
      }),
    };
    expect(await power.create({ ignore: [] }, { probe }).run(ctx())).toMatchObject({
      state: 'active',
      reason: 'power_request',
      evidence: { power_requests: ['Steam: Downloading', 'backupd: Time Machine backup'] },
    });
    expect(await power.create({ ignore: ['steam', 'TIME MACHINE'] }, { probe }).run(ctx())).toMatchObject({
      state: 'idle',
    });
  });
});

describe('processes', () => {
  it('matches exactly and case-insensitively, .exe stripped only on Windows', async () => {
    const probe = { list: async () => ['Steam.exe', 'steamwebhelper', 'bash'] };
    const windows = processes.create({ names: ['steam', 'GAME.EXE'] }, { probe, stripExe: true });
    expect(await windows.run(ctx())).toMatchObject({
      state: 'active',
      reason: 'process:steam',
      reasons: ['process:steam'],
    });
    const linux = processes.create({ names: ['steam', 'BASH'] }, { probe, stripExe: false });
    expect(await linux.run(ctx())).toMatchObject({
      reasons: ['process:BASH'],
      evidence: { active_processes: ['BASH'] },
    });
    const none = processes.create({ names: ['steamweb'] }, { probe, stripExe: false });
    expect(await none.run(ctx())).toMatchObject({ state: 'idle' });
  });
});

describe('cpu', () => {
  it('compares the busy share since the previous run; the first run waits for a second sample', async () => {
    const clock = new SimulatedClock();
    const samples = [
      { busy: 0, total: 0 },
      { busy: 50, total: 1000 },
      { busy: 450, total: 2000 },
    ];
    const check = cpu.create(
      { thresholdPercent: 15, loadThreshold: 2 },
      {
        clock,
        warmupMs: 1000,
        probe: { times: async () => samples.shift()!, loadAverage: async () => 0.5 },
      },
    );
    const first = check.run(ctx());
    await clock.advance(1000);
    expect(await first).toMatchObject({
      state: 'idle',
      detail: 'CPU 5% <= 15%, load 0.50',
      evidence: { load_average: 0.5 },
    });
    expect(await check.run(ctx())).toMatchObject({
      state: 'active',
      reason: 'cpu_load',
      detail: 'CPU 40% > 15%',
    });
  });

  it('can also use the load average', async () => {
    const clock = new SimulatedClock();
    let busy = 0;
    const check = cpu.create(
      { thresholdPercent: 90, loadThreshold: 1.5 },
      {
        clock,
        warmupMs: 0,
        probe: {
          times: async () => ({ busy: (busy += 1), total: busy * 100 }),
          loadAverage: async () => 3.2,
        },
      },
    );
    const run = check.run(ctx());
    await clock.advance(0);
    expect(await run).toMatchObject({ state: 'active', detail: 'load 3.20 > 1.5' });
  });
});

describe('network', () => {
  it('sums rx+tx of the selected interfaces in kbit/s', async () => {
    const clock = new SimulatedClock();
    const counters = [
      new Map([
        ['eth0', { rxBytes: 0, txBytes: 0 }],
        ['lo', { rxBytes: 0, txBytes: 0 }],
        ['veth1', { rxBytes: 0, txBytes: 0 }],
      ]),
      new Map([
        ['eth0', { rxBytes: 10_000, txBytes: 2_500 }],
        ['lo', { rxBytes: 9e9, txBytes: 9e9 }],
        ['veth1', { rxBytes: 9e9, txBytes: 0 }],
      ]),
    ];
    const check = network.create(
      { thresholdKbps: 50, interfaces: [], excludeInterfaces: ['lo', 'veth*'] },
      {
        clock,
        warmupMs: 1000,
        probe: { counters: async () => counters.shift()! },
      },
    );
    const run = check.run(ctx());
    await clock.advance(1000);
    expect(await run).toMatchObject({
      state: 'active',
      reason: 'network_active',
      detail: '100 kbit/s > 50 kbit/s on eth0',
      evidence: { network_kbps: 100 },
    });
  });

  it('treats a counter reset as no traffic and an empty selection as unknown', async () => {
    expect(
      network
        .throughputKbps(
          new Map([['eth0', { rxBytes: 5000, txBytes: 0 }]]),
          new Map([['eth0', { rxBytes: 10, txBytes: 0 }]]),
          1,
          { interfaces: [], excludeInterfaces: [] },
        )
        .get('eth0'),
    ).toBe(0);
    const clock = new SimulatedClock();
    const check = network.create(
      { thresholdKbps: 1, interfaces: ['wlan*'], excludeInterfaces: [] },
      {
        clock,
        warmupMs: 0,
        probe: { counters: async () => new Map([['eth0', { rxBytes: 1, txBytes: 1 }]]) },
      },
    );
    const run = check.run(ctx());
    await clock.advance(1);
    expect(await run).toMatchObject({ state: 'unknown' });
  });
});

describe('sessions', () => {
  it('counts the configured kinds only', async () => {
    const probe = {
      list: async () => [
        { kind: 'ssh' as const, user: 'root', line: 'pts/0', host: '192.0.2.7' },
        { kind: 'pts' as const, user: 'ann', line: 'pts/1', host: '' },
      ],
    };
    expect(await sessions.create({ kinds: ['ssh', 'tty'] }, { probe }).run(ctx())).toMatchObject({
      state: 'active',
      reason: 'session_active',
      detail: '1 session: root@pts/0 from 192.0.2.7',
      evidence: { sessions: 1 },
    });
    expect(await sessions.create({ kinds: ['tty'] }, { probe }).run(ctx())).toMatchObject({
      state: 'idle',
      evidence: { sessions: 0 },
    });
  });
});

describe('custom command', () => {
  const make = (r: Partial<RunResult>) =>
    custom.create(
      { name: 'backup', command: ['/usr/local/bin/backup-running', '--quiet'], timeoutSeconds: 3 },
      { run: async () => runResult(r) },
    );
  it('exit 0 = active, other exits = idle, timeouts and missing commands = unknown', async () => {
    expect(await make({ exitCode: 0, stdout: 'borg running\nmore' }).run(ctx())).toMatchObject({
      state: 'active',
      reason: 'custom:backup',
      detail: '`/usr/local/bin/backup-running` exited 0: borg running',
    });
    expect(await make({ exitCode: 1 }).run(ctx())).toMatchObject({ state: 'idle' });
    expect(await make({ exitCode: null, signal: 'SIGTERM', timedOut: true }).run(ctx())).toMatchObject({
      state: 'unknown',
      detail: expect.stringMatching(/timed out after 3s/),
    });
    expect(
      await make({
        exitCode: 127,
        stderr: 'bash: /usr/local/bin/backup-running: No such file or directory',
      }).run(ctx()),
    ).toMatchObject({ state: 'unknown', detail: expect.stringMatching(/not found/) });
  });
});
