/**
 * A guest's wake request: when it next wants to be awake and who asked (a wake timer of the OS or the
 * user's `wake-at`). Sources report every request they know; the planner keeps the earliest.
 */
import { localTime } from '../../../common/log';

export interface WakeRequest {
  /** Milliseconds since the epoch. */
  at: number;
  /** Who asked, for people and for the `wakeTimers.ignore` list, e.g. "systemd timer backup.timer". */
  source: string;
}

/** Where wake requests come from; `read` throws UnavailableError when the OS has no such thing here. */
export interface WakeSource {
  readonly name: string;
  read(signal: AbortSignal, now: number): Promise<WakeRequest[]>;
  close?(): Promise<void>;
}

/** The earliest request still ahead of `now`, or null. */
export function earliestWake(requests: readonly WakeRequest[], now: number): WakeRequest | null {
  let best: WakeRequest | null = null;
  for (const request of requests)
    if (Number.isFinite(request.at) && request.at > now && (best === null || request.at < best.at))
      best = request;
  return best;
}

function untilText(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

/** One line for `check` and the logs: "2026-12-24 06:30:00 (in 2 days 9 h), wake-at (cli)". */
export function describeWake(wake: WakeRequest | null, now: number): string {
  if (wake === null) return 'no wake timer';
  return `${localTime(wake.at)} (in ${untilText(wake.at - now)}), ${wake.source}`;
}
