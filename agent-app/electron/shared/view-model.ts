/**
 * The status window's content as plain data, pure: a snapshot in, everything the page shows out (texts,
 * the chart's geometry). The page only turns this into DOM nodes, so what it shows is tested here.
 */
import type { CheckState } from '../../../protocol/status';
import type { StatusSnapshot } from '../ipc-channels';
import { PRESET_LABELS, SET_PRESETS, type BlockPreset } from './block-presets';
import {
  activityReasons,
  blockInForce,
  blockText,
  checkLabel,
  reasonText,
  statusLine,
  trayState,
  verdictText,
  type TrayState,
} from './describe';
import { formatClock, formatDuration } from './format';
import { HISTORY_WINDOW_MS, minutesByState, type BandState } from './history';

export type PageState = TrayState | 'starting';

export interface ChartSegment {
  /** Position and width as fractions of the chart (0 = an hour ago, 1 = now). */
  start: number;
  width: number;
  state: BandState;
  title: string;
}

export interface PageModel {
  state: PageState;
  headline: string;
  line: string;
  updated: string;
  identity: string;
  block: { active: boolean; text: string | null };
  presets: { preset: BlockPreset; label: string }[];
  chart: {
    segments: ChartSegment[];
    ticks: { at: number; label: string }[];
    legend: { state: BandState; label: string; minutes: number }[];
  };
  checks: { name: string; label: string; state: CheckState; detail: string }[];
  facts: { label: string; value: string }[];
  warning: string | null;
}

const NO_BLOCK = { active: false, until: null, source: null } as const;

export const BAND_LABELS: Record<BandState, string> = {
  idle: 'idle',
  active: 'in use',
  blocked: 'sleep blocked',
  none: 'no data',
};

const TICKS = [
  { at: 0, label: '60 min ago' },
  { at: 0.25, label: '45 min' },
  { at: 0.5, label: '30 min' },
  { at: 0.75, label: '15 min' },
  { at: 1, label: 'now' },
];

export function buildPageModel(snapshot: StatusSnapshot): PageModel {
  const { status, now } = snapshot;
  const block = status?.block ?? NO_BLOCK;
  const starting = status === null || (status.reasons.includes('starting') && !blockInForce(block, now));
  const state: PageState = starting ? 'starting' : trayState(status, block, now);
  const written = status ? Date.parse(status.written_at) : NaN;
  const age = Number.isFinite(written) ? Math.max(0, Math.round((now - written) / 1000)) : null;

  const windowStart = now - HISTORY_WINDOW_MS;
  const segments = snapshot.history.map((band) => ({
    start: (band.from - windowStart) / HISTORY_WINDOW_MS,
    width: (band.to - band.from) / HISTORY_WINDOW_MS,
    state: band.state,
    title: `${BAND_LABELS[band.state]}: ${formatDuration(Math.round((band.to - band.from) / 1000))}`,
  }));
  const minutes = minutesByState(snapshot.history);

  const facts: { label: string; value: string }[] = [];
  if (status) {
    const d = status.details;
    if (d.user_idle_source) facts.push({ label: 'Input idle from', value: d.user_idle_source });
    if (typeof d.user_idle_seconds === 'number')
      facts.push({ label: 'Last keyboard/mouse input', value: `${formatDuration(d.user_idle_seconds)} ago` });
    if (status.idle) facts.push({ label: 'Idle for', value: formatDuration(status.idle_seconds) });
    if (block.active && block.source) facts.push({ label: 'Block set by', value: block.source });
    if (status.next_wake_at)
      facts.push({ label: 'Next wake requested', value: formatClock(Date.parse(status.next_wake_at), now) });
  }
  facts.push({ label: 'Status file', value: snapshot.statusFile });

  return {
    state,
    headline: verdictText(status, block, now),
    line:
      state === 'active' && status
        ? `Active: ${activityReasons(status)
            .map((r) => reasonText(r, status))
            .join(', ')}`
        : statusLine(status, block, now),
    updated:
      age === null
        ? 'waiting for the first check'
        : `updated ${age < 2 ? 'just now' : `${formatDuration(age)} ago`} · sent to the host every ${formatDuration(status!.interval_seconds)} (#${status!.seq})`,
    identity: status
      ? `${status.agent.hostname} · ${status.agent.variant} ${status.agent.version} · ${status.agent.os}`
      : '',
    block: {
      active: blockInForce(block, now),
      text: blockInForce(block, now) ? blockText(block, now) : null,
    },
    presets: SET_PRESETS.map((preset) => ({ preset, label: PRESET_LABELS[preset] })),
    chart: {
      segments,
      ticks: TICKS,
      legend: (['idle', 'active', 'blocked', 'none'] as const).map((s) => ({
        state: s,
        label: BAND_LABELS[s],
        minutes: minutes[s],
      })),
    },
    checks: (status?.checks ?? []).map((c) => ({
      name: c.name,
      label: checkLabel(c.name),
      state: c.state,
      detail: c.detail,
    })),
    facts,
    warning: snapshot.writeError
      ? `The host cannot see this computer's status: ${snapshot.writeError}`
      : null,
  };
}
