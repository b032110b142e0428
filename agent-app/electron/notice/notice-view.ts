/**
 * What the pre-sleep notification says and offers, pure. macOS and Windows show a **Keep awake** button;
 * Linux notification servers reached through Electron get no buttons, so there a click on the notification
 * itself keeps the computer awake (and the text says so).
 */
import type { BlockPreset } from '../shared/block-presets';
import { formatDuration } from '../shared/format';
import { sleepsAt, type Notice } from './notice-file';

/** The block a "Keep awake" sets: long enough to finish what one was doing, short enough to be forgotten. */
export const KEEP_AWAKE_PRESET: BlockPreset = '1h';

export interface NoticeView {
  title: string;
  body: string;
  /** The button (macOS, Windows); null where the platform shows none. */
  action: string | null;
  /** True when clicking the notification itself keeps the computer awake (Linux). */
  clickKeepsAwake: boolean;
}

export function noticeView(notice: Notice, now: number, platform: NodeJS.Platform): NoticeView {
  const left = Math.round((sleepsAt(notice) - now) / 1000);
  const when = left <= 120 ? `${left} s` : formatDuration(left);
  const title =
    left > 0 ? `This computer's host will sleep in ${when}` : "This computer's host is going to sleep";
  const buttons = platform === 'darwin' || platform === 'win32';
  const hint = buttons
    ? 'Keep awake blocks its sleep for 1 hour.'
    : 'Click here to keep it awake for 1 hour.';
  const message = notice.message.trim();
  return {
    title,
    body: message ? `${message}\n${hint}` : hint,
    action: buttons ? 'Keep awake' : null,
    clickKeepsAwake: !buttons,
  };
}
