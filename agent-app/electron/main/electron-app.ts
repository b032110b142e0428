/** The Electron application itself, before the agent starts: one instance, ready, and its log. */
import * as path from 'path';
import { app, session } from 'electron';
import type { Clock } from '../../../common/clock';
import { createLogger, type LogSink, type Logger } from '../../../common/log';
import { fileSink } from './log-file';

/** Windows shows notifications only for an AppUserModelID that matches the installer's shortcut. */
export const APP_USER_MODEL_ID = 'org.proxmox-sleep.agent';

/**
 * Claims the single-instance lock and waits until Electron is ready. False when another instance runs: that
 * one receives this start's command line (second-instance) and this app quits.
 */
export async function claimElectronApp(platform: NodeJS.Platform): Promise<boolean> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  // A tray app keeps running when its last window closes.
  app.on('window-all-closed', () => undefined);
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  await app.whenReady();
  if (platform === 'darwin') app.dock?.hide();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  return true;
}

/** The tray's log: the given sink, else tray.log in the app's log folder (mirrored to stderr). */
export function trayLogger(clock: Clock, sink?: LogSink): Logger {
  return createLogger('tray', {
    sink:
      sink ??
      fileSink(path.join(app.getPath('logs'), 'tray.log'), 1024 * 1024, (l) => void process.stderr.write(l)),
    levels: { '': 'info' },
    now: () => clock.now(),
  });
}
