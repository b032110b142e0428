/**
 * Which icon file the tray shows, pure. assets/tray/ holds, for each state (idle, active, blocked):
 * `tray-<state>.ico` (Windows: 16–64 px in one file, so the notification area picks the crisp size for the
 * display scale), `tray-<state>Template.png` + `@2x` (macOS menu bar: black + alpha, tinted by the system
 * for light/dark menu bars) and `tray-<state>-32.png` + `@2x` (Linux panels scale down from 32 px).
 */
import type { Status } from '../../../protocol/status';
import { trayState, type TrayState } from '../shared/describe';

export const TRAY_STATES: readonly TrayState[] = ['idle', 'active', 'blocked'];

export function trayIconFile(state: TrayState, platform: NodeJS.Platform): string {
  if (platform === 'win32') return `tray-${state}.ico`;
  if (platform === 'darwin') return `tray-${state}Template.png`;
  return `tray-${state}-32.png`;
}

/** The icon file for a status at `now` (a block that has run out no longer shows as blocked). */
export function trayIcon(status: Status | null, platform: NodeJS.Platform, now: number): string {
  const block = status?.block ?? { active: false, until: null, source: null };
  return trayIconFile(trayState(status, block, now), platform);
}
