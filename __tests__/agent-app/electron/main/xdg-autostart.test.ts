/** XDG autostart entries, checked with desktop-file-validate (desktop-file-utils) where they are written. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';
import {
  AUTOSTART_FILE,
  autostartEnabled,
  autostartPaths,
  entryEnabled,
  quoteExecArg,
  renderAutostartEntry,
  setAutostart,
} from '../../../../agent-app/electron/main/xdg-autostart';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'autostart-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const validate = async (file: string) => {
  const result = await $`desktop-file-validate ${file}`.nothrow().quiet();
  return `${result.stdout}${result.stderr}`.trim();
};

describe('Exec quoting (Desktop Entry spec)', () => {
  it.each([
    ['/usr/bin/proxmox-sleep-tray', '/usr/bin/proxmox-sleep-tray'],
    ['/opt/Proxmox Sleep Agent/proxmox-sleep-tray', '"/opt/Proxmox Sleep Agent/proxmox-sleep-tray"'],
    [
      '/home/ann/Apps/Proxmox-Sleep-Agent-2.0.0.AppImage',
      '/home/ann/Apps/Proxmox-Sleep-Agent-2.0.0.AppImage',
    ],
    ['/tmp/a"b$c`d\\e', '"/tmp/a\\\\"b\\\\$c\\\\`d\\\\\\\\e"'],
    ['/tmp/100%', '/tmp/100%%'],
  ])('%s → %s', (arg, quoted) => expect(quoteExecArg(arg)).toBe(quoted));
});

describe('entries', () => {
  it('are valid desktop files, enabled and hidden', async () => {
    for (const hidden of [false, true]) {
      const file = path.join(dir, `${hidden}.desktop`);
      writeFileSync(
        file,
        renderAutostartEntry({
          exec: ['/opt/Proxmox Sleep Agent/proxmox-sleep-tray', '--no-sandbox'],
          hidden,
        }),
      );
      expect(await validate(file)).toBe('');
      expect(entryEnabled(readFileSync(file, 'utf8'))).toBe(!hidden);
    }
  });

  it("GNOME's own switch counts too; keys in other groups do not", () => {
    expect(entryEnabled('[Desktop Entry]\nX-GNOME-Autostart-enabled=false\n')).toBe(false);
    expect(entryEnabled('[Desktop Action x]\nHidden=true\n[Desktop Entry]\nName=x\n')).toBe(true);
  });

  it('finds the folders from XDG variables', () => {
    expect(autostartPaths({}, '/home/ann')).toEqual({
      userDir: '/home/ann/.config/autostart',
      systemDirs: ['/etc/xdg/autostart'],
    });
    expect(
      autostartPaths({ XDG_CONFIG_HOME: '/cfg', XDG_CONFIG_DIRS: '/a:relative:/b' }, '/home/ann'),
    ).toEqual({
      userDir: '/cfg/autostart',
      systemDirs: ['/a/autostart', '/b/autostart'],
    });
  });
});

describe('turning it on and off', () => {
  const exec = ['/home/ann/Proxmox Sleep Agent.AppImage'];
  const paths = () => ({
    userDir: path.join(dir, 'home', 'autostart'),
    systemDirs: [path.join(dir, 'etc', 'autostart')],
  });
  const userFile = () => path.join(paths().userDir, AUTOSTART_FILE);

  it('without a system entry (AppImage): the user entry is created and removed', async () => {
    expect(await autostartEnabled(paths())).toBe(false);
    await setAutostart(paths(), true, exec);
    expect(await autostartEnabled(paths())).toBe(true);
    expect(await validate(userFile())).toBe('');
    expect(readFileSync(userFile(), 'utf8')).toContain('Exec="/home/ann/Proxmox Sleep Agent.AppImage"');
    await setAutostart(paths(), false, exec);
    expect(existsSync(userFile())).toBe(false);
    expect(await autostartEnabled(paths())).toBe(false);
  });

  it("with the .deb's system entry: off writes a Hidden override, on removes it", async () => {
    mkdirSync(paths().systemDirs[0], { recursive: true });
    writeFileSync(
      path.join(paths().systemDirs[0], AUTOSTART_FILE),
      renderAutostartEntry({ exec: ['proxmox-sleep-tray'], hidden: false }),
    );
    expect(await autostartEnabled(paths())).toBe(true);
    await setAutostart(paths(), false, exec);
    expect(readFileSync(userFile(), 'utf8')).toMatch(/^Hidden=true$/m);
    expect(await autostartEnabled(paths())).toBe(false);
    await setAutostart(paths(), true, exec);
    expect(existsSync(userFile())).toBe(false);
    expect(await autostartEnabled(paths())).toBe(true);
  });
});
