/**
 * The "Block sleep" choices offered by the tray menu, the status window and the pre-sleep notification,
 * following the keep-awake tools people know (Caffeine, Amphetamine, PowerToys Awake): a few durations,
 * "until tomorrow morning" and "until I turn it off". Each preset becomes a core BlockRequest.
 */
import type { BlockRequest } from '../../core/block';

export const BLOCK_PRESETS = ['30m', '1h', '2h', '4h', 'morning', 'indefinitely', 'off'] as const;
export type BlockPreset = (typeof BLOCK_PRESETS)[number];

/** The presets that set a block (everything but `off`), in menu order. */
export const SET_PRESETS: readonly Exclude<BlockPreset, 'off'>[] = [
  '30m',
  '1h',
  '2h',
  '4h',
  'morning',
  'indefinitely',
];

/** "Tomorrow morning" ends at this local hour. */
export const MORNING_HOUR = 8;
/** Before this local hour, "tomorrow morning" is the coming morning of the same date (a night owl at 2 am). */
const NIGHT_ENDS_HOUR = 4;

export const PRESET_LABELS: Record<BlockPreset, string> = {
  '30m': '30 minutes',
  '1h': '1 hour',
  '2h': '2 hours',
  '4h': '4 hours',
  morning: 'Until tomorrow morning',
  indefinitely: 'Until I turn it off',
  off: 'Stop blocking',
};

export function isBlockPreset(value: unknown): value is BlockPreset {
  return typeof value === 'string' && (BLOCK_PRESETS as readonly string[]).includes(value);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The end of "until tomorrow morning" in ms (local MORNING_HOUR:00). */
export function morningAfter(now: number): number {
  const d = new Date(now);
  const end = new Date(d.getFullYear(), d.getMonth(), d.getDate(), MORNING_HOUR, 0, 0, 0);
  if (d.getHours() >= NIGHT_ENDS_HOUR) end.setDate(end.getDate() + 1);
  return end.getTime();
}

/** The core request for a preset at `now`. */
export function presetRequest(preset: BlockPreset, now: number): BlockRequest {
  switch (preset) {
    case 'off':
      return { off: true };
    case 'indefinitely':
      return { indefinitely: true };
    case 'morning': {
      const end = new Date(morningAfter(now));
      return {
        until: `${end.getFullYear()}-${pad(end.getMonth() + 1)}-${pad(end.getDate())} ${pad(end.getHours())}:${pad(end.getMinutes())}`,
      };
    }
    default:
      return { for: preset };
  }
}
