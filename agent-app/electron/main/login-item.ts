/**
 * "Start at login": Electron's login item on Windows and macOS, an XDG autostart entry on Linux. The tray
 * is what tells the host this computer is in use, so the first start turns it on (once; the user's later
 * choice is kept).
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import type { App } from 'electron';
import { writeFileAtomic } from '../../../common/atomic-file';
import { autostartEnabled, autostartPaths, setAutostart } from './xdg-autostart';

export interface LoginItem {
  /** The current state (cached; null where it cannot be managed). */
  enabled(): boolean | null;
  set(enabled: boolean): Promise<void>;
}

export interface LoginItemOptions {
  platform: NodeJS.Platform;
  app: Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;
  env: NodeJS.ProcessEnv;
  home: string;
  /** The command that starts this app: the AppImage, or the executable (plus the app folder in development). */
  exec: readonly string[];
}

export async function createLoginItem(options: LoginItemOptions): Promise<LoginItem> {
  if (options.platform === 'win32' || options.platform === 'darwin') {
    return {
      enabled: () => options.app.getLoginItemSettings().openAtLogin,
      async set(enabled) {
        options.app.setLoginItemSettings({ openAtLogin: enabled });
      },
    };
  }
  const paths = autostartPaths(options.env, options.home);
  let state = await autostartEnabled(paths);
  return {
    enabled: () => state,
    async set(enabled) {
      await setAutostart(paths, enabled, options.exec);
      state = await autostartEnabled(paths);
    },
  };
}

/** The command line for the autostart entry (Linux): an AppImage must be started as the AppImage. */
export function startCommand(
  env: NodeJS.ProcessEnv,
  execPath: string,
  packaged: boolean,
  appPath: string,
): string[] {
  if (env.APPIMAGE) return [env.APPIMAGE];
  return packaged ? [execPath] : [execPath, appPath];
}

/** Turns starting at login on at the first start; later starts leave the user's choice alone. */
export async function enableOnFirstStart(item: LoginItem, settingsFile: string): Promise<boolean> {
  try {
    await fs.access(settingsFile);
    return false;
  } catch {
    // first start
  }
  if (item.enabled() === false) await item.set(true);
  await fs.mkdir(path.dirname(settingsFile), { recursive: true });
  await writeFileAtomic(settingsFile, `${JSON.stringify({ loginItemInitialised: true })}\n`, 0o644);
  return true;
}
