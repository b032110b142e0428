/**
 * The status window: one sandboxed, context-isolated page without Node, fed through the preload's three
 * calls. It never navigates away or opens other windows. Closing it only hides the page; the tray stays.
 */
import { BrowserWindow, type WebPreferences } from 'electron';
import { pathToFileURL } from 'url';
import { IpcChannel, type StatusSnapshot } from '../ipc-channels';

export function statusWindowPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

export interface StatusWindowOptions {
  preloadFile: string;
  pageFile: string;
  iconFile?: string;
}

export interface StatusWindow {
  open(): void;
  /** Pushes a snapshot to the page when the window is open. */
  send(snapshot: StatusSnapshot): void;
  /** The web contents id of the open window, for the IPC sender check. */
  webContentsId(): number | null;
  readonly pageUrl: string;
  close(): void;
}

export function createStatusWindow(options: StatusWindowOptions): StatusWindow {
  let window: BrowserWindow | null = null;
  const pageUrl = pathToFileURL(options.pageFile).toString();

  const create = () => {
    const win = new BrowserWindow({
      width: 760,
      height: 760,
      minWidth: 520,
      minHeight: 480,
      show: false,
      title: 'Proxmox Sleep Agent',
      autoHideMenuBar: true,
      icon: options.iconFile,
      webPreferences: statusWindowPreferences(options.preloadFile),
    });
    win.removeMenu();
    win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
    win.webContents.on('will-navigate', (event) => event.preventDefault());
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      if (window === win) window = null;
    });
    void win.loadFile(options.pageFile);
    return win;
  };

  return {
    pageUrl,
    open() {
      if (window === null) window = create();
      else {
        if (window.isMinimized()) window.restore();
        window.show();
        window.focus();
      }
    },
    send(snapshot) {
      if (window !== null && !window.isDestroyed())
        window.webContents.send(IpcChannel.StatusChanged, snapshot);
    },
    webContentsId: () => (window !== null && !window.isDestroyed() ? window.webContents.id : null),
    close() {
      if (window !== null && !window.isDestroyed()) window.destroy();
      window = null;
    },
  };
}
