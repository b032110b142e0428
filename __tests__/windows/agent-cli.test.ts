/**
 * The agent's command line as built (dist/agent-app/daemon/cli.js), run by the official Windows Node under
 * Wine with the default Windows paths: configuration, status file and block store under
 * C:\ProgramData\ProxmoxSleep. What Wine lacks (powercfg, nvidia-smi, PowerShell for the process list) must
 * show up as left out, never as activity.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { parseReply, parseStatus, type Status } from '../../protocol';
import { clearData, dataDir, standIns, writeAgentConfig } from './helpers/layout';
import { runWindowsNode, type WindowsRunOptions } from './helpers/wine';

const cli = path.join(__dirname, '..', '..', 'dist', 'agent-app', 'daemon', 'cli.js');
const agent = (args: string[], options?: WindowsRunOptions) => runWindowsNode(cli, args, options);

/** The checks whose result depends on this busy machine, not on Windows, are off. */
const QUIET_CHECKS = { cpu: { enabled: false }, network: { enabled: false } };

beforeEach(() => {
  clearData();
  writeAgentConfig({ checks: { ...QUIET_CHECKS, processes: { names: ['game.exe'] } } });
});

async function status(): Promise<Status> {
  const r = await agent(['status']);
  expect(r.code).toBe(0);
  return parseStatus(r.stdout);
}

describe('status and check with the default Windows paths', () => {
  it('status prints one protocol-v1 document from Windows and writes it to C:\\ProgramData\\ProxmoxSleep', async () => {
    const doc = await status();
    expect(doc.agent).toMatchObject({ os: 'windows', variant: 'daemon' });
    expect(parseStatus(readFileSync(dataDir('status.json')))).toEqual(doc);
    // powercfg, nvidia-smi and the process list are missing under Wine: left out, so the guest is idle.
    expect(doc.checks).toEqual([]);
    expect(doc).toMatchObject({ idle: true, reason: null, reasons: [] });
  });

  it('check explains that what Wine lacks is left out, and exits 0 (idle)', async () => {
    const r = await agent(['check']);
    expect(r.stdout).toContain('IDLE');
    for (const missing of [
      'check power_requests is not available on this system and is left out: powercfg is not available',
      'check gpu is not available on this system and is left out: neither nvidia-smi nor rocm-smi is installed',
      'check processes is not available on this system and is left out: the process list is not available',
    ])
      expect(r.stderr).toContain(missing);
    expect(r.code).toBe(0);
  });

  it('a custom check runs its Windows command through the shell seam (cmd.exe, exit code kept)', async () => {
    writeAgentConfig({
      checks: {
        ...QUIET_CHECKS,
        custom: [
          { name: 'busy', command: ['cmd.exe', '/d', '/c', 'exit 0'] },
          { name: 'quiet', command: ['cmd.exe', '/d', '/c', 'exit 3'] },
        ],
      },
    });
    const doc = await status();
    expect(doc.checks.map((c) => [c.name, c.state])).toEqual([
      ['custom:busy', 'active'],
      ['custom:quiet', 'idle'],
    ]);
    expect(doc.reasons).toEqual(['custom:busy']);
  });
});

describe('block', () => {
  it('--for 1h, --until 23:00 and --off change what status reports, in C:\\ProgramData\\ProxmoxSleep\\state', async () => {
    const before = Date.now();
    const set = await agent(['block', '--for', '1h']);
    expect(parseReply(set.stdout)).toMatchObject({ success: true });
    expect(existsSync(dataDir('state', 'block.json'))).toBe(true);
    let doc = await status();
    expect(doc.reasons[0]).toBe('user_block');
    expect(doc.block).toMatchObject({ active: true, source: 'cli' });
    expect(Date.parse(doc.block.until!) - before).toBeGreaterThanOrEqual(3600_000);
    expect(Date.parse(doc.block.until!) - Date.now()).toBeLessThanOrEqual(3600_000);

    expect(parseReply((await agent(['block', '--until', '23:00'])).stdout)).toMatchObject({ success: true });
    doc = await status();
    const until = new Date(doc.block.until!);
    // Wine gives Windows this machine's time zone, so local 23:00 is the same on both sides.
    expect([until.getHours(), until.getMinutes()]).toEqual([23, 0]);
    expect(until.getTime()).toBeGreaterThan(Date.now());

    const off = await agent(['block', '--off']);
    expect(parseReply(off.stdout)).toEqual({ success: true, message: 'Sleep block cleared' });
    doc = await status();
    expect(doc.block.active).toBe(false);
    expect(doc.reasons).not.toContain('user_block');
  });

  it('a block runs out at its time: status stops reporting it without anyone clearing it', async () => {
    // Long enough for two agent starts on a loaded machine.
    const until = new Date(Date.now() + 15_000).toISOString();
    expect((await agent(['block', '--until', until])).code).toBe(0);
    expect((await status()).block.active).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(until) - Date.now() + 500)));
    const doc = await status();
    expect(doc.block).toEqual({ active: false, until: null, source: null });
    expect(doc.reasons).not.toContain('user_block');
  });

  it('a bad value is refused with a reply naming the problem, and exit 64', async () => {
    const r = await agent(['block', '--for', 'soon']);
    expect(parseReply(r.stdout).success).toBe(false);
    expect(r.code).toBe(64);
  });
});

describe('hibernate and shutdown stop at the OS command (a stand-in shutdown.exe)', () => {
  const tools = () => standIns('PowerStandIns');

  it.each([
    ['hibernate', ['/h'], 'Hibernation initiated'],
    ['shutdown', ['/s', '/t', '0'], 'Shutdown initiated'],
  ])('%s answers first, then runs shutdown.exe %p', async (command, args, message) => {
    const bin = tools();
    bin.add('shutdown');
    const r = await agent([command], { searchPath: [bin.winDir] });
    expect(parseReply(r.stdout)).toEqual({ success: true, message });
    expect(bin.calls('shutdown')).toEqual([args]);
    expect(r.code).toBe(0);
  });

  it('a refused hibernation is logged after the acknowledgement, and the exit code says so', async () => {
    const bin = tools();
    bin.add('shutdown', { exitCode: 1 });
    const r = await agent(['hibernate'], { searchPath: [bin.winDir] });
    expect(parseReply(r.stdout).success).toBe(true);
    expect(r.stderr).toContain('hibernate failed after it was acknowledged: shutdown.exe /h exited 1');
    expect(r.code).toBe(1);
  });
});
