/**
 * The tray (menu-bar) icon: applies icon, tooltip and menu from the pure builders, each only when it
 * changed, and rebuilds on its own while a countdown runs. Left click on Windows opens the menu (as most
 * tray apps do there), double click the status window; macOS and Linux open the menu on click anyway.
 */
import * as path from 'path';
import { Menu, Tray, nativeImage } from 'electron';
import type { Clock } from '../../../common/clock';
import type { Status } from '../../../protocol/status';
import { trayTooltip } from '../shared/describe';
import { buildTrayMenu, nextMenuRefresh, type MenuAction } from './menu-model';
import { toMenuTemplate } from './menu-template';
import { trayIcon } from './tray-icon';

export interface TrayView {
  status: Status | null;
  writeError: string | null;
}

export interface TrayControllerOptions {
  assetsDir: string;
  platform: NodeJS.Platform;
  clock: Clock;
  onAction(action: MenuAction): void;
  /** Current "start at login" state (null: not available here). */
  startAtLogin(): boolean | null;
  onOpenStatus(): void;
}

export interface TrayController {
  /** Shows a new status (and whatever changed with it). */
  update(view: TrayView): void;
  /** Rebuilds from the last view (after "start at login" changed, or when a countdown ticks). */
  refresh(): void;
  destroy(): void;
}

const NO_BLOCK = { active: false, until: null, source: null } as const;

export function createTrayController(options: TrayControllerOptions): TrayController {
  const { clock, platform } = options;
  let view: TrayView = { status: null, writeError: null };
  let shownIcon = '';
  let shownTooltip = '';
  let shownMenu = '';
  let timer: unknown = null;
  let destroyed = false;

  const image = (file: string) => {
    const icon = nativeImage.createFromPath(path.join(options.assetsDir, file));
    if (platform === 'darwin') icon.setTemplateImage(true);
    return icon;
  };

  const tray = new Tray(image(trayIcon(null, platform, clock.now())));
  if (platform === 'win32') {
    tray.on('click', () => tray.popUpContextMenu());
    tray.on('double-click', () => options.onOpenStatus());
  }

  const apply = () => {
    if (destroyed) return;
    const now = clock.now();
    const block = view.status?.block ?? NO_BLOCK;
    const icon = trayIcon(view.status, platform, now);
    if (icon !== shownIcon) {
      tray.setImage(image(icon));
      shownIcon = icon;
    }
    const tooltip = trayTooltip(view.status, block, now);
    if (tooltip !== shownTooltip) {
      tray.setToolTip(tooltip);
      shownTooltip = tooltip;
    }
    const model = buildTrayMenu(view.status, block, now, platform, {
      startAtLogin: options.startAtLogin(),
      writeError: view.writeError,
    });
    const key = JSON.stringify(model);
    if (key !== shownMenu) {
      tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model, options.onAction)));
      shownMenu = key;
    }
    clock.clearTimeout(timer);
    const next = nextMenuRefresh(block, now);
    timer = next === null ? null : clock.setTimeout(apply, Math.max(250, next - now + 50));
  };

  return {
    update(next) {
      view = next;
      apply();
    },
    refresh: apply,
    destroy() {
      destroyed = true;
      clock.clearTimeout(timer);
      tray.destroy();
    },
  };
}
