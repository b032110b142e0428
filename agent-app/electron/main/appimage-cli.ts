/**
 * The AppImage's `proxmox-sleep-agent` command. An AppImage is one file mounted only while it runs, so at
 * every start the tray refreshes, in ~/.local/share/proxmox-sleep-agent/:
 *   - `proxmox-sleep-agent`, a copy of installer/linux-desktop/proxmox-sleep-agent-appimage (it mounts the
 *     AppImage, runs the bundled CLI with the app's Electron in Node mode, and unmounts);
 *   - `AppImage`, a link to the AppImage that started (so moving or updating it and starting it once is enough);
 * and links ~/.local/bin/proxmox-sleep-agent to the command unless that name is taken by something else. The
 * host runs commands as root, so docs/tray.md gives the one line that links /usr/local/bin to it as well.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { writeFileAtomic } from '../../../common/atomic-file';

export const WRAPPER_RESOURCE = path.join('linux', 'proxmox-sleep-agent-appimage');

export interface AppImageCli {
  /** The command, ~/.local/share/proxmox-sleep-agent/proxmox-sleep-agent. */
  command: string;
  /** Whether this start wrote or relinked anything. */
  changed: boolean;
}

export function appImageCliDir(env: NodeJS.ProcessEnv, home: string): string {
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'proxmox-sleep-agent');
}

/** Null when not started from an AppImage ($APPIMAGE unset: the .deb, a development start). */
export async function installAppImageCli(options: {
  env: NodeJS.ProcessEnv;
  home: string;
  /** The app's resources folder (next to app.asar). */
  resourcesDir: string;
}): Promise<AppImageCli | null> {
  const appImage = options.env.APPIMAGE;
  if (!appImage) return null;
  const dir = appImageCliDir(options.env, options.home);
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  const command = path.join(dir, 'proxmox-sleep-agent');
  const script = await fs.readFile(path.join(options.resourcesDir, WRAPPER_RESOURCE));
  let changed = false;
  if (!(await sameContent(command, script))) {
    await writeFileAtomic(command, script, 0o755);
    changed = true;
  }
  changed = (await pointLink(path.join(dir, 'AppImage'), appImage)) || changed;
  const onPath = path.join(options.home, '.local', 'bin', 'proxmox-sleep-agent');
  await fs.mkdir(path.dirname(onPath), { recursive: true });
  if ((await linkTarget(onPath)) === null && (await exists(onPath))) return { command, changed };
  changed = (await pointLink(onPath, command)) || changed;
  return { command, changed };
}

async function sameContent(file: string, data: Buffer): Promise<boolean> {
  try {
    return (await fs.readFile(file)).equals(data);
  } catch {
    return false;
  }
}

async function linkTarget(link: string): Promise<string | null> {
  try {
    return await fs.readlink(link);
  } catch {
    return null;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

/** Makes `link` point at `target` (replaced in one rename); false when it already did. */
async function pointLink(link: string, target: string): Promise<boolean> {
  if ((await linkTarget(link)) === target) return false;
  const temp = `${link}.${process.pid}.tmp`;
  await fs.rm(temp, { force: true });
  await fs.symlink(target, temp);
  await fs.rename(temp, link);
  return true;
}
