/**
 * The AppImage's `proxmox-sleep-agent`: the wrapper script run for real, through the links the tray makes
 * (installAppImageCli, real files) and the one the docs give for the host. The AppImage runtime cannot be
 * built here (it is downloaded by electron-builder), so a stand-in answers its `--appimage-mount` the way the
 * runtime does: it prints the mount point and waits to be stopped (then it "unmounts": writes a marker).
 * Behind it, node stands in for Electron in Node mode and runs the real bundled CLI. `notify` reaches a real
 * notice watcher (the tray's), which acknowledges it.
 */
import { execFile, spawnSync } from 'child_process';
import {
  chmodSync,
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
import { systemClock } from '../../../../common/clock';
import { createLogger, memorySink } from '../../../../common/log';
import { appImageCliDir, installAppImageCli } from '../../../../agent-app/electron/main/appimage-cli';
import { createNoticeWatcher } from '../../../../agent-app/electron/main/notice-watcher';
import type { Notice } from '../../../../agent-app/electron/notice/notice-file';
import { parseReply } from '../../../../protocol';
import { buildTrayCli } from '../../../../scripts/tray/bundles';

const repo = path.join(__dirname, '..', '..', '..', '..');
const wrapper = path.join(repo, 'installer', 'linux-desktop', 'proxmox-sleep-agent-appimage');
const version = (JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8')) as { version: string })
  .version;

let dir: string;
let cli: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'appimage-cli-'));
  ({ cli } = await buildTrayCli(path.join(dir, 'cli')));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Desktop {
  home: string;
  appImage: string;
  /** Written by the stand-in runtime when it is stopped. */
  unmounted: string;
  /** /usr/local/bin/proxmox-sleep-agent as the docs' one line makes it. */
  systemLink: string;
  statusFile: string;
  config: string;
}

/** A user's home, an "AppImage" (the stand-in runtime over a mounted tree) and the tray's first start. */
async function desktop(mount: 'works' | 'fails' = 'works'): Promise<Desktop> {
  const base = mkdtempSync(path.join(dir, 'desktop-'));
  const mnt = path.join(base, 'mnt');
  const resources = path.join(mnt, 'resources');
  mkdirSync(path.join(resources, 'cli'), { recursive: true });
  mkdirSync(path.join(resources, 'linux'));
  copyFileSync(cli, path.join(resources, 'cli', 'proxmox-sleep-agent.js'));
  copyFileSync(wrapper, path.join(resources, 'linux', 'proxmox-sleep-agent-appimage'));
  symlinkSync(process.execPath, path.join(mnt, 'proxmox-sleep-tray'));
  const appImage = path.join(base, 'Applications', 'Proxmox-Sleep-Agent.AppImage');
  const unmounted = path.join(base, 'unmounted');
  mkdirSync(path.dirname(appImage));
  writeFileSync(
    appImage,
    mount === 'works'
      ? `#!/bin/sh\n[ "$1" = --appimage-mount ] || exit 99\ntrap 'echo yes > "${unmounted}"; exit 0' TERM\necho "${mnt}"\nsleep 30 &\nwait $!\n`
      : '#!/bin/sh\necho "fuse: device not found" >&2\nexit 1\n',
  );
  chmodSync(appImage, 0o755);
  const home = path.join(base, 'home');
  const installed = await installAppImageCli({ env: { APPIMAGE: appImage }, home, resourcesDir: resources });
  const systemLink = path.join(base, 'usr', 'local', 'bin', 'proxmox-sleep-agent');
  mkdirSync(path.dirname(systemLink), { recursive: true });
  symlinkSync(installed!.command, systemLink);
  const statusFile = path.join(base, 'run', 'status.json');
  mkdirSync(path.dirname(statusFile), { mode: 0o755 });
  const config = path.join(base, 'agent.json');
  writeFileSync(config, JSON.stringify({ statusFile, stateDir: path.join(base, 'state') }));
  return { home, appImage, unmounted, systemLink, statusFile, config };
}

function run(d: Desktop, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      d.systemLink,
      args,
      { env: { PATH: '/usr/bin:/bin', PROXMOX_SLEEP_AGENT_CONFIG: d.config }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('installAppImageCli (the tray, at every start)', () => {
  it('copies the wrapper, links the AppImage and ~/.local/bin; a second start changes nothing', async () => {
    const d = await desktop();
    const share = appImageCliDir({}, d.home);
    expect(readFileSync(path.join(share, 'proxmox-sleep-agent'))).toEqual(readFileSync(wrapper));
    expect(readlinkSync(path.join(share, 'AppImage'))).toBe(d.appImage);
    expect(readlinkSync(path.join(d.home, '.local', 'bin', 'proxmox-sleep-agent'))).toBe(
      path.join(share, 'proxmox-sleep-agent'),
    );
    const resourcesDir = path.join(path.dirname(d.appImage), '..', 'mnt', 'resources');
    const again = await installAppImageCli({ env: { APPIMAGE: d.appImage }, home: d.home, resourcesDir });
    expect(again?.changed).toBe(false);
    const moved = await installAppImageCli({
      env: { APPIMAGE: '/opt/new.AppImage' },
      home: d.home,
      resourcesDir,
    });
    expect(moved?.changed).toBe(true);
    expect(readlinkSync(path.join(share, 'AppImage'))).toBe('/opt/new.AppImage');
  });

  it('leaves a ~/.local/bin/proxmox-sleep-agent it did not make, and does nothing outside an AppImage', async () => {
    const home = mkdtempSync(path.join(dir, 'home-'));
    mkdirSync(path.join(home, '.local', 'bin'), { recursive: true });
    writeFileSync(path.join(home, '.local', 'bin', 'proxmox-sleep-agent'), '#!/bin/sh\necho mine\n');
    const resourcesDir = path.join(home, 'res');
    mkdirSync(path.join(home, 'res', 'linux'), { recursive: true });
    copyFileSync(wrapper, path.join(home, 'res', 'linux', 'proxmox-sleep-agent-appimage'));
    const r = await installAppImageCli({
      env: { APPIMAGE: '/x.AppImage' },
      home,
      resourcesDir,
    });
    expect(r?.changed).toBe(true);
    expect(readFileSync(path.join(home, '.local', 'bin', 'proxmox-sleep-agent'), 'utf8')).toContain('mine');
    expect(await installAppImageCli({ env: {}, home, resourcesDir })).toBeNull();
  });
});

describe('the wrapper (installer/linux-desktop/proxmox-sleep-agent-appimage)', () => {
  it('runs the bundled CLI from the mounted AppImage through /usr/local/bin, then unmounts', async () => {
    const d = await desktop();
    const r = await run(d, ['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n` });
    expect(readFileSync(d.unmounted, 'utf8')).toBe('yes\n');
  });

  it("passes the CLI's exit code through (64 for a usage error)", async () => {
    const d = await desktop();
    const r = await run(d, ['no-such-command']);
    expect(r.code).toBe(64);
    expect(existsSync(d.unmounted)).toBe(true);
  });

  it("the host's notify reaches the tray's notice watcher, which acknowledges it", async () => {
    const d = await desktop();
    const shown: Notice[] = [];
    const watcher = await createNoticeWatcher({
      statusFile: d.statusFile,
      clock: systemClock,
      logger: createLogger('tray', { sink: memorySink(), levels: { '': 'info' }, now: () => Date.now() }),
      show: (notice) => shown.push(notice),
    });
    try {
      const r = await run(d, ['notify', '--message', 'The host sleeps soon', '--seconds', '60']);
      expect(r.code).toBe(0);
      expect(parseReply(r.stdout)).toEqual({
        success: true,
        message: 'Notification shown on the desktop by the tray',
      });
      expect(shown.map((n) => [n.message, n.seconds])).toEqual([['The host sleeps soon', 60]]);
    } finally {
      watcher.close();
    }
  });

  it('block writes the block file the tray watches', async () => {
    const d = await desktop();
    const r = await run(d, ['block', '--for', '1h']);
    expect(parseReply(r.stdout)).toMatchObject({ success: true });
    expect(
      JSON.parse(readFileSync(path.join(path.dirname(d.config), 'state', 'block.json'), 'utf8')),
    ).toMatchObject({
      source: 'cli',
    });
  });

  it('says what to do when the AppImage link is missing or the image cannot be mounted', async () => {
    const d = await desktop();
    rmSync(path.join(appImageCliDir({}, d.home), 'AppImage'));
    const missing = await run(d, ['status']);
    expect(missing.code).toBe(69);
    expect(missing.stderr).toContain('start the Proxmox Sleep Agent AppImage once');
    const broken = await desktop('fails');
    const unmountable = await run(broken, ['status']);
    expect(unmountable.code).toBe(69);
    expect(unmountable.stderr).toContain(
      `could not mount ${path.join(appImageCliDir({}, broken.home), 'AppImage')}`,
    );
  });

  it('is clean for shellcheck', () => {
    const r = spawnSync('shellcheck', ['-s', 'sh', wrapper], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
