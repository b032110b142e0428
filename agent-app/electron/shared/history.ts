/**
 * The last hour as bands (idle / active / blocked, or "none" where nothing was observed: the tray was not
 * running or the computer slept). Pure: the main process keeps the samples, the status window draws the
 * bands.
 */
import type { TrayState } from './describe';

export interface HistorySample {
  /** When the status was published (ms since the epoch). */
  at: number;
  state: TrayState;
}

export type BandState = TrayState | 'none';

export interface HistoryBand {
  from: number;
  to: number;
  state: BandState;
}

export const HISTORY_WINDOW_MS = 3600_000;

/**
 * Adds a sample and drops those older than the window, keeping the last one before the window start (it
 * still covers the first minutes of the window). Samples that go back in time (clock set back) restart
 * the history.
 */
export function recordSample(
  samples: readonly HistorySample[],
  sample: HistorySample,
  windowMs = HISTORY_WINDOW_MS,
): HistorySample[] {
  const last = samples[samples.length - 1];
  const kept = last && sample.at < last.at ? [] : [...samples];
  kept.push(sample);
  const start = sample.at - windowMs;
  let first = 0;
  while (first + 1 < kept.length && kept[first + 1].at <= start) first++;
  return kept.slice(first);
}

/**
 * Bands covering [now - window, now]. A sample stands for the time until the next one, but at most
 * `maxGapMs` (a longer silence is "none"); the last sample reaches to now under the same limit.
 */
export function historyBands(
  samples: readonly HistorySample[],
  now: number,
  maxGapMs: number,
  windowMs = HISTORY_WINDOW_MS,
): HistoryBand[] {
  const start = now - windowMs;
  const bands: HistoryBand[] = [];
  const push = (from: number, to: number, state: BandState) => {
    const a = Math.max(from, start);
    const b = Math.min(to, now);
    if (b <= a) return;
    const prev = bands[bands.length - 1];
    if (prev && prev.state === state && prev.to >= a) prev.to = b;
    else bands.push({ from: a, to: b, state });
  };
  let cursor = start;
  samples.forEach((sample, i) => {
    const next = i + 1 < samples.length ? samples[i + 1].at : now;
    const covered = Math.min(next, sample.at + maxGapMs);
    if (sample.at > cursor) push(cursor, sample.at, 'none');
    push(Math.max(sample.at, cursor), covered, sample.state);
    cursor = Math.max(cursor, covered);
  });
  if (cursor < now) push(cursor, now, 'none');
  return bands;
}

/** Share of the window spent in each state (for the chart's legend), in whole minutes. */
export function minutesByState(bands: readonly HistoryBand[]): Record<BandState, number> {
  const out: Record<BandState, number> = { idle: 0, active: 0, blocked: 0, none: 0 };
  for (const band of bands) out[band.state] += (band.to - band.from) / 60_000;
  for (const key of Object.keys(out) as BandState[]) out[key] = Math.round(out[key]);
  return out;
}
