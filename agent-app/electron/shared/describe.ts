/**
 * What the status means, in the words the tray, its tooltip and the status window use. Pure: a status
 * document and the time in, short sentences out.
 */
import type { BlockState, Status } from '../../../protocol/status';
import { formatClock, formatDuration, formatKbps, formatRemaining, plural } from './format';

/** The three faces of the tray icon and the chart bands. */
export type TrayState = 'idle' | 'active' | 'blocked';

export function trayState(status: Status | null, block: BlockState, now: number): TrayState {
  if (blockInForce(block, now)) return 'blocked';
  if (status === null) return 'active';
  return status.idle ? 'idle' : 'active';
}

/** A block is in force when active and its end (if any) lies ahead. */
export function blockInForce(block: BlockState, now: number): boolean {
  if (!block.active) return false;
  if (block.until === null) return true;
  const until = Date.parse(block.until);
  return Number.isFinite(until) && until > now;
}

/** The end of a block in ms, or null for "until turned off" (or no block). */
export function blockEnd(block: BlockState): number | null {
  if (!block.active || block.until === null) return null;
  const until = Date.parse(block.until);
  return Number.isFinite(until) ? until : null;
}

const CHECK_LABELS: Record<string, string> = {
  input: 'Keyboard and mouse',
  gpu: 'GPU',
  power_requests: 'Power requests',
  processes: 'Watched programs',
  cpu: 'CPU',
  network: 'Network',
  sessions: 'Login sessions',
};

/** A check's name for people; custom checks keep their own name. */
export const checkLabel = (name: string): string => CHECK_LABELS[name] ?? name;

/** One reason in a few words, using the measured values where the status has them. */
export function reasonText(reason: string, status: Status): string {
  const d = status.details;
  const colon = reason.indexOf(':');
  if (colon > 0) {
    const prefix = reason.slice(0, colon);
    const name = reason.slice(colon + 1);
    if (prefix === 'process') return `${name} running`;
    if (prefix === 'custom') return name;
  }
  switch (reason) {
    case 'user_input':
      return typeof d.user_idle_seconds === 'number'
        ? `keyboard/mouse used ${formatDuration(d.user_idle_seconds)} ago`
        : 'keyboard/mouse in use';
    case 'gpu_active':
      return typeof d.gpu_percent === 'number' ? `GPU ${Math.round(d.gpu_percent)} %` : 'GPU busy';
    case 'power_request': {
      const first = d.power_requests?.[0];
      return first ? `power request by ${first.split(':')[0]}` : 'a program asks to stay awake';
    }
    case 'cpu_load':
      return typeof d.load_average === 'number' ? `CPU busy (load ${d.load_average.toFixed(2)})` : 'CPU busy';
    case 'network_active':
      return typeof d.network_kbps === 'number' ? `network ${formatKbps(d.network_kbps)}` : 'network busy';
    case 'session_active':
      return typeof d.sessions === 'number' && d.sessions > 0
        ? `${plural(d.sessions, 'login session')} open`
        : 'someone is logged in';
    case 'user_block':
      return 'sleep blocked';
    case 'starting':
      return 'starting';
    default:
      return reason;
  }
}

/** The reasons besides the block itself (what would keep the host awake without it). */
export const activityReasons = (status: Status): string[] => status.reasons.filter((r) => r !== 'user_block');

/** "GPU 85 %", or "GPU 85 % and 2 more". */
export function activitySummary(status: Status): string {
  const reasons = activityReasons(status);
  if (reasons.length === 0) return 'nothing';
  const first = reasonText(reasons[0], status);
  return reasons.length === 1 ? first : `${first} and ${reasons.length - 1} more`;
}

/** "Blocked until 14:30 — 1 h 23 min left" or "Blocked until you turn it off". */
export function blockText(block: BlockState, now: number): string {
  const end = blockEnd(block);
  if (end === null) return 'Blocked until you turn it off';
  return `Blocked until ${formatClock(end, now)} — ${formatRemaining(end, now)}`;
}

/** The tray's first line: what the host sees of this computer right now. */
export function statusLine(status: Status | null, block: BlockState, now: number): string {
  if (blockInForce(block, now)) {
    const end = blockEnd(block);
    return end === null
      ? 'Sleep blocked until you turn it off'
      : `Sleep blocked — ${formatRemaining(end, now)}`;
  }
  if (status === null || status.reasons.includes('starting')) return 'Starting — checking activity…';
  if (!status.idle && activityReasons(status).length === 0) return 'Block ended — checking activity…';
  if (status.idle)
    return status.idle_seconds < 60
      ? 'Idle — host may sleep'
      : `Idle ${formatDuration(status.idle_seconds)} — host may sleep`;
  return `Active: ${activitySummary(status)}`;
}

/** The host-facing verdict in one sentence (status window heading). */
export function verdictText(status: Status | null, block: BlockState, now: number): string {
  const state = trayState(status, block, now);
  if (state === 'blocked') return 'This computer keeps the host awake: sleep is blocked';
  if (status === null || status.reasons.includes('starting')) return 'Starting — the first check runs now';
  if (state === 'idle') return 'This computer is idle: the host may sleep';
  return 'This computer is in use: the host stays awake';
}

const TOOLTIP_MAX = 127; // Windows cuts notification-area tooltips at 127 characters

/** Tooltip: the app's name, the state and the reason; blocked shows what else is going on too. */
export function trayTooltip(status: Status | null, block: BlockState, now: number): string {
  let text = `Proxmox Sleep Agent\n${statusLine(status, block, now)}`;
  if (status && blockInForce(block, now) && activityReasons(status).length > 0)
    text += `\nAlso active: ${activitySummary(status)}`;
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}
