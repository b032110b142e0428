/**
 * The tray app's main process: wiring only, in named steps. It claims the app, loads the configuration,
 * starts an agent exactly as the daemon does (tray-agent: composeTray swaps in the session's input idle and
 * the Windows probes), builds what the user sees (tray-ui), keeps both in step (live-updates), answers the
 * status window (ipc) and the command line of a second start (user-actions), and runs until quit
 * (lifecycle). All decisions live in the pure modules those call.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { app, ipcMain, powerMonitor } from 'electron';
import type { Clock } from '../../../common/clock';
import { EXIT, errorMessage } from '../../../common/errors';
import type { LogSink, Logger } from '../../../common/log';
import type { AgentConfig } from '../../core/config';
import type { Agent } from '../../core/agent';
import type { StatusSnapshot } from '../ipc-channels';
import type { Notice } from '../notice/notice-file';
import type { MenuAction } from '../tray/menu-model';
import type { TrayEdges } from './compose-tray';
import { claimElectronApp, trayLogger } from './electron-app';
import { installAppImageCli } from './appimage-cli';
import { isTrustedSender, registerIpc } from './ipc';
import { parseLaunchArgs, type LaunchCommand } from './launch-args';
import { runUntilQuit } from './lifecycle';
import { connectLiveUpdates } from './live-updates';
import { loadConfigOrExplain } from './load-config';
import { createNoticeWatcher, type NoticeWatcher } from './notice-watcher';
import { startTrayAgent, type TrayAgent } from './tray-agent';
import { createTrayUi, type TrayUi } from './tray-ui';
import { launchHandler } from './user-actions';

export { APP_USER_MODEL_ID } from './electron-app';

export interface TrayAppOptions {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  clock: Clock;
  /** The folder holding dist/ and assets/ (default: Electron's app path). */
  appRoot?: string;
  /** Loads the configuration (default: the agent's config file for this OS, or $PROXMOX_SLEEP_AGENT_CONFIG). */
  loadConfig?: () => Promise<AgentConfig>;
  /** Probe edges for tests (no tools on PATH, a fake PowerShell …). */
  edges?: Partial<Omit<TrayEdges, 'clock' | 'logger' | 'env' | 'platform' | 'powerMonitor'>>;
  logSink?: LogSink;
  homeDir?: string;
}

export interface TrayApp {
  readonly agent: Agent;
  snapshot(): StatusSnapshot;
  handleLaunch(commands: readonly LaunchCommand[]): Promise<void>;
  onMenuAction(action: MenuAction): Promise<void>;
  showNotice(notice: Notice): void;
  readonly notices: NoticeWatcher;
  /** Stops the loop and releases everything (the app's before-quit does this too). */
  shutdown(): Promise<void>;
}

export async function startTrayApp(options: TrayAppOptions): Promise<TrayApp | null> {
  const { clock, platform, env } = options;
  if (!(await claimElectronApp(platform))) return null;
  const logger = trayLogger(clock, options.logSink);
  const config = await loadConfigOrExplain(options, logger);
  if (config === null) {
    app.exit(EXIT.config);
    return null;
  }
  const trayAgent = await startTrayAgent(config, {
    clock,
    logger,
    env,
    platform,
    powerMonitor,
    ...options.edges,
  });
  const ui = await createTrayUi(trayAgent, {
    platform,
    env,
    clock,
    logger,
    appRoot: options.appRoot ?? app.getAppPath(),
    homeDir: options.homeDir ?? app.getPath('home'),
  });
  await offerAppImageCli(options, logger);
  await createWatchedFolders(config);
  const notices = await createNoticeWatcher({
    statusFile: config.statusFile,
    clock,
    logger,
    show: ui.notifications.showNotice,
  });
  const stopUpdates = connectLiveUpdates({ ...ui, trayAgent, notices, clock, powerMonitor });
  const stopIpc = answerStatusWindow(trayAgent, ui);
  const handleLaunch = launchHandler({
    trayAgent,
    notifications: ui.notifications,
    clock,
    logger,
    openStatus: () => ui.statusWindow.open(),
  });
  app.on('second-instance', (_event, argv) => void handleLaunch(parseLaunchArgs(argv)));
  const shutdown = runUntilQuit({
    trayAgent,
    ui,
    stopInputs: () => {
      stopUpdates();
      notices.close();
    },
    stopIpc,
    logger,
  });
  await handleLaunch(parseLaunchArgs(options.argv));
  const { agent, snapshot } = trayAgent;
  return {
    agent,
    snapshot,
    handleLaunch,
    onMenuAction: ui.onMenuAction,
    showNotice: ui.notifications.showNotice,
    notices,
    shutdown,
  };
}

/** Inside an AppImage: the user's `proxmox-sleep-agent` command, so the host's agent commands reach this tray. */
async function offerAppImageCli(options: TrayAppOptions, logger: Logger): Promise<void> {
  try {
    const home = options.homeDir ?? app.getPath('home');
    const appRoot = options.appRoot ?? app.getAppPath();
    const cli = await installAppImageCli({ env: options.env, home, resourcesDir: path.dirname(appRoot) });
    if (cli?.changed) logger.info(`the proxmox-sleep-agent command of this AppImage: ${cli.command}`);
  } catch (e) {
    logger.warn(`cannot set up the AppImage's proxmox-sleep-agent command: ${errorMessage(e)}`);
  }
}

/** The folders exist before anything watches them (the status writer would create the first one later). */
async function createWatchedFolders(config: AgentConfig): Promise<void> {
  await fs.mkdir(path.dirname(config.statusFile), { recursive: true, mode: 0o755 }).catch(() => undefined);
  await fs.mkdir(config.stateDir, { recursive: true }).catch(() => undefined);
}

function answerStatusWindow(trayAgent: TrayAgent, ui: TrayUi): () => void {
  const { statusWindow } = ui;
  return registerIpc(ipcMain, {
    isTrusted: (event) => isTrustedSender(event, idOf(statusWindow.webContentsId()), statusWindow.pageUrl),
    snapshot: trayAgent.snapshot,
    setBlock: (preset) => trayAgent.setPreset(preset, 'status window'),
  });
}

const idOf = (id: number | null) => (id === null ? null : { id });
