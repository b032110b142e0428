/**
 * The user's own wake time (`proxmox-sleep-agent wake-at 07:00`), pure. One time, stored absolute, so it
 * survives restarts and reboots; once it has passed it reads as cleared.
 */
import type { SettingKind } from '../apply-setting';
import { parseFutureTime } from '../time-argument';

export type WakeAtRequest = { at: string } | { off: true };

export interface WakeAtSetting {
  /** Milliseconds since the epoch. */
  at: number;
  /** Who set it: "cli", "tray" … */
  source: string;
  setAt: number;
}

/** The setting a request leads to; null for `off`. Throws TimeArgumentError for a bad or past time. */
export function wakeAtFromRequest(request: WakeAtRequest, now: number, source: string): WakeAtSetting | null {
  if ('off' in request) return null;
  return { at: parseFutureTime(request.at, now), source, setAt: now };
}

/** The setting while it is still ahead of `now`, else null (a passed wake time is cleared). */
export function pendingWakeAt(setting: WakeAtSetting | null, now: number): WakeAtSetting | null {
  return setting !== null && setting.at > now ? setting : null;
}

/** One sentence for the command reply and the logs. */
export function describeWakeAt(setting: WakeAtSetting | null): string {
  return setting === null
    ? 'Wake request cleared'
    : `Wake requested for ${new Date(setting.at).toISOString()}`;
}

/** The wake time as a setting `wake-at` changes (see apply-setting.ts). */
export const WAKE_AT_SETTING: SettingKind<WakeAtRequest, WakeAtSetting> = {
  what: 'the wake time',
  fromRequest: wakeAtFromRequest,
  describe: describeWakeAt,
};
