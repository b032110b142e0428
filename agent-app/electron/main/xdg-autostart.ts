/**
 * "Start at login" on Linux desktops: an XDG autostart entry. The .deb installs a system-wide entry in
 * /etc/xdg/autostart; a user turns it off with a same-named entry in ~/.config/autostart carrying
 * `Hidden=true` (the spec's override), and on again by removing that override. Without a system entry
 * (AppImage, a copy elsewhere) the user's own entry starts the app.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic } from '../../../common/atomic-file';

export const AUTOSTART_FILE = 'proxmox-sleep-agent.desktop';

/** One Exec argument, quoted per the Desktop Entry spec, then escaped as a desktop-file string. */
export function quoteExecArg(arg: string): string {
  const fieldSafe = arg.replace(/%/g, '%%');
  const quoted = /^[A-Za-z0-9_\-./:+,=@%]+$/.test(fieldSafe)
    ? fieldSafe
    : `"${fieldSafe.replace(/(["`$\\])/g, '\\$1')}"`;
  return quoted.replace(/\\/g, '\\\\');
}

export function renderAutostartEntry(options: { exec: readonly string[]; hidden: boolean }): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Proxmox Sleep Agent',
    'Comment=Tells the Proxmox host whether this computer is in use',
    `Exec=${options.exec.map(quoteExecArg).join(' ')}`,
    'Icon=proxmox-sleep-tray',
    'Terminal=false',
    'Categories=Utility;',
    'X-GNOME-Autostart-enabled=true',
    `Hidden=${options.hidden ? 'true' : 'false'}`,
    '',
  ].join('\n');
}

/** Whether an entry starts anything: not Hidden, not disabled for GNOME. */
export function entryEnabled(text: string): boolean {
  let inEntry = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inEntry = line === '[Desktop Entry]';
      continue;
    }
    if (!inEntry) continue;
    if (/^Hidden\s*=\s*true$/i.test(line)) return false;
    if (/^X-GNOME-Autostart-enabled\s*=\s*false$/i.test(line)) return false;
  }
  return true;
}

export interface AutostartPaths {
  /** ~/.config/autostart (or $XDG_CONFIG_HOME/autostart). */
  userDir: string;
  /** Each $XDG_CONFIG_DIRS entry's autostart folder (default /etc/xdg/autostart). */
  systemDirs: string[];
}

export function autostartPaths(env: NodeJS.ProcessEnv, home = os.homedir()): AutostartPaths {
  const configHome =
    env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME)
      ? env.XDG_CONFIG_HOME
      : path.join(home, '.config');
  const configDirs = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':').filter((d) => path.isAbsolute(d));
  return {
    userDir: path.join(configHome, 'autostart'),
    systemDirs: configDirs.map((d) => path.join(d, 'autostart')),
  };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

async function systemEntry(paths: AutostartPaths): Promise<string | null> {
  for (const dir of paths.systemDirs) {
    const text = await readIfExists(path.join(dir, AUTOSTART_FILE));
    if (text !== null) return text;
  }
  return null;
}

export async function autostartEnabled(paths: AutostartPaths): Promise<boolean> {
  const user = await readIfExists(path.join(paths.userDir, AUTOSTART_FILE));
  if (user !== null) return entryEnabled(user);
  const system = await systemEntry(paths);
  return system !== null && entryEnabled(system);
}

/** Turns starting at login on or off; `exec` is the command line that starts this app. */
export async function setAutostart(
  paths: AutostartPaths,
  enabled: boolean,
  exec: readonly string[],
): Promise<void> {
  const userFile = path.join(paths.userDir, AUTOSTART_FILE);
  const system = await systemEntry(paths);
  const systemOn = system !== null && entryEnabled(system);
  if (enabled === systemOn) {
    await fs.rm(userFile, { force: true });
    return;
  }
  await fs.mkdir(paths.userDir, { recursive: true });
  await writeFileAtomic(userFile, renderAutostartEntry({ exec, hidden: !enabled }), 0o644);
}
