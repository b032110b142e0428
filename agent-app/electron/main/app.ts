/**
 * The tray app's main process: wiring only. It composes an agent exactly as the daemon does (config,
 * checks, block store, status writer — composeTray swaps in the session's input idle and the Windows
 * probes) and connects it to the tray, the status window, the pre-sleep notification, the command line of
 * a second start and "start at login". All decisions live in the pure modules it calls.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { app, dialog, ipcMain, Notification, powerMonitor, session } from 'electron';
import type { Clock } from '../../../common/clock';
import { ConfigError, errorMessage, formatProblem } from '../../../common/errors';
import { createLogger, type LogSink, type Logger } from '../../../common/log';
import type { Reply } from '../../../protocol/commands';
import type { Status } from '../../../protocol/status';
import { createAgent, maxObservationGapMs, type Agent } from '../../core/agent';
import { agentStartOptions } from '../../core/agent-start';
import type { BlockRequest } from '../../core/block';
import { loadAgentConfig, type AgentConfig } from '../../core/config';
import { agentOs } from '../../core/paths';
import { createStatusWriter, type StatusWriter } from '../../core/status-writer';
import { WAKE_FILE } from '../../core/wake/wake-store';
import type { StatusSnapshot } from '../ipc-channels';
import { KEEP_AWAKE_PRESET, noticeView } from '../notice/notice-view';
import type { Notice } from '../notice/notice-file';
import { presetRequest, type BlockPreset } from '../shared/block-presets';
import { blockEnd, trayState } from '../shared/describe';
import { historyBands, recordSample, type HistorySample } from '../shared/history';
import type { MenuAction } from '../tray/menu-model';
import { createTrayController, type TrayController } from '../tray/tray-controller';
import { composeTray, type TrayEdges } from './compose-tray';
import { isTrustedSender, registerIpc } from './ipc';
import { blockRequestFromArg, parseLaunchArgs, type LaunchCommand } from './launch-args';
import { fileSink } from './log-file';
import { createLoginItem, enableOnFirstStart, startCommand, type LoginItem } from './login-item';
import { createNoticeWatcher, type NoticeWatcher } from './notice-watcher';
import { createStatusWindow, type StatusWindow } from './status-window';
import { watchFile } from '../../platform/shared/watch-file';

/** Windows shows notifications only for an AppUserModelID that matches the installer's shortcut. */
export const APP_USER_MODEL_ID = 'org.proxmox-sleep.agent';

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

/** Wraps the status writer to remember the last failure for the tray and the status window. */
function trackingWriter(inner: StatusWriter): StatusWriter & { lastError(): string | null } {
  let error: string | null = null;
  return {
    file: inner.file,
    lastError: () => error,
    async write(status) {
      try {
        await inner.write(status);
        error = null;
      } catch (e) {
        error = errorMessage(e);
        throw e;
      }
    },
  };
}

async function loadConfigOrExplain(options: TrayAppOptions, logger: Logger): Promise<AgentConfig | null> {
  try {
    if (options.loadConfig) return await options.loadConfig();
    const file = options.env.PROXMOX_SLEEP_AGENT_CONFIG;
    return (await loadAgentConfig({ file, os: agentOs(options.platform) })).config;
  } catch (e) {
    const text =
      e instanceof ConfigError
        ? e.problems.map(formatProblem).join('\n')
        : `cannot load the configuration: ${errorMessage(e)}`;
    logger.error(text);
    dialog.showErrorBox('Proxmox Sleep Agent cannot start', `${text}\n\nSee docs/tray.md (configuration).`);
    return null;
  }
}

export async function startTrayApp(options: TrayAppOptions): Promise<TrayApp | null> {
  const { clock, platform, env } = options;
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }
  // A tray app keeps running when its last window closes.
  app.on('window-all-closed', () => undefined);
  if (platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  await app.whenReady();
  if (platform === 'darwin') app.dock?.hide();
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const logger = createLogger('tray', {
    sink:
      options.logSink ??
      fileSink(path.join(app.getPath('logs'), 'tray.log'), 1024 * 1024, (l) => void process.stderr.write(l)),
    levels: { '': 'info' },
    now: () => clock.now(),
  });
  const config = await loadConfigOrExplain(options, logger);
  if (config === null) {
    app.exit(78);
    return null;
  }
  const appRoot = options.appRoot ?? app.getAppPath();
  const composition = composeTray(config, { clock, logger, env, platform, powerMonitor, ...options.edges });
  logger.info(
    `started (${composition.session} session): status ${config.statusFile} every ${config.intervalSeconds}s`,
  );

  const writer = trackingWriter(createStatusWriter(config.statusFile, platform));
  const start = await agentStartOptions(config, { clock, logger });
  const maxGapMs = maxObservationGapMs(start.intervalSeconds, start.checkTimeoutMs);
  const agent = createAgent({
    ...start,
    info: composition.info,
    checks: composition.checks,
    writer,
    powerActions: composition.powerActions,
    wake: composition.wake,
  });

  let samples: HistorySample[] = [];
  const snapshot = (): StatusSnapshot => {
    const now = clock.now();
    return {
      status: agent.status,
      history: historyBands(samples, now, maxGapMs),
      now,
      statusFile: config.statusFile,
      writeError: writer.lastError(),
    };
  };

  const live = new Set<Notification>();
  const tell = (title: string, body: string) => {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title, body, silent: true });
    live.add(n);
    n.on('close', () => live.delete(n));
    n.show();
  };

  const setBlock = async (request: BlockRequest, source: string): Promise<Reply> => {
    const reply = await agent.setBlock(request, source);
    if (!reply.success) logger.warn(`block from ${source} refused: ${reply.message}`);
    return reply;
  };
  const setPreset = (preset: BlockPreset, source: string) =>
    setBlock(presetRequest(preset, clock.now()), source);

  const statusWindow: StatusWindow = createStatusWindow({
    preloadFile: path.join(__dirname, '..', 'bundles', 'preload.js'),
    pageFile: path.join(__dirname, '..', 'bundles', 'status.html'),
    iconFile: path.join(appRoot, 'assets', 'icons', platform === 'win32' ? 'app.ico' : 'app-256.png'),
  });

  const loginItem: LoginItem = await createLoginItem({
    platform,
    app,
    env,
    home: options.homeDir ?? app.getPath('home'),
    exec: startCommand(env, process.execPath, app.isPackaged, app.getAppPath()),
  });
  try {
    if (await enableOnFirstStart(loginItem, path.join(app.getPath('userData'), 'settings.json')))
      logger.info('first start: starting at login is turned on');
  } catch (e) {
    logger.warn(`cannot turn on starting at login: ${errorMessage(e)}`);
  }

  const onMenuAction = async (action: MenuAction): Promise<void> => {
    switch (action.type) {
      case 'block': {
        const reply = await setPreset(action.preset, 'tray');
        if (!reply.success) tell('Could not change the sleep block', reply.message);
        return;
      }
      case 'open-status':
        statusWindow.open();
        return;
      case 'toggle-login':
        try {
          await loginItem.set(!loginItem.enabled());
        } catch (e) {
          tell('Could not change "Start at login"', errorMessage(e));
        }
        tray.refresh();
        return;
      case 'quit':
        app.quit();
        return;
    }
  };

  const tray: TrayController = createTrayController({
    assetsDir: path.join(appRoot, 'assets', 'tray'),
    platform,
    clock,
    onAction: (action) => void onMenuAction(action),
    startAtLogin: () => loginItem.enabled(),
    onOpenStatus: () => statusWindow.open(),
  });

  const showNotice = (notice: Notice) => {
    if (!Notification.isSupported()) {
      logger.warn('notifications are not supported here; the pre-sleep notice was not shown');
      return;
    }
    const view = noticeView(notice, clock.now(), platform);
    const n = new Notification({
      title: view.title,
      body: view.body,
      actions: view.action ? [{ type: 'button', text: view.action }] : [],
      timeoutType: 'never',
      urgency: 'critical',
    });
    const keepAwake = async () => {
      const reply = await setPreset(KEEP_AWAKE_PRESET, 'notification');
      tell(reply.success ? 'This computer stays awake' : 'Could not keep this computer awake', reply.message);
    };
    live.add(n);
    n.on('action', () => void keepAwake());
    n.on('click', () => (view.clickKeepsAwake ? void keepAwake() : statusWindow.open()));
    n.on('close', () => live.delete(n));
    n.show();
  };

  // The folders exist before anything watches them (the status writer would create the first one later).
  await fs.mkdir(path.dirname(config.statusFile), { recursive: true, mode: 0o755 }).catch(() => undefined);
  await fs.mkdir(config.stateDir, { recursive: true }).catch(() => undefined);
  const notices = await createNoticeWatcher({
    statusFile: config.statusFile,
    clock,
    logger,
    show: showNotice,
  });

  // When a block runs out, republish at once (not at the next interval) so the host sees it end.
  let blockTimer: unknown = null;
  const stopListening = agent.onStatus((status: Status) => {
    const now = clock.now();
    clock.clearTimeout(blockTimer);
    const end = blockEnd(status.block);
    blockTimer =
      end !== null && end > now ? clock.setTimeout(() => void agent.refreshBlock(), end - now + 100) : null;
    samples = recordSample(samples, { at: now, state: trayState(status, status.block, now) });
    tray.update({ status, writeError: writer.lastError() });
    statusWindow.send(snapshot());
    void notices.check();
  });

  const stopIpc = registerIpc(ipcMain, {
    isTrusted: (event) => isTrustedSender(event, idOf(statusWindow.webContentsId()), statusWindow.pageUrl),
    snapshot,
    setBlock: (preset) => setPreset(preset, 'status window'),
  });

  const stopBlockWatch = watchFile(start.blockStore.file, () => void agent.refreshBlock());
  const stopWakeWatch = watchFile(path.join(config.stateDir, WAKE_FILE), () => void agent.refreshWake());
  const onWake = () => void agent.evaluate();
  powerMonitor.on('resume', onWake);
  powerMonitor.on('unlock-screen', onWake);

  const handleLaunch = async (commands: readonly LaunchCommand[]): Promise<void> => {
    for (const command of commands) {
      if (command.kind === 'status') statusWindow.open();
      else if (command.kind === 'usage') tell('Proxmox Sleep Agent', command.message);
      else if (command.kind === 'block') {
        const reply = await setBlock(blockRequestFromArg(command.value, clock.now()), 'command line');
        tell(reply.success ? 'Sleep block changed' : 'Could not change the sleep block', reply.message);
      } else if (command.kind === 'hibernate') {
        await agent.power('hibernate', async (reply) => {
          logger.info(`hibernate (command line): ${reply.message}`);
          if (!reply.success) tell('Could not hibernate', reply.message);
        });
      }
    }
  };
  app.on('second-instance', (_event, argv) => void handleLaunch(parseLaunchArgs(argv)));

  const loop = new AbortController();
  const running = agent.run({ signal: loop.signal });
  let closing: Promise<void> | null = null;
  const shutdown = () => {
    closing ??= (async () => {
      // Nothing may start new work (a watched file changing, a wake-up) while the agent winds down.
      stopListening();
      stopBlockWatch();
      stopWakeWatch();
      notices.close();
      powerMonitor.removeListener('resume', onWake);
      powerMonitor.removeListener('unlock-screen', onWake);
      clock.clearTimeout(blockTimer);
      loop.abort();
      await running.catch(() => undefined);
      stopIpc();
      statusWindow.close();
      tray.destroy();
      await agent.close();
      await composition.close();
      logger.info('stopped');
    })();
    return closing;
  };
  app.on('before-quit', (event) => {
    if (closing === null) {
      event.preventDefault();
      void shutdown().then(() => app.quit());
    }
  });

  await handleLaunch(parseLaunchArgs(options.argv));
  return { agent, snapshot, handleLaunch, onMenuAction, showNotice, notices, shutdown };
}

const idOf = (id: number | null) => (id === null ? null : { id });
