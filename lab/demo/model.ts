/**
 * The demo's view model: what the terminal shows, built from observations (watch.ts), the activities and the
 * host tool's own log lines. `apply` changes the state and returns the new log lines, so the plain output
 * is exactly the log and the terminal view is the state plus its last lines. Pure: time comes with each input.
 */
import type { ActivityNote } from './activity';
import { guestLabel, type DemoGuest } from './scenario';
import type { HostVerdict, Observation } from './watch';

export type Phase = 'monitoring' | 'warning' | 'pre-sleep' | 'asleep' | 'post-wake' | 'done';
export const PHASES: readonly Phase[] = ['monitoring', 'warning', 'pre-sleep', 'asleep', 'post-wake', 'done'];

export type Source = 'lab' | 'guest' | 'host' | 'power' | 'tool';

export interface LogLine {
  at: number;
  source: Source;
  text: string;
}

export interface Row {
  id: number;
  label: string;
  /** The guest's power as the lab sees it: running, hibernating, hibernated, shutting down, off, starting. */
  power: string;
  /** The host tool's verdict for it at its last check. */
  host: string;
  reasons: string[];
  idleSeconds: number | null;
  timeoutSeconds: number;
  /** The activity's current reading (GPU 85%, CPU 72%), if any. */
  reading: string | null;
}

export interface Cycle {
  number: number;
  startedAt: number;
  dueAt?: number;
  warnedAt?: number;
  preSleepAt?: number;
  asleepAt?: number;
  wokeAt?: number;
  backAt?: number;
  doneAt?: number;
  /** How each guest went down and came back in this cycle. */
  down: Record<number, string>;
  back: Record<number, string>;
  /** What the host tool reported at the end (its last sleep sequence). */
  outcome?: string;
}

export interface DemoState {
  t0: number;
  phase: Phase;
  rows: Row[];
  /** The host's countdown at its last check (seconds) and when that check was. */
  countdown: { seconds: number; at: number } | null;
  lines: LogLine[];
  cycles: Cycle[];
  /** When the host tool last checked its guests (its metrics). */
  lastVerdictAt: number | null;
}

export type Input =
  | Observation
  | { type: 'activity'; at: number; note: ActivityNote }
  | { type: 'tool-log'; at: number; text: string }
  | { type: 'note'; at: number; source: Source; text: string }
  | { type: 'sequence-done'; at: number; outcome: string };

export function initialState(guests: DemoGuest[], t0: number): DemoState {
  return {
    t0,
    phase: 'monitoring',
    rows: guests.map((g) => ({
      id: g.id,
      label: guestLabel(g),
      power: 'running',
      host: '-',
      reasons: [],
      idleSeconds: null,
      timeoutSeconds: g.idleTimeoutSeconds,
      reading: null,
    })),
    countdown: null,
    lines: [],
    cycles: [{ number: 1, startedAt: t0, down: {}, back: {} }],
    lastVerdictAt: null,
  };
}

export const currentCycle = (s: DemoState): Cycle => s.cycles[s.cycles.length - 1];

/** Guests the current cycle stopped that are not back yet. */
export function awaitedBack(s: DemoState): number[] {
  const c = currentCycle(s);
  return Object.keys(c.down)
    .map(Number)
    .filter((id) => c.back[id] === undefined);
}

const POWER_WORDS: Record<string, string> = {
  'hibernate-requested': 'hibernating',
  hibernated: 'hibernated',
  'shutdown-requested': 'shutting down',
  'shut-down': 'off',
  stopped: 'off (forced)',
  started: 'running',
  resumed: 'running',
  'start-failed': 'off (start failed)',
};

const DOWN: Record<string, string> = {
  hibernated: 'hibernated',
  'shut-down': 'shut down',
  stopped: 'stopped by force',
};
const BACK: Record<string, string> = { resumed: 'resumed', started: 'started' };

/** The warning's first sentence, without the agent's "Proxmox Sleep:" banner. */
function firstSentence(text: string): string {
  return text.replace(/^Proxmox Sleep:\s*/, '').split(/(?<=\.)\s/)[0];
}

function describeVerdict(g: HostVerdict['guests'][number]): string {
  if (g.state === 'active') return `active (${g.reasons.join(', ') || 'active'})`;
  return g.state;
}

/** Applies one input; returns the log lines it added. */
export function apply(s: DemoState, input: Input): LogLine[] {
  const added: LogLine[] = [];
  const say = (source: Source, text: string, at = input.at) => {
    const line = { at, source, text };
    s.lines.push(line);
    added.push(line);
  };
  const cycle = currentCycle(s);
  const row = (id: number) => s.rows.find((r) => r.id === id);
  const enter = (phase: Phase) => {
    if (PHASES.indexOf(phase) > PHASES.indexOf(s.phase)) s.phase = phase;
  };

  switch (input.type) {
    case 'note':
      say(input.source, input.text);
      break;
    case 'activity': {
      const r = row(input.note.id);
      if (r && input.note.reading !== undefined) r.reading = input.note.reading;
      say('guest', input.note.text);
      break;
    }
    case 'tool-log':
      say('tool', input.text);
      break;
    case 'verdict': {
      const v = input.verdict;
      s.lastVerdictAt = input.at;
      for (const g of v.guests) {
        const r = row(g.id);
        if (!r) continue;
        const before = describeVerdict({ ...g, state: r.host, reasons: r.reasons });
        r.host = g.state;
        r.reasons = g.reasons;
        r.idleSeconds = g.idleSeconds;
        const now = describeVerdict(g);
        if (now !== before && s.phase === 'monitoring') say('host', `${r.label}: ${now}`);
      }
      const wasCounting = s.countdown !== null;
      s.countdown = v.countdownSeconds === null ? null : { seconds: v.countdownSeconds, at: input.at };
      if (s.phase === 'monitoring') {
        if (s.countdown && !wasCounting)
          say('host', `everything is idle: sleep in ${s.countdown.seconds} s if it stays so`);
        if (!s.countdown && wasCounting) say('host', 'something became active: the countdown stops');
        if (s.countdown && s.countdown.seconds === 0 && cycle.dueAt === undefined) cycle.dueAt = input.at;
      }
      break;
    }
    case 'warning': {
      if (cycle.warnedAt === undefined) {
        cycle.warnedAt = input.at;
        cycle.dueAt ??= input.at;
        enter('warning');
        say('host', 'sleep is due: every guest agent is warned first');
      }
      const r = row(input.id);
      say('guest', `${r?.label ?? input.id} shows its users: "${firstSentence(input.text)}"`);
      break;
    }
    case 'guest-event': {
      const r = row(input.id);
      if (!r) break;
      const word = POWER_WORDS[input.event];
      if (word) r.power = word;
      const down = DOWN[input.event];
      const back = BACK[input.event];
      if (word && !back && cycle.preSleepAt === undefined && s.phase !== 'done') {
        cycle.preSleepAt = input.at;
        cycle.dueAt ??= input.at;
        enter('pre-sleep');
        // The host tool does not check its guests during its sleep sequence: its last verdict is stale now.
        for (const each of s.rows) Object.assign(each, { host: '…', reasons: [], idleSeconds: null });
        say('host', 'pre-sleep: the guests are put away');
      }
      if (down) cycle.down[input.id] = down;
      if (back && cycle.down[input.id] !== undefined) {
        cycle.back[input.id] = back;
        if (awaitedBack(s).length === 0 && cycle.backAt === undefined) cycle.backAt = input.at;
      }
      // Requests show in the row (and in the host tool's own lines); the log keeps what the guest did.
      if (down || back || !word) {
        const how = input.detail ? ` (${input.detail})` : '';
        say('power', `${r.label}: ${input.event.replace(/-/g, ' ')}${how}`);
      }
      if (cycle.backAt === input.at && awaitedBack(s).length === 0)
        say('host', 'every guest stopped for the sleep is running again');
      break;
    }
    case 'suspend': {
      if (input.event === 'requested') say('host', 'systemctl suspend');
      else if (input.event === 'sleep') {
        cycle.asleepAt = input.at;
        enter('asleep');
        s.countdown = null;
        say('host', "the host is asleep (the lab's systemctl suspend waits instead)");
      } else if (input.event === 'wake') {
        cycle.wokeAt = input.at;
        enter('post-wake');
        say('host', 'the host woke up: post-wake brings the guests back');
      }
      break;
    }
    case 'sequence-done': {
      cycle.doneAt = input.at;
      cycle.outcome = input.outcome;
      enter('done');
      say('host', `the sleep sequence is over: ${input.outcome}`);
      break;
    }
  }
  return added;
}

/** Starts the next cycle (`--keep-running`) after one is done. */
export function nextCycle(s: DemoState, at: number): void {
  s.cycles.push({ number: currentCycle(s).number + 1, startedAt: at, down: {}, back: {} });
  s.phase = 'monitoring';
}
