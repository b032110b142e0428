/** What the user sees of the tray app: the tray icon and menu, the status window, notifications, and
 * "start at login" (turned on at the first start). */
import * as path from 'path';
import { app } from 'electron';
import type { Clock } from '../../../common/clock';
import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/log';
import { KEEP_AWAKE_PRESET } from '../notice/notice-view';
import type { MenuAction } from '../tray/menu-model';
import { createTrayController, type TrayController } from '../tray/tray-controller';
import { createLoginItem, enableOnFirstStart, startCommand, type LoginItem } from './login-item';
import { createNotifications, type TrayNotifications } from './notifications';
import { createStatusWindow, type StatusWindow } from './status-window';
import type { TrayAgent } from './tray-agent';
import { menuActionHandler } from './user-actions';

export interface TrayUi {
  tray: TrayController;
  statusWindow: StatusWindow;
  notifications: TrayNotifications;
  onMenuAction(action: MenuAction): Promise<void>;
}

export interface TrayUiOptions {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  logger: Logger;
  /** The folder holding assets/. */
  appRoot: string;
  homeDir: string;
}

export async function createTrayUi(trayAgent: TrayAgent, options: TrayUiOptions): Promise<TrayUi> {
  const { platform, clock, logger } = options;
  const statusWindow = createStatusWindow({
    preloadFile: path.join(__dirname, '..', 'bundles', 'preload.js'),
    pageFile: path.join(__dirname, '..', 'bundles', 'status.html'),
    iconFile: path.join(options.appRoot, 'assets', 'icons', platform === 'win32' ? 'app.ico' : 'app-256.png'),
  });
  const openStatus = () => statusWindow.open();
  const notifications = createNotifications({
    platform,
    clock,
    logger,
    keepAwake: () => trayAgent.setPreset(KEEP_AWAKE_PRESET, 'notification'),
    openStatus,
  });
  const loginItem = await startAtLogin(options);
  const onMenuAction = menuActionHandler({
    trayAgent,
    notifications,
    loginItem,
    openStatus,
    refreshMenu: () => tray.refresh(),
    quit: () => app.quit(),
  });
  const tray = createTrayController({
    assetsDir: path.join(options.appRoot, 'assets', 'tray'),
    platform,
    clock,
    onAction: (action) => void onMenuAction(action),
    startAtLogin: () => loginItem.enabled(),
    onOpenStatus: openStatus,
  });
  return { tray, statusWindow, notifications, onMenuAction };
}

async function startAtLogin(options: TrayUiOptions): Promise<LoginItem> {
  const loginItem = await createLoginItem({
    platform: options.platform,
    app,
    env: options.env,
    home: options.homeDir,
    exec: startCommand(options.env, process.execPath, app.isPackaged, app.getAppPath()),
  });
  try {
    if (await enableOnFirstStart(loginItem, path.join(app.getPath('userData'), 'settings.json')))
      options.logger.info('first start: starting at login is turned on');
  } catch (e) {
    options.logger.warn(`cannot turn on starting at login: ${errorMessage(e)}`);
  }
  return loginItem;
}
