import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { parseReply, parseStatus } from '../../../protocol';
import { agentFixture } from '../../helpers/agent-fixtures';
import { agentCli, fakeCommand } from '../../helpers/agent-cli';

let dir: string;
let bin: string;
let env: NodeJS.ProcessEnv;
let globals: string[];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'agent-cli-'));
  bin = path.join(dir, 'bin');
  writeFileSync(
    path.join(dir, 'agent.json'),
    JSON.stringify({
      intervalSeconds: 5,
      checks: { cpu: { enabled: false }, network: { enabled: false }, input: { enabled: false } },
    }),
  );
  globals = [
    '--config',
    path.join(dir, 'agent.json'),
    '--status-file',
    path.join(dir, 'run', 'status.json'),
    '--state-dir',
    path.join(dir, 'state'),
  ];
  env = {
    PATH: bin,
    HOME: process.env.HOME,
    DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}`,
  };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const oneDocument = (stdout: string) => {
  expect(stdout.endsWith('\n')).toBe(true);
  expect(stdout.trimEnd().split('\n')).toHaveLength(1);
  return parseStatus(stdout);
};

describe('proxmox-sleep-agent status', () => {
  it('prints exactly one protocol-v1 document and writes the status file', async () => {
    fakeCommand(
      bin,
      'nvidia-smi',
      `printf '${agentFixture('nvidia-smi', 'eight-gpus.txt').replace(/\n/g, '\\n')}'`,
    );
    const run = await agentCli([...globals, 'status'], env);
    expect(run.code).toBe(0);
    const status = oneDocument(run.stdout);
    expect(status).toMatchObject({
      idle: false,
      reason: 'gpu_active',
      details: { gpu_percent: 86 },
      agent: { variant: 'daemon', os: 'linux' },
    });
    expect(readFileSync(path.join(bin, 'nvidia-smi.calls'), 'utf8')).toBe(
      '--query-gpu=utilization.gpu --format=csv,noheader,nounits\n',
    );
    expect(parseStatus(readFileSync(path.join(dir, 'run', 'status.json')))).toEqual(status);
  });

  it('serves a fresh daemon file with the block as it stands now', async () => {
    const first = oneDocument((await agentCli([...globals, 'status'], env)).stdout);
    expect(first).toMatchObject({ idle: true, seq: 1 });
    const again = oneDocument((await agentCli([...globals, 'status'], env)).stdout);
    expect(again.seq).toBe(1); // the fresh file, not a new evaluation
    expect(parseReply((await agentCli([...globals, 'block', '--for', '1h'], env)).stdout)).toMatchObject({
      success: true,
    });
    const blocked = oneDocument((await agentCli([...globals, 'status'], env)).stdout);
    expect(blocked).toMatchObject({
      seq: 1,
      idle: false,
      reason: 'user_block',
      block: { active: true, source: 'cli' },
    });
    await agentCli([...globals, 'block', '--off'], env);
    expect(oneDocument((await agentCli([...globals, 'status'], env)).stdout)).toMatchObject({
      idle: true,
      reasons: [],
    });
  });

  it('exits 78 naming the field when the configuration is invalid, printing nothing on stdout', async () => {
    writeFileSync(
      path.join(dir, 'agent.json'),
      JSON.stringify({ checks: { gpu: { thresholdPercent: 200 } } }),
    );
    const run = await agentCli([...globals, 'status'], env);
    expect(run).toMatchObject({ code: 78, stdout: '' });
    expect(run.stderr).toContain(
      `${path.join(dir, 'agent.json')}: error: checks.gpu.thresholdPercent: Number must be less than or equal to 100`,
    );
  });
});

describe('proxmox-sleep-agent block', () => {
  it.each([
    [['--for', '90m'], 0, /^Sleep blocked until /],
    [['--until', '23:59'], 0, /^Sleep blocked until /],
    [['--indefinitely'], 0, /^Sleep blocked indefinitely$/],
    [['--off'], 0, /^Sleep block cleared$/],
    [['--for', '90'], 64, /add a unit/],
    [['--for', '1h', '--off'], 64, /exactly one of/],
    [[], 64, /exactly one of/],
  ])('block %j', async (args, code, message) => {
    const run = await agentCli([...globals, 'block', ...args], env);
    expect(run.code).toBe(code);
    const reply = parseReply(run.stdout);
    expect(reply.success).toBe(code === 0);
    expect(reply.message).toMatch(message);
  });

  it('persists the block with an absolute end', async () => {
    await agentCli([...globals, 'block', '--for', '2h'], env);
    const stored = JSON.parse(readFileSync(path.join(dir, 'state', 'block.json'), 'utf8'));
    expect(stored).toMatchObject({ active: true, source: 'cli' });
    expect(Date.parse(stored.until) - Date.now()).toBeGreaterThan(7_190_000);
  });
});

describe('proxmox-sleep-agent hibernate / shutdown', () => {
  it.each([
    ['hibernate', 'hibernate', 'Hibernation initiated'],
    ['shutdown', 'poweroff', 'Shutdown initiated'],
  ])('%s answers first, then runs systemctl %s', async (command, verb, message) => {
    fakeCommand(bin, 'systemctl');
    let calledBeforeReply: boolean | null = null;
    const run = await agentCli([...globals, command], env, () => {
      calledBeforeReply = existsSync(path.join(bin, 'systemctl.calls'));
    });
    expect(calledBeforeReply).toBe(false);
    expect(run.code).toBe(0);
    expect(parseReply(run.stdout)).toEqual({ success: true, message });
    expect(readFileSync(path.join(bin, 'systemctl.calls'), 'utf8')).toBe(`${verb}\n`);
  });

  it('says so when the OS command is missing, and exits 1 when it fails after answering', async () => {
    const missing = await agentCli([...globals, 'hibernate'], env);
    expect(missing.code).toBe(1);
    expect(parseReply(missing.stdout)).toEqual({
      success: false,
      message: 'Cannot hibernate: systemctl not found on PATH',
    });
    fakeCommand(
      bin,
      'systemctl',
      'echo "Failed to hibernate system via logind: Sleep verb not supported" >&2; exit 1',
    );
    const failing = await agentCli([...globals, 'hibernate'], env);
    expect(failing.code).toBe(1);
    expect(parseReply(failing.stdout)).toEqual({ success: true, message: 'Hibernation initiated' });
    expect(failing.stderr).toMatch(/Sleep verb not supported/);
  });
});

describe('proxmox-sleep-agent notify', () => {
  it('broadcasts with wall and answers', async () => {
    fakeCommand(bin, 'wall', 'exit 0', true);
    const run = await agentCli(
      [...globals, 'notify', '--message', 'Host sleeps soon', '--seconds', '60'],
      env,
    );
    expect(run.code).toBe(0);
    expect(parseReply(run.stdout)).toEqual({
      success: true,
      message: 'Notification sent to logged-in terminals (wall)',
    });
    expect(readFileSync(path.join(bin, 'wall.stdin'), 'utf8')).toContain(
      'Proxmox Sleep: Host sleeps soon\nThis machine will be suspended in 60 s.',
    );
    expect(run.stderr).toMatch(/notify \(60s\): Host sleeps soon/);
  });

  it('fails softly without wall or terminals', async () => {
    const run = await agentCli([...globals, 'notify', '--message', 'x', '--seconds', '5'], env);
    expect(run.code).toBe(1);
    expect(parseReply(run.stdout)).toEqual({
      success: false,
      message: 'Notification logged; no logged-in terminal could be reached',
    });
  });

  it('refuses control characters and out-of-range seconds', async () => {
    const escape = await agentCli([...globals, 'notify', '--message', 'a\u001b[2Jb', '--seconds', '5'], env);
    expect(escape.code).toBe(64);
    expect(parseReply(escape.stdout).message).toMatch(/^--message: /);
    const seconds = await agentCli([...globals, 'notify', '--message', 'x', '--seconds', '99999'], env);
    expect(seconds.code).toBe(64);
    expect(parseReply(seconds.stdout).message).toMatch(/^--seconds: /);
  });
});

describe('proxmox-sleep-agent check / run / usage', () => {
  it('check explains every check and exits 1 when something is active', async () => {
    fakeCommand(bin, 'nvidia-smi', 'echo 3');
    const idle = await agentCli([...globals, 'check'], env);
    expect(idle.code).toBe(0);
    expect(idle.stdout).toMatch(/^gpu\s+idle\s+GPU 3% <= 10% \(nvidia-smi\)\n\nIDLE \(idle for 0s\)\n$/);
    await agentCli([...globals, 'block', '--indefinitely'], env);
    const blocked = await agentCli([...globals, 'check'], env);
    expect(blocked.code).toBe(1);
    expect(blocked.stdout).toMatch(/block\s+active\s+until cleared \(cli\)\n\nACTIVE: user_block\n$/);
  });

  it('run --max-ticks writes starting, then evaluations', async () => {
    const run = await agentCli([...globals, 'run', '--max-ticks', '1'], env);
    expect(run.code).toBe(0);
    expect(parseStatus(readFileSync(path.join(dir, 'run', 'status.json')))).toMatchObject({
      seq: 2,
      idle: true,
    });
    expect(run.stderr).toMatch(/stopped after 1 evaluation/);
  });

  it('refuses an unsafe status directory with exit 78', async () => {
    const open = path.join(dir, 'open');
    mkdirSync(open, { mode: 0o777 });
    chmodSync(open, 0o777);
    const run = await agentCli(
      [
        '--config',
        path.join(dir, 'agent.json'),
        '--status-file',
        path.join(open, 'status.json'),
        '--state-dir',
        path.join(dir, 'state'),
        'run',
        '--max-ticks',
        '1',
      ],
      env,
    );
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/writable by group or others \(mode 777\)/);
  });

  it('usage errors exit 64', async () => {
    expect((await agentCli(['frobnicate'], env)).code).toBe(64);
    expect((await agentCli([...globals, 'run', '--max-ticks', '0'], env)).code).toBe(64);
    expect((await agentCli(['--help'], env)).code).toBe(0);
  });
});
