/**
 * The exact command line the host sends to a Windows guest (host/guest/agent-argv.ts:
 * `cmd.exe /d /c proxmox-sleep-agent …`), run through Wine's real cmd.exe and the installer's
 * proxmox-sleep-agent.cmd, which starts the tray package's CLI with its Electron binary in Node mode
 * (node.exe stands in for that binary here).
 */
import { readFileSync, rmSync } from 'fs';
import * as path from 'path';
import { agentArgv } from '../../host/guest/agent-argv';
import { parseReply, parseStatus } from '../../protocol';
import { clearData, dataDir, installTray, writeAgentConfig } from './helpers/layout';
import { cDrive, runWindows, wineRun } from './helpers/wine';

const recorder = path.join(__dirname, 'helpers', 'record-argv.js');

beforeEach(() => {
  clearData();
  writeAgentConfig({ checks: { cpu: { enabled: false }, network: { enabled: false } } });
});

describe('what reaches the agent', () => {
  const record = () => cDrive(wineRun(), 'argv.json');
  const HOSTILE = [
    'plain',
    'two words',
    'a "quoted" word',
    'x & del C:\\Windows',
    'a | b',
    '<in >out',
    '^caret^',
    '%PATH% and 100%',
    '!delayed!',
    '(parenthesised)',
    'tab\tand  two spaces',
    'Grüße – ünïcödé ☕',
    'ends with a backslash \\',
    'line\r\nbreak',
    '&|<>',
  ];

  it.each(HOSTILE)('notify --message %p arrives as the host meant it, in Node mode', async (message) => {
    const install = installTray('Argv Probe', recorder);
    rmSync(record(), { force: true });
    const argv = agentArgv('windows', ['notify', '--message', message, '--seconds', '60']);
    const r = await runWindows(argv, {
      searchPath: [install.binDir],
      env: { ARGV_RECORD: 'C:\\argv.json' },
    });
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(record(), 'utf8'))).toEqual({ argv: argv.slice(4), nodeMode: true });
  });
});

describe("the tray package's CLI through the wrapper", () => {
  it('status answers with one protocol-v1 document from Windows', async () => {
    const install = installTray();
    const r = await runWindows(agentArgv('windows', ['status']), { searchPath: [install.binDir] });
    expect(r.code).toBe(0);
    expect(parseStatus(r.stdout).agent.os).toBe('windows');
    expect(parseStatus(readFileSync(dataDir('status.json'))).seq).toBeGreaterThan(0);
  });

  it('a hostile pre-sleep message reaches the tray as the host cleaned it (notice file), and no tray answers', async () => {
    const install = installTray();
    const message = 'Sleeping in 60 s & "soon" | <now> ^ 100% – ünïcödé';
    const argv = agentArgv('windows', ['notify', '--message', message, '--seconds', '60']);
    const r = await runWindows(argv, { searchPath: [install.binDir], timeoutMs: 90_000 });
    const notice = JSON.parse(readFileSync(dataDir('notice.json'), 'utf8')) as { message: string };
    expect(notice.message).toBe(argv[6]);
    expect(notice.message).toBe('Sleeping in 60 s  soon  now  100 – ünïcödé');
    // Nobody runs the tray here, and Windows has no terminal fallback: the host hears it was not delivered.
    expect(parseReply(r.stdout).success).toBe(false);
    expect(r.code).toBe(1);
  });

  it('block through cmd.exe sets the block that the next status reports', async () => {
    const install = installTray();
    const set = await runWindows(agentArgv('windows', ['block', '--for', '1h']), {
      searchPath: [install.binDir],
    });
    expect(parseReply(set.stdout).success).toBe(true);
    const r = await runWindows(agentArgv('windows', ['status']), { searchPath: [install.binDir] });
    expect(parseStatus(r.stdout).block).toMatchObject({ active: true, source: 'cli' });
  });
});
