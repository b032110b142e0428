/**
 * The main process's wiring, with a fake `electron` module at the boundary only: the agent core, the
 * block store, the status writer, the checks and the files are real (in a temp folder).
 */
jest.mock('electron', () =>
  jest
    .requireActual<typeof import('../../../helpers/fake-electron')>('../../../helpers/fake-electron')
    .createFakeElectron(),
);

import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as electron from 'electron';
import { systemClock } from '../../../../common/clock';
import { memorySink } from '../../../../common/log';
import { parseAgentConfig, type AgentConfigInput } from '../../../../agent-app/core/config';
import { IpcChannel, type StatusSnapshot } from '../../../../agent-app/electron/ipc-channels';
import { startTrayApp, type TrayApp, type TrayAppOptions } from '../../../../agent-app/electron/main/app';
import {
  buildNotice,
  noticeFile,
  noticeShownFile,
  writeNotice,
} from '../../../../agent-app/electron/notice/notice-file';
import {
  buildSnapshot,
  powerRequestsFile,
} from '../../../../agent-app/platform/windows/power-requests-snapshot';
import { writeSnapshot } from '../../../../agent-app/platform/windows/power-requests-writer';
import type { PowerShellSession } from '../../../../agent-app/platform/windows/powershell-session';
import { parseStatus, type Status } from '../../../../protocol';
import type { FakeElectron } from '../../../helpers/fake-electron';

const fake = electron as unknown as FakeElectron;
type Tray = FakeElectron['Tray'] extends { instances: (infer T)[] } ? T : never;

let dir: string;
let running: TrayApp | null;
const repo = path.join(__dirname, '..', '..', '..', '..');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tray-app-'));
  running = null;
  fake.app.removeAllListeners();
  fake.powerMonitor.removeAllListeners();
  fake.ipcMain.handlers.clear();
  fake.app.hasLock = true;
  fake.app.quitted = false;
  fake.app.exitCode = null;
  fake.app.openAtLogin = false;
  fake.app.appPath = repo;
  fake.app.paths = {
    userData: path.join(dir, 'user-data'),
    logs: path.join(dir, 'logs'),
    home: path.join(dir, 'home'),
  };
  fake.Tray.instances.length = 0;
  fake.BrowserWindow.instances.length = 0;
  fake.Notification.instances.length = 0;
  fake.powerMonitor.idleSeconds = 5;
  jest.clearAllMocks();
});

afterEach(async () => {
  await running?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const statusFile = () => path.join(dir, 'run', 'status.json');
const onDisk = (): Status => parseStatus(readFileSync(statusFile()));
const tray = (): Tray => fake.Tray.instances[0] as Tray;

async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 8000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function config(checks: AgentConfigInput['checks'] = {}, os: 'linux' | 'windows' = 'linux') {
  return parseAgentConfig(
    {
      // One evaluation during a test; actions republish on their own.
      intervalSeconds: 3600,
      statusFile: statusFile(),
      stateDir: path.join(dir, 'state'),
      checks: {
        input: { activeWithinSeconds: 3600 },
        cpu: { enabled: false },
        network: { enabled: false },
        sessions: { enabled: false },
        gpu: { enabled: false },
        powerRequests: { enabled: false },
        ...checks,
      },
    },
    os,
  );
}

async function start(extra: Partial<TrayAppOptions> = {}): Promise<TrayApp> {
  const sink = memorySink();
  const app = await startTrayApp({
    argv: ['/opt/Proxmox Sleep Agent/proxmox-sleep-tray'],
    env: { DISPLAY: ':0', XDG_CONFIG_DIRS: path.join(dir, 'xdg') },
    platform: 'linux',
    clock: systemClock,
    loadConfig: async () => config(),
    edges: { findOnPath: async () => null },
    logSink: sink,
    homeDir: path.join(dir, 'home'),
    ...extra,
  });
  if (!app) throw new Error('the app did not start');
  running = app;
  await waitFor(
    'the first evaluation in the tray',
    () => (app.agent.status?.checks.length ?? 0) > 0 && !tray().labels()[0].startsWith('Starting'),
  );
  return app;
}

describe('tray app wiring', () => {
  it('starts once, writes a tray status file with the input idle source, and shows it in the tray', async () => {
    await start();
    expect(fake.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fake.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    const status = onDisk();
    expect(status.agent.variant).toBe('tray');
    expect(status.reasons).toEqual(['user_input']);
    expect(status.details.user_idle_source).toBe('electron');
    expect(status.checks[0]).toEqual({
      name: 'input',
      state: 'active',
      detail: 'input 5s ago (< 3600s, electron)',
    });
    expect(path.relative(repo, tray().image.path)).toBe(path.join('assets', 'tray', 'tray-active-32.png'));
    expect(tray().image.isEmpty()).toBe(false);
    expect(tray().tooltip).toBe('Proxmox Sleep Agent\nActive: keyboard/mouse used 5 s ago');
    expect(tray().labels()).toEqual([
      'Active: keyboard/mouse used 5 s ago',
      '---',
      'Block sleep',
      'Open status…',
      '---',
      'Start at login',
      'Quit',
    ]);
  });

  it('a second start hands over and quits', async () => {
    fake.app.hasLock = false;
    const app = await startTrayApp({
      argv: ['x', '--block', '1h'],
      env: {},
      platform: 'linux',
      clock: systemClock,
      loadConfig: async () => config(),
    });
    expect(app).toBeNull();
    expect(fake.app.quit).toHaveBeenCalled();
    expect(fake.Tray.instances).toHaveLength(0);
  });

  it('an invalid configuration is explained, and the app exits 78', async () => {
    const app = await startTrayApp({
      argv: ['x'],
      env: {},
      platform: 'linux',
      clock: systemClock,
      loadConfig: async () =>
        parseAgentConfig({ intervalSeconds: 0 }, 'linux', '/etc/proxmox-sleep/agent.json'),
      logSink: memorySink(),
    });
    expect(app).toBeNull();
    expect(fake.dialog.showErrorBox).toHaveBeenCalledWith(
      'Proxmox Sleep Agent cannot start',
      expect.stringContaining('/etc/proxmox-sleep/agent.json: error: intervalSeconds:'),
    );
    expect(fake.app.exitCode).toBe(78);
  });

  it('Block sleep from the menu goes through the core: block file, status file, icon, countdown', async () => {
    await start();
    const before = Date.now();
    tray().click('Block sleep', '1 hour');
    await waitFor('the blocked status in the tray', () => tray().image.path.endsWith('tray-blocked-32.png'));
    const status = onDisk();
    expect(status.reasons[0]).toBe('user_block');
    expect(status.block.source).toBe('tray');
    const until = Date.parse(status.block.until!);
    expect(until).toBeGreaterThanOrEqual(before + 3600_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3600_000);
    expect(JSON.parse(readFileSync(path.join(dir, 'state', 'block.json'), 'utf8'))).toMatchObject({
      active: true,
      source: 'tray',
    });
    expect(tray().image.path).toMatch(/tray-blocked-32\.png$/);
    expect(tray().labels()[0]).toBe('Sleep blocked — 1 h left');
    expect(tray().labels()[2]).toBe('Block sleep — 1 h left');

    tray().click('Block sleep — 1 h left', 'Stop blocking');
    await waitFor('the block to clear', () => tray().image.path.endsWith('tray-active-32.png'));
    expect(onDisk().block.active).toBe(false);
  });

  it('re-applies icon and menu only when they change', async () => {
    const app = await start();
    const { setImageCalls, setMenuCalls } = tray();
    await app.agent.evaluate();
    await app.agent.evaluate();
    expect(tray().setImageCalls).toBe(setImageCalls);
    expect(tray().setMenuCalls).toBe(setMenuCalls);
    fake.powerMonitor.idleSeconds = 7200;
    await app.agent.evaluate();
    expect(tray().setImageCalls).toBe(setImageCalls + 1);
    expect(tray().image.path).toMatch(/tray-idle-32\.png$/);
    expect(tray().labels()[0]).toBe('Idle — host may sleep');
  });

  it('a block set by the CLI (the host) shows up at once through the watched block file', async () => {
    await start();
    const { runAgentCli } = await import('../../../../agent-app/cli/program');
    const configFile = path.join(dir, 'agent.json');
    writeFileSync(configFile, '{}');
    const ok = await runAgentCli(
      [
        'node',
        'proxmox-sleep-agent',
        '--state-dir',
        path.join(dir, 'state'),
        'block',
        '--indefinitely',
        '--source',
        'host',
      ],
      {
        env: { PROXMOX_SLEEP_AGENT_CONFIG: configFile },
        platform: 'linux',
        clock: systemClock,
        stdout: async () => undefined,
        stderr: () => undefined,
        shutdown: new AbortController().signal,
      },
    );
    expect(ok).toBe(0);
    await waitFor(
      'the tray to see the block',
      () => tray().labels()[0] === 'Sleep blocked until you turn it off',
    );
    expect(onDisk().block).toEqual({ active: true, until: null, source: 'host' });
  });

  describe('status window and IPC', () => {
    it('opens a sandboxed, isolated window without Node and answers only that window', async () => {
      const app = await start();
      const trusted = () => {
        const win = fake.BrowserWindow.instances[0];
        return { sender: { id: win.webContents.id }, senderFrame: { url: `file://${win.loaded}` } };
      };
      await expect(
        fake.ipcMain.invoke(IpcChannel.GetStatus, {
          sender: { id: 999 },
          senderFrame: { url: 'https://evil.example/' },
        }),
      ).rejects.toThrow(/refused/);

      tray().click('Open status…');
      const win = fake.BrowserWindow.instances[0];
      expect(win.options.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webviewTag: false,
      });
      expect(win.options.webPreferences?.preload).toMatch(/bundles[/\\]preload\.js$/);
      expect(win.loaded).toMatch(/bundles[/\\]status\.html$/);
      expect(win.webContents.setWindowOpenHandler.mock.calls[0][0]()).toEqual({ action: 'deny' });
      const navigation = { preventDefault: jest.fn() };
      win.webContents.emit('will-navigate', navigation);
      expect(navigation.preventDefault).toHaveBeenCalled();

      const snapshot = (await fake.ipcMain.invoke(IpcChannel.GetStatus, trusted())) as StatusSnapshot;
      expect(snapshot.status?.seq).toBe(app.agent.status?.seq);
      expect(snapshot.statusFile).toBe(statusFile());
      expect(snapshot.history.at(-1)?.state).toBe('active');
      // a frame of another page in the same window is refused too
      await expect(
        fake.ipcMain.invoke(IpcChannel.GetStatus, {
          ...trusted(),
          senderFrame: { url: 'file:///tmp/other.html' },
        }),
      ).rejects.toThrow(/refused/);

      await expect(fake.ipcMain.invoke(IpcChannel.SetBlock, trusted(), { for: '99h' })).resolves.toEqual({
        success: false,
        message: 'unknown block choice',
      });
      const reply = await fake.ipcMain.invoke(IpcChannel.SetBlock, trusted(), '2h');
      expect(reply).toMatchObject({ success: true, message: expect.stringMatching(/^Sleep blocked until /) });
      expect(onDisk().block.source).toBe('status window');
      // the window got the new status pushed
      const pushed = win.webContents.send.mock.calls.at(-1);
      expect(pushed?.[0]).toBe(IpcChannel.StatusChanged);
      expect((pushed?.[1] as StatusSnapshot).status?.block.active).toBe(true);

      // closing the window keeps the app; reopening makes a new window
      win.destroy();
      await fake.app.emit('window-all-closed');
      expect(fake.app.quitted).toBe(false);
      tray().click('Open status…');
      expect(fake.BrowserWindow.instances).toHaveLength(2);
    });
  });

  describe('command line of a second start', () => {
    it('--block, --status and bad flags reach the running instance', async () => {
      await start();
      fake.app.emit('second-instance', {}, ['proxmox-sleep-tray', '--block', '30m'], '/');
      await waitFor(
        'the confirmation',
        () => fake.Notification.instances.at(-1)?.options.title === 'Sleep block changed',
      );
      // The confirmation and the status file are separate writes: wait for the file rather than race it.
      await waitFor('the block on disk', () => onDisk().block.active);
      expect(onDisk().block).toMatchObject({ active: true, source: 'command line' });

      fake.app.emit('second-instance', {}, ['proxmox-sleep-tray', '--block=off'], '/');
      await waitFor('the block to clear', () => !onDisk().block.active);

      fake.app.emit('second-instance', {}, ['proxmox-sleep-tray', '--block', 'soon'], '/');
      await waitFor(
        'the refusal',
        () => fake.Notification.instances.at(-1)?.options.title === 'Could not change the sleep block',
      );
      expect(fake.Notification.instances.at(-1)?.options.body).toMatch(/"soon" is not a duration/);

      fake.app.emit('second-instance', {}, ['proxmox-sleep-tray', '--status'], '/');
      expect(fake.BrowserWindow.instances).toHaveLength(1);
    });

    it('--hibernate asks the core to hibernate (refused here: no systemctl on PATH)', async () => {
      await start();
      fake.app.emit('second-instance', {}, ['proxmox-sleep-tray', '--hibernate'], '/');
      await waitFor(
        'the answer',
        () => fake.Notification.instances.at(-1)?.options.title === 'Could not hibernate',
      );
      expect(fake.Notification.instances.at(-1)?.options.body).toMatch(
        /^Cannot hibernate: systemctl not found/,
      );
    });

    it('flags given to the first start are applied too', async () => {
      await start({ argv: ['proxmox-sleep-tray', '--block', 'indefinitely', '--status'] });
      await waitFor('the block', () => onDisk().block.active);
      expect(fake.BrowserWindow.instances).toHaveLength(1);
    });
  });

  describe('pre-sleep notice', () => {
    it('shows "will sleep in 60 s" once, acknowledges it, and a click keeps the computer awake (Linux)', async () => {
      await start();
      const notice = buildNotice('Nobody is using the host', 60, Date.now());
      await writeNotice(noticeFile(statusFile()), notice);
      await waitFor('the notification', () =>
        fake.Notification.instances.some((n) => n.options.urgency === 'critical'),
      );
      const shown = fake.Notification.instances.find((n) => n.options.urgency === 'critical')!;
      expect(shown.options.title).toMatch(/^This computer's host will sleep in (60|59) s$/);
      expect(shown.options.body).toBe('Nobody is using the host\nClick here to keep it awake for 1 hour.');
      expect(shown.options.actions).toEqual([]);
      expect(shown.shown).toBe(true);
      await waitFor('the acknowledgement', () => existsSync(noticeShownFile(statusFile())));
      expect(JSON.parse(readFileSync(noticeShownFile(statusFile()), 'utf8')).id).toBe(notice.id);

      shown.emit('click');
      await waitFor('the block', () => onDisk().block.active);
      expect(onDisk().block.source).toBe('notification');

      // the same notice is not shown twice
      const count = fake.Notification.instances.length;
      await running!.notices.check();
      expect(fake.Notification.instances.filter((n) => n.options.urgency === 'critical')).toHaveLength(1);
      expect(fake.Notification.instances.length).toBeGreaterThanOrEqual(count);
    });
  });

  describe('start at login (Linux: XDG autostart)', () => {
    it('is turned on at the first start, and the menu toggles it', async () => {
      await start();
      const entry = path.join(dir, 'home', '.config', 'autostart', 'proxmox-sleep-agent.desktop');
      expect(readFileSync(entry, 'utf8')).toMatch(/^Hidden=false$/m);
      expect(tray().menu?.template.find((i) => i.label === 'Start at login')?.checked).toBe(true);
      tray().click('Start at login');
      await waitFor('the entry to go', () => !existsSync(entry));
      await waitFor(
        'the menu',
        () => tray().menu?.template.find((i) => i.label === 'Start at login')?.checked === false,
      );
      expect(existsSync(path.join(dir, 'user-data', 'settings.json'))).toBe(true);
    });
  });

  it("started from an AppImage, sets up that AppImage's proxmox-sleep-agent command", async () => {
    const resources = path.join(dir, 'mnt', 'resources');
    mkdirSync(path.join(resources, 'linux'), { recursive: true });
    symlinkSync(repo, path.join(resources, 'app.asar'));
    const script = path.join(repo, 'installer', 'linux-desktop', 'proxmox-sleep-agent-appimage');
    copyFileSync(script, path.join(resources, 'linux', 'proxmox-sleep-agent-appimage'));
    const appImage = path.join(dir, 'Proxmox-Sleep-Agent.AppImage');
    await start({
      env: { DISPLAY: ':0', XDG_CONFIG_DIRS: path.join(dir, 'xdg'), APPIMAGE: appImage },
      appRoot: path.join(resources, 'app.asar'),
    });
    const share = path.join(dir, 'home', '.local', 'share', 'proxmox-sleep-agent');
    expect(readFileSync(path.join(share, 'proxmox-sleep-agent'))).toEqual(readFileSync(script));
    expect(readlinkSync(path.join(share, 'AppImage'))).toBe(appImage);
    expect(readlinkSync(path.join(dir, 'home', '.local', 'bin', 'proxmox-sleep-agent'))).toBe(
      path.join(share, 'proxmox-sleep-agent'),
    );
  });

  it('Quit stops the loop and releases everything before the app quits', async () => {
    await start();
    tray().click('Quit');
    await waitFor('the app to quit', () => fake.app.quitted);
    expect(tray().destroyed).toBe(true);
    expect(fake.ipcMain.handlers.size).toBe(0);
    running = null;
  });
});

describe("tray app on Windows (wiring only; paths are this machine's)", () => {
  const captured = readFileSync(
    path.join(repo, '__tests__', 'fixtures', 'tray', 'gpu-engine', 'rtx3070-game-and-browser.txt'),
    'utf8',
  );
  const powershell: PowerShellSession = { invoke: async () => captured, close: async () => undefined };

  it("sets the AppUserModelID, merges the SYSTEM task's power requests and the GPU counters, and offers Keep awake", async () => {
    mkdirSync(path.dirname(powerRequestsFile(statusFile())), { recursive: true });
    await writeSnapshot(
      powerRequestsFile(statusFile()),
      buildSnapshot({
        requests: [{ who: 'chrome.exe', why: 'Playing audio', kind: 'SYSTEM' }],
        now: Date.now(),
        intervalSeconds: 10,
        source: 'powercfg',
        error: null,
      }),
    );
    fake.powerMonitor.idleSeconds = 7200;
    await start({
      platform: 'win32',
      env: {},
      loadConfig: async () => config({ gpu: { enabled: true }, powerRequests: { enabled: true } }, 'windows'),
      edges: { findOnPath: async () => null, powershell },
    });
    expect(fake.app.setAppUserModelId).toHaveBeenCalledWith('org.proxmox-sleep.agent');
    const status = onDisk();
    expect(status.agent.os).toBe('windows');
    expect(status.checks.map((c) => c.name)).toEqual(['input', 'gpu', 'power_requests']);
    expect(status.details.gpu_percent).toBe(97);
    expect(status.details.power_requests).toEqual(['chrome.exe: Playing audio']);
    expect(status.reasons).toEqual(['gpu_active', 'power_request']);
    expect(tray().image.path).toMatch(/tray-active\.ico$/);
    // login item through Electron, turned on at the first start
    expect(fake.app.setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true });

    await writeNotice(noticeFile(statusFile()), buildNotice('', 60, Date.now()));
    await waitFor('the notification', () =>
      fake.Notification.instances.some((n) => n.options.urgency === 'critical'),
    );
    const shown = fake.Notification.instances.find((n) => n.options.urgency === 'critical')!;
    expect(shown.options.actions).toEqual([{ type: 'button', text: 'Keep awake' }]);
    expect(shown.options.body).toBe('Keep awake blocks its sleep for 1 hour.');
    shown.emit('action', { actionIndex: 0 });
    await waitFor('the block', () => onDisk().block.active);
    // a click only opens the status window there
    shown.emit('click');
    expect(fake.BrowserWindow.instances).toHaveLength(1);
  });
});
