import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import {
  createLoginItem,
  enableOnFirstStart,
  startCommand,
} from '../../../../agent-app/electron/main/login-item';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'login-item-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function electronApp() {
  let openAtLogin = false;
  return {
    calls: [] as unknown[],
    getLoginItemSettings: () => ({ openAtLogin }) as Electron.LoginItemSettings,
    setLoginItemSettings(settings: Electron.Settings) {
      this.calls.push(settings);
      openAtLogin = settings.openAtLogin ?? false;
    },
  };
}

describe('start at login', () => {
  it.each(['win32', 'darwin'] as const)("%s: Electron's login item", async (platform) => {
    const app = electronApp();
    const item = await createLoginItem({ platform, app, env: {}, home: dir, exec: ['x'] });
    expect(item.enabled()).toBe(false);
    await item.set(true);
    expect(item.enabled()).toBe(true);
    expect(app.calls).toEqual([{ openAtLogin: true }]);
  });

  it('Linux: an XDG autostart entry', async () => {
    const item = await createLoginItem({
      platform: 'linux',
      app: electronApp(),
      env: { XDG_CONFIG_HOME: path.join(dir, 'config'), XDG_CONFIG_DIRS: path.join(dir, 'xdg') },
      home: dir,
      exec: ['/usr/bin/proxmox-sleep-tray'],
    });
    expect(item.enabled()).toBe(false);
    await item.set(true);
    expect(item.enabled()).toBe(true);
    expect(existsSync(path.join(dir, 'config', 'autostart', 'proxmox-sleep-agent.desktop'))).toBe(true);
  });

  it("is turned on once, at the first start; later the user's choice stays", async () => {
    const app = electronApp();
    const item = await createLoginItem({ platform: 'win32', app, env: {}, home: dir, exec: ['x'] });
    const settings = path.join(dir, 'user-data', 'settings.json');
    expect(await enableOnFirstStart(item, settings)).toBe(true);
    expect(item.enabled()).toBe(true);
    await item.set(false);
    expect(await enableOnFirstStart(item, settings)).toBe(false);
    expect(item.enabled()).toBe(false);
  });

  it('the command to start: the AppImage itself, the executable, or Electron with the app folder', () => {
    expect(
      startCommand(
        { APPIMAGE: '/home/ann/PSA.AppImage' },
        '/tmp/.mount_x/psa',
        true,
        '/tmp/.mount_x/resources/app.asar',
      ),
    ).toEqual(['/home/ann/PSA.AppImage']);
    expect(startCommand({}, '/opt/Proxmox Sleep Agent/proxmox-sleep-tray', true, '/x')).toEqual([
      '/opt/Proxmox Sleep Agent/proxmox-sleep-tray',
    ]);
    expect(startCommand({}, '/repo/node_modules/electron/dist/electron', false, '/repo')).toEqual([
      '/repo/node_modules/electron/dist/electron',
      '/repo',
    ]);
  });
});
