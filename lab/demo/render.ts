/**
 * Turning the demo's state into text: one plain line per log entry (for pipes, CI and the transcript), a
 * terminal frame with colours (guests, phases, countdown, the latest log lines), and the closing summary.
 * Pure functions of the state and the current time.
 */
import {
  currentCycle,
  PHASES,
  type Cycle,
  type DemoState,
  type LogLine,
  type Phase,
  type Row,
} from './model';

const ESC = '\x1b[';
const sgr = (codes: string, text: string, color: boolean) =>
  color ? `${ESC}${codes}m${text}${ESC}0m` : text;
const dim = (t: string, c: boolean) => sgr('2', t, c);
const bold = (t: string, c: boolean) => sgr('1', t, c);

function clockOf(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${(s - m * 60).toFixed(1).padStart(4, '0')}`;
}

const SOURCE_COLOR: Record<LogLine['source'], string> = {
  lab: '36',
  guest: '35',
  host: '1;34',
  power: '33',
  tool: '2',
};

export function formatLine(line: LogLine, t0: number, color = false): string {
  const src = sgr(SOURCE_COLOR[line.source], line.source.padEnd(5), color);
  return `${dim(clockOf(line.at - t0), color)}  ${src}  ${line.text}`;
}

const PHASE_NAMES: Record<Phase, string> = {
  monitoring: 'monitoring',
  warning: 'warning',
  'pre-sleep': 'pre-sleep',
  asleep: 'host asleep',
  'post-wake': 'post-wake',
  done: 'back',
};

function phaseBar(phase: Phase, color: boolean): string {
  const at = PHASES.indexOf(phase);
  return PHASES.map((p, i) => {
    const name = PHASE_NAMES[p];
    if (i < at) return sgr('32', `✓ ${name}`, color);
    if (i === at) return sgr('1;7', ` ${name} `, color);
    return dim(`· ${name}`, color);
  }).join(dim(' ─ ', color));
}

function stateColor(state: string): string {
  if (state === 'active') return '1;31';
  if (state === 'idle') return '32';
  if (state === 'stopped') return '2';
  return '0';
}

function powerColor(power: string): string {
  if (power === 'running') return '32';
  if (power.endsWith('ing')) return '1;33';
  return '2';
}

function idleCell(r: Row): string {
  if (r.host !== 'idle' || r.idleSeconds === null) return '-';
  return `${Math.min(r.idleSeconds, 9999)} s / ${r.timeoutSeconds} s`;
}

const pad = (text: string, width: number) =>
  text.length >= width ? text.slice(0, width) : text.padEnd(width);

function table(rows: Row[], color: boolean): string[] {
  const w = { guest: 20, power: 14, host: 8, why: 36, idle: 12 };
  const head = `${pad('GUEST', w.guest)} ${pad('POWER', w.power)} ${pad('HOST SEES', w.host + 2)} ${pad('WHY', w.why)} ${pad('IDLE', w.idle)} READING`;
  const lines = [bold(head, color)];
  for (const r of rows) {
    const why =
      r.host === 'active' ? r.reasons.join(', ') : r.host === 'idle' ? 'idle' : r.host === '-' ? '…' : r.host;
    lines.push(
      [
        pad(r.label, w.guest),
        sgr(powerColor(r.power), pad(r.power, w.power), color),
        sgr(stateColor(r.host), pad(r.host, w.host + 2), color),
        pad(why, w.why),
        pad(idleCell(r), w.idle),
        r.reading ?? '',
      ].join(' '),
    );
  }
  return lines;
}

function countdownLine(s: DemoState, now: number, color: boolean): string {
  const c = currentCycle(s);
  switch (s.phase) {
    case 'monitoring':
      if (!s.countdown) return sgr('1;31', 'Host awake: something is active (see WHY).', color);
      {
        const left = Math.max(0, s.countdown.seconds - Math.floor((now - s.countdown.at) / 1000));
        return left > 0
          ? sgr('1;32', `Everything idle: the host sleeps in ${left} s if it stays so.`, color)
          : sgr('1;32', 'Sleep is due.', color);
      }
    case 'warning':
      return sgr('1;33', 'Sleep is due: the guests were warned; the host checks once more.', color);
    case 'pre-sleep':
      return sgr(
        '1;33',
        `Pre-sleep: putting the guests away (${Object.keys(c.down).length} down so far).`,
        color,
      );
    case 'asleep':
      return sgr('1;35', `The host is asleep (${Math.round((now - (c.asleepAt ?? now)) / 1000)} s)…`, color);
    case 'post-wake':
      return sgr(
        '1;36',
        `Awake again: bringing the guests back (${Object.keys(c.back).length} of ${Object.keys(c.down).length}).`,
        color,
      );
    case 'done':
      return sgr('1;32', 'One full cycle: every guest is back.', color);
  }
}

export interface FrameInfo {
  title: string;
  subtitle: string;
  logLines: number;
}

/** The terminal view: title, the guests, where the cycle is, the countdown, and the latest log lines. */
export function renderFrame(s: DemoState, now: number, info: FrameInfo, color = true): string[] {
  const c = currentCycle(s);
  const elapsed = clockOf(now - s.t0);
  const out = [
    `${bold(info.title, color)}  ${dim(`cycle ${c.number} · ${elapsed}`, color)}`,
    dim(info.subtitle, color),
    '',
    ...table(s.rows, color),
    '',
    phaseBar(s.phase, color),
    countdownLine(s, now, color),
    '',
    bold('Log', color),
    ...[...s.lines]
      .sort((a, b) => a.at - b.at)
      .slice(-info.logLines)
      .map((l) => `  ${formatLine(l, s.t0, color)}`),
  ];
  return out;
}

const secs = (from?: number, to?: number) =>
  from !== undefined && to !== undefined ? `${((to - from) / 1000).toFixed(1)} s` : '-';

function cycleTimeline(c: Cycle): string {
  return [
    `sleep due after ${secs(c.startedAt, c.dueAt)}`,
    `warning ${secs(c.warnedAt, c.preSleepAt)}`,
    `pre-sleep ${secs(c.preSleepAt, c.asleepAt)}`,
    `host asleep ${secs(c.asleepAt, c.wokeAt)}`,
    `post-wake ${secs(c.wokeAt, c.doneAt ?? c.backAt)}`,
  ].join(', ');
}

export interface SummaryResult {
  lines: string[];
  ok: boolean;
}

/**
 * The closing summary: each finished cycle's timeline, how every guest went down and came back. When the user
 * stopped the demo (`stoppedByUser`) in the middle of a cycle, that cycle is named but not judged: the lab and
 * its guests were removed with it.
 */
export function summarize(s: DemoState, rows: Row[], reason: string, stoppedByUser = false): SummaryResult {
  const done = s.cycles.filter((c) => c.doneAt !== undefined);
  const lines = [`Summary: ${reason}`];
  for (const c of done) {
    lines.push(`  cycle ${c.number} in ${secs(c.startedAt, c.doneAt)}: ${cycleTimeline(c)}`);
    for (const r of rows) {
      const down = c.down[r.id];
      const back = c.back[r.id];
      lines.push(`    ${pad(r.label, 20)} ${down ? `${down} → ${back ?? 'NOT BACK'}` : 'kept running'}`);
    }
    if (c.outcome) lines.push(`    host tool: ${c.outcome}`);
  }
  const unfinished = s.cycles.find((c) => c.doneAt === undefined && c.dueAt !== undefined);
  const cutShort = stoppedByUser && unfinished !== undefined;
  if (cutShort)
    lines.push(
      `  cycle ${unfinished.number}: stopped during ${s.phase}; the lab was removed with its guests`,
    );
  const allBack = done.length > 0 && done.every((c) => Object.keys(c.down).every((id) => c.back[Number(id)]));
  const running = cutShort || rows.every((r) => r.power === 'running');
  const ok = allBack && running;
  const cycles = `${done.length} full cycle${done.length === 1 ? '' : 's'}`;
  lines.push(
    ok
      ? `Every guest came back (${cycles}).`
      : done.length === 0
        ? 'No full cycle was completed.'
        : 'NOT every guest came back.',
  );
  return { lines, ok };
}
