/**
 * `proxmox-sleep-agent wake-at`: the user's wake time, stored in the state directory, reported as the
 * status's next_wake_at and shown by `check`; the running daemon republishes as soon as it changes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { runAgentCli } from '../../../agent-app/cli/program';
import { systemClock } from '../../../common/clock';
import { localTime } from '../../../common/log';
import { parseReply, parseStatus } from '../../../protocol';
import { agentCli } from '../../helpers/agent-cli';

let dir: string;
let env: NodeJS.ProcessEnv;
let globals: string[];
const statusFile = () => path.join(dir, 'run', 'status.json');
const wakeFile = () => path.join(dir, 'state', 'wake.json');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'agent-wake-at-'));
  writeFileSync(
    path.join(dir, 'agent.json'),
    JSON.stringify({
      intervalSeconds: 60,
      checks: { cpu: { enabled: false }, network: { enabled: false }, input: { enabled: false } },
    }),
  );
  globals = [
    '--config',
    path.join(dir, 'agent.json'),
    '--status-file',
    statusFile(),
    '--state-dir',
    path.join(dir, 'state'),
  ];
  env = { PATH: path.join(dir, 'bin'), DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${path.join(dir, 'no-bus')}` };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `YYYY-MM-DDTHH:MM` in local time, `days` from now at 06:30. */
function localStamp(days: number): { text: string; at: number } {
  const d = new Date();
  d.setDate(d.getDate() + days);
  d.setHours(6, 30, 0, 0);
  const p = (n: number) => String(n).padStart(2, '0');
  return { text: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T06:30`, at: d.getTime() };
}

const statusNow = async () => parseStatus((await agentCli([...globals, 'status'], env)).stdout);

describe('proxmox-sleep-agent wake-at', () => {
  it('stores a local date and time; status reports it and check names it, in later runs too', async () => {
    const { text, at } = localStamp(2);
    const set = await agentCli([...globals, 'wake-at', text], env);
    expect(set.code).toBe(0);
    expect(parseReply(set.stdout)).toEqual({
      success: true,
      message: `Wake requested for ${new Date(at).toISOString()}`,
    });
    expect(JSON.parse(readFileSync(wakeFile(), 'utf8'))).toMatchObject({
      at: new Date(at).toISOString(),
      source: 'cli',
    });
    expect((await statusNow()).next_wake_at).toBe(new Date(at).toISOString());
    const check = await agentCli([...globals, 'check'], env);
    expect(check.stdout).toMatch(
      new RegExp(`^wake +at +${localTime(at)} \\(in [^)]+\\), wake-at \\(set by cli\\)$`, 'm'),
    );
  });

  it('takes HH:MM as the next such local time', async () => {
    const run = await agentCli([...globals, 'wake-at', '07:00', '--source', 'tray'], env);
    expect(run.code).toBe(0);
    const at = Date.parse(JSON.parse(readFileSync(wakeFile(), 'utf8')).at);
    expect(new Date(at).getHours()).toBe(7);
    expect(at - Date.now()).toBeGreaterThan(0);
    expect(at - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
  });

  it('--off clears it', async () => {
    await agentCli([...globals, 'wake-at', localStamp(1).text], env);
    const off = await agentCli([...globals, 'wake-at', '--off'], env);
    expect(parseReply(off.stdout)).toEqual({ success: true, message: 'Wake request cleared' });
    expect((await statusNow()).next_wake_at).toBeNull();
  });

  it('reads a stored time that has passed as cleared', async () => {
    mkdirSync(path.join(dir, 'state'));
    const past = new Date(Date.now() - 60_000).toISOString();
    writeFileSync(wakeFile(), JSON.stringify({ at: past, source: 'cli', set_at: past }));
    expect((await statusNow()).next_wake_at).toBeNull();
    expect((await agentCli([...globals, 'check'], env)).stdout).not.toMatch(/^wake/m);
  });

  it.each([
    [['2020-01-01T00:00'], /"2020-01-01T00:00" is in the past/],
    [['tomorrow'], /is not a time/],
    [['25:00'], /not a time of day/],
    [['07:00\u0007'], /^time: must not contain control characters$/],
    [[], /^give exactly one of a time or --off$/],
    [['07:00', '--off'], /^give exactly one of a time or --off$/],
  ])('refuses %j with exit 64 and stores nothing', async (args, message) => {
    const run = await agentCli([...globals, 'wake-at', ...args], env);
    expect(run.code).toBe(64);
    const reply = parseReply(run.stdout);
    expect(reply.success).toBe(false);
    expect(reply.message).toMatch(message);
    expect(existsSync(wakeFile())).toBe(false);
  });

  it('exits 1 when the state directory cannot be written', async () => {
    writeFileSync(path.join(dir, 'state'), 'a file where the directory should be');
    const run = await agentCli([...globals, 'wake-at', '07:00'], env);
    expect(run.code).toBe(1);
    expect(parseReply(run.stdout).message).toMatch(/^cannot save the wake time: /);
  });
});

describe('the daemon and wake-at', () => {
  it('republishes within moments of a wake-at, not at the next interval', async () => {
    const shutdown = new AbortController();
    const daemon = runAgentCli(['node', 'proxmox-sleep-agent', ...globals, 'run'], {
      env,
      platform: 'linux',
      clock: systemClock,
      stdout: async () => undefined,
      stderr: () => undefined,
      shutdown: shutdown.signal,
    });
    try {
      const waitFor = async (ok: () => boolean) => {
        for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
        return ok();
      };
      const written = () => (existsSync(statusFile()) ? parseStatus(readFileSync(statusFile())) : null);
      expect(await waitFor(() => (written()?.seq ?? 0) >= 2)).toBe(true);
      expect(written()!.next_wake_at).toBeNull();
      const { at } = localStamp(3);
      await agentCli([...globals, 'wake-at', localStamp(3).text], env);
      expect(await waitFor(() => written()?.next_wake_at === new Date(at).toISOString())).toBe(true);
    } finally {
      shutdown.abort();
      expect(await daemon).toBe(0);
    }
  });
});
