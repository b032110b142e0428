/**
 * The user's "block sleep" override, pure. A block is set for a duration (`--for 1h30m`), until a time
 * (`--until 23:00`, the next such local time, or a full date), or indefinitely, and cleared with `--off`.
 * It is stored with an absolute end, so it survives restarts and reboots and ends by itself.
 */
import type { BlockState } from '../../protocol/status';
import { MAX_AHEAD_MS, parseFutureTime } from './time-argument';

export interface BlockSetting {
  /** End of the block (ms since epoch); null = until cleared. */
  until: number | null;
  /** Who set it: "cli", "tray", "notification" … */
  source: string;
  setAt: number;
}

export type BlockRequest = { for: string } | { until: string } | { indefinitely: true } | { off: true };

export class BlockArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlockArgumentError';
  }
}

/** The longest block with an end: a year. Longer means "indefinitely". */
export const MAX_BLOCK_MS = MAX_AHEAD_MS;

const UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  w: 604_800_000,
  week: 604_800_000,
  weeks: 604_800_000,
};

/** `90s`, `45m`, `1h30m`, `2 hours`, `1d`: milliseconds. A bare number is refused (which unit?). */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  const token = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/y;
  let total = 0;
  let matched = 0;
  token.lastIndex = 0;
  while (token.lastIndex < input.length) {
    const start = token.lastIndex;
    const m = token.exec(input);
    if (!m || m.index !== start) break;
    const unit = UNIT_MS[m[2]];
    if (unit === undefined)
      throw new BlockArgumentError(`"${text}": unknown unit "${m[2]}" (use s, m, h, d or w)`);
    total += Number(m[1]) * unit;
    matched = token.lastIndex;
  }
  if (input === '' || matched !== input.length) {
    throw new BlockArgumentError(
      /^\d+(\.\d+)?$/.test(input)
        ? `"${text}": add a unit, e.g. ${input}m or ${input}h`
        : `"${text}" is not a duration; use e.g. 30m, 1h, 1h30m, 2d`,
    );
  }
  if (total <= 0) throw new BlockArgumentError(`"${text}": the duration must be longer than zero`);
  if (total > MAX_BLOCK_MS)
    throw new BlockArgumentError(`"${text}" is longer than a year; use --indefinitely`);
  return Math.round(total);
}

/**
 * `23:00` (the next 23:00 in local time, today or tomorrow), `2026-11-27 08:00` (local) or an ISO time with
 * an offset: milliseconds since the epoch, in the future.
 */
export function parseUntil(text: string, now: number): number {
  return parseFutureTime(text, now, '; use --indefinitely');
}

/** The block a request leads to; null for `off`. */
export function blockFromRequest(request: BlockRequest, now: number, source: string): BlockSetting | null {
  if ('off' in request) return null;
  if ('indefinitely' in request) return { until: null, source, setAt: now };
  if ('for' in request) return { until: now + parseDuration(request.for), source, setAt: now };
  return { until: parseUntil(request.until, now), source, setAt: now };
}

/** True while the block is in force. */
export function blockActive(setting: BlockSetting | null, now: number): setting is BlockSetting {
  return setting !== null && (setting.until === null || setting.until > now);
}

/** The protocol's `block` object at `now`; an expired block reads as inactive. */
export function blockState(setting: BlockSetting | null, now: number): BlockState {
  if (!blockActive(setting, now)) return { active: false, until: null, source: null };
  return {
    active: true,
    until: setting.until === null ? null : new Date(setting.until).toISOString(),
    source: setting.source,
  };
}

/** One sentence for the command reply and the logs. */
export function describeBlock(setting: BlockSetting | null): string {
  if (setting === null) return 'Sleep block cleared';
  if (setting.until === null) return 'Sleep blocked indefinitely';
  return `Sleep blocked until ${new Date(setting.until).toISOString()}`;
}
