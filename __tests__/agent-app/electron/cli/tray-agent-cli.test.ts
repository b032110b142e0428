/**
 * The tray package's `proxmox-sleep-agent`: the SYSTEM task's `power-requests` with a real `powercfg`
 * stand-in process printing captured output, and `notify` handed to a real tray-side notice watcher.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { systemClock } from '../../../../common/clock';
import { createLogger, memorySink } from '../../../../common/log';
import { runTrayAgentCli } from '../../../../agent-app/electron/cli/tray-agent-cli';
import { createNoticeWatcher } from '../../../../agent-app/electron/main/notice-watcher';
import type { Notice } from '../../../../agent-app/electron/notice/notice-file';
import { parseSnapshot } from '../../../../agent-app/platform/windows/power-requests-snapshot';

let dir: string;
let statusFile: string;
let configFile: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tray-cli-'));
  statusFile = path.join(dir, 'run', 'status.json');
  configFile = path.join(dir, 'agent.json');
  writeFileSync(configFile, JSON.stringify({ statusFile, stateDir: path.join(dir, 'state') }));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runTrayAgentCli(
    ['node', 'proxmox-sleep-agent', ...args],
    {
      env: { PROXMOX_SLEEP_AGENT_CONFIG: configFile, PATH: process.env.PATH, ...env },
      platform: 'linux',
      clock: systemClock,
      stdout: async (t) => void out.push(t),
      stderr: (t) => void err.push(t),
      shutdown: new AbortController().signal,
    },
    // no real logins: the fallback must not write to this machine's terminals
    { utmpFile: path.join(dir, 'no-utmp') },
  );
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A `powercfg` on PATH that prints a captured `powercfg /requests` (and checks its argument). */
function fakePowercfg(fixture: string): string {
  const bin = path.join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const captured = path.join(bin, 'captured.txt');
  copyFileSync(path.join(__dirname, '..', '..', '..', 'fixtures', 'agent', 'powercfg', fixture), captured);
  writeFileSync(
    path.join(bin, 'powercfg'),
    `#!/bin/sh\n[ "$1" = "/requests" ] || { echo "unexpected: $*" >&2; exit 2; }\ncat '${captured}'\n`,
  );
  chmodSync(path.join(bin, 'powercfg'), 0o755);
  return bin;
}

describe('power-requests (the Windows SYSTEM task)', () => {
  it('--once writes the parsed requests next to the status file', async () => {
    const bin = fakePowercfg('home-assistant-video-wake-lock.txt');
    const result = await cli(['power-requests', '--once'], { PATH: `${bin}:${process.env.PATH}` });
    expect(result.code).toBe(0);
    const snapshot = parseSnapshot(readFileSync(path.join(dir, 'run', 'system', 'power-requests.json')));
    expect(snapshot).toMatchObject({
      source: 'powercfg',
      interval_seconds: 10,
      error: null,
      requests: [{ who: 'Home Assistant Desktop.exe', why: 'Video Wake Lock', kind: 'DISPLAY' }],
    });
    expect(result.stderr).toContain('DISPLAY Home Assistant Desktop.exe: Video Wake Lock');
  });

  it('--out and --interval; without powercfg the snapshot says why', async () => {
    const out = path.join(dir, 'elsewhere', 'pr.json');
    const result = await cli(['power-requests', '--once', '--out', out, '--interval', '30'], {
      PATH: path.join(dir, 'empty'),
    });
    expect(result.code).toBe(0);
    expect(parseSnapshot(readFileSync(out))).toMatchObject({
      interval_seconds: 30,
      requests: [],
      error: 'powercfg is not available',
    });
  });

  it('refuses a bad interval', async () => {
    expect((await cli(['power-requests', '--interval', '0'])).code).toBe(64);
  });
});

describe("notify (the host's pre-sleep warning)", () => {
  it('reaches a running tray and says so', async () => {
    mkdirSync(path.dirname(statusFile), { recursive: true });
    const shown: Notice[] = [];
    const watcher = await createNoticeWatcher({
      statusFile,
      clock: systemClock,
      logger: createLogger('tray', { sink: memorySink() }),
      show: (n) => void shown.push(n),
    });
    try {
      const result = await cli([
        'notify',
        '--message',
        'The host sleeps when you are done',
        '--seconds',
        '60',
      ]);
      expect(JSON.parse(result.stdout)).toEqual({
        success: true,
        message: 'Notification shown on the desktop by the tray',
      });
      expect(result.code).toBe(0);
      expect(shown).toHaveLength(1);
      expect(shown[0]).toMatchObject({ message: 'The host sleeps when you are done', seconds: 60 });
    } finally {
      watcher.close();
    }
  });

  it('without a tray, falls back to terminals (none here) and fails honestly', async () => {
    const result = await cli(['notify', '--message', 'bye', '--seconds', '60'], {
      PATH: path.join(dir, 'empty'),
    });
    expect(JSON.parse(result.stdout)).toEqual({
      success: false,
      message:
        'Notification logged; no logged-in terminal could be reached (no tray acknowledged the notice within 3 s)',
    });
    expect(result.code).toBe(1);
  });

  it('validates its arguments like the daemon', async () => {
    const result = await cli(['notify', '--message', 'x', '--seconds', 'soon']);
    expect(result.code).toBe(64);
    expect(JSON.parse(result.stdout).success).toBe(false);
  });
});

describe("everything else is the daemon's command line", () => {
  it('block writes the shared block file the tray watches', async () => {
    const result = await cli(['block', '--for', '1h', '--source', 'host']);
    expect(result.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'state', 'block.json'), 'utf8'))).toMatchObject({
      active: true,
      source: 'host',
    });
  });

  it('--help lists power-requests and points to the tray docs', async () => {
    const result = await cli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/power-requests \[options\]/);
    expect(result.stdout).toMatch(/notify \[options\]\s+warn the desktop user/);
    expect(result.stdout).toContain('docs/tray.md');
  });
});
