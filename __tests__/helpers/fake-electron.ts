/**
 * A stand-in for the `electron` module (its runtime cannot be installed on these machines), for
 * `jest.mock('electron', () => jest.requireActual('…/fake-electron').createFakeElectron())`. It records what the
 * main process does at the boundary (tray icon, menus, windows, IPC handlers, notifications, login item)
 * and lets a test play the user and the OS (menu clicks, notification buttons, a second start, quit).
 */
import { EventEmitter } from 'events';
import { existsSync } from 'fs';
import type { MenuItemConstructorOptions } from 'electron';

export interface FakeImage {
  path: string;
  template: boolean;
  setTemplateImage(value: boolean): void;
  isEmpty(): boolean;
}

class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  image: FakeImage;
  tooltip = '';
  menu: { template: MenuItemConstructorOptions[] } | null = null;
  setImageCalls = 0;
  setMenuCalls = 0;
  destroyed = false;
  popUpContextMenu = jest.fn();
  constructor(image: FakeImage) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }
  setImage(image: FakeImage) {
    this.image = image;
    this.setImageCalls++;
  }
  setToolTip(text: string) {
    this.tooltip = text;
  }
  setContextMenu(menu: { template: MenuItemConstructorOptions[] }) {
    this.menu = menu;
    this.setMenuCalls++;
  }
  destroy() {
    this.destroyed = true;
  }
  /** Clicks the menu item at this label path, e.g. ['Block sleep', '1 hour']. */
  click(...labels: string[]) {
    let items = this.menu?.template ?? [];
    let item: MenuItemConstructorOptions | undefined;
    for (const label of labels) {
      item = items.find((i) => i.label === label);
      if (!item) throw new Error(`no menu item "${label}" in ${items.map((i) => i.label).join(', ')}`);
      items = (item.submenu as MenuItemConstructorOptions[] | undefined) ?? [];
    }
    (item?.click as (() => void) | undefined)?.();
  }
  labels(): string[] {
    return (this.menu?.template ?? []).map((i) => (i.type === 'separator' ? '---' : String(i.label)));
  }
}

let nextContentsId = 1;

class FakeWebContents extends EventEmitter {
  id = nextContentsId++;
  send = jest.fn();
  setWindowOpenHandler = jest.fn();
}

class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  destroyed = false;
  shown = 0;
  loaded: string | null = null;
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadFile = jest.fn(async (file: string) => {
    this.loaded = file;
  });
  removeMenu = jest.fn();
  show() {
    this.shown++;
  }
  focus = jest.fn();
  isMinimized = () => false;
  restore = jest.fn();
  isDestroyed = () => this.destroyed;
  destroy() {
    this.destroyed = true;
    this.emit('closed');
  }
}

class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  static isSupported = () => true;
  shown = false;
  constructor(readonly options: Electron.NotificationConstructorOptions) {
    super();
    FakeNotification.instances.push(this);
  }
  show() {
    this.shown = true;
  }
}

class FakeApp extends EventEmitter {
  hasLock = true;
  quitRequests = 0;
  quitted = false;
  exitCode: number | null = null;
  isPackaged = false;
  appPath = process.cwd();
  paths: Record<string, string> = {};
  openAtLogin = false;
  requestSingleInstanceLock = jest.fn((): boolean => this.hasLock);
  whenReady = jest.fn(async (): Promise<void> => undefined);
  setAppUserModelId = jest.fn();
  dock = { hide: jest.fn() };
  getPath = (name: string): string => {
    if (!(name in this.paths)) throw new Error(`fake app.getPath: no path for "${name}"`);
    return this.paths[name];
  };
  getAppPath = (): string => this.appPath;
  getLoginItemSettings = jest.fn(() => ({ openAtLogin: this.openAtLogin }));
  setLoginItemSettings = jest.fn((settings: { openAtLogin: boolean }) => {
    this.openAtLogin = settings.openAtLogin;
  });
  /** Like Electron: before-quit listeners may prevent it. */
  quit = jest.fn((): void => {
    this.quitRequests++;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitted = true;
  });
  exit = jest.fn((code: number): void => {
    this.exitCode = code;
  });
}

class FakePowerMonitor extends EventEmitter {
  idleSeconds = 0;
  getSystemIdleTime = jest.fn((): number => this.idleSeconds);
}

export function createFakeElectron() {
  const app = new FakeApp();
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  const ipcMain = {
    handlers,
    handle: jest.fn((channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    }),
    removeHandler: jest.fn((channel: string) => handlers.delete(channel)),
    /** Calls a handler as a renderer would. */
    async invoke(channel: string, event: unknown, ...args: unknown[]) {
      const fn = handlers.get(channel);
      if (!fn) throw new Error(`no handler for ${channel}`);
      return fn(event, ...args);
    },
  };

  const powerMonitor = new FakePowerMonitor();

  const ipcRenderer = Object.assign(new EventEmitter(), { invoke: jest.fn(async () => undefined) });

  return {
    __esModule: true,
    app,
    ipcMain,
    ipcRenderer,
    contextBridge: { exposeInMainWorld: jest.fn() },
    powerMonitor,
    Tray: FakeTray,
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    Menu: { buildFromTemplate: (template: MenuItemConstructorOptions[]) => ({ template }) },
    nativeImage: {
      createFromPath: (path: string): FakeImage => {
        const image: FakeImage = {
          path,
          template: false,
          setTemplateImage: (v) => (image.template = v),
          isEmpty: () => !existsSync(path),
        };
        return image;
      },
    },
    dialog: { showErrorBox: jest.fn() },
    session: { defaultSession: { setPermissionRequestHandler: jest.fn() } },
  };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
export type { FakeApp, FakeTray, FakeBrowserWindow, FakeNotification };
