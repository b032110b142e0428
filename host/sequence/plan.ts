/**
 * The sleep sequence as data. `planPreSleep` decides, for every guest, whether it is left alone (and what is
 * recorded for it) or which chain of actions puts it away; `planPostWake` decides which recorded guests are
 * started again. Both are pure: configuration, power states and the recorded state in, a plan out. The
 * executors carry plans out, `--dry-run` prints them, and the tests assert on them.
 *
 * The rules are the previous release's (anchor-behaviour.md §5, rules 32–44): only guests this tool stopped
 * are resumed; a pending resume survives later cycles while its guest stays stopped (also through
 * keep_running / ignore cycles and removal from the configuration); a pending resume is dropped once the
 * user has started the guest; containers cannot hibernate and are shut down instead.
 */
import type { FailurePolicy, GuestConfig, GuestKind, SleepAction } from '../config';
import { agentRoute, type AgentChannel } from '../guest/agent-command';
import { isResumable, parseRecordKey, recordKey, type RecordValue, type ResumableValue } from '../state';

/** What the guest's power state looks like: anything but running counts as stopped (1.x: `qm status` ≠ running). */
export type Power = 'running' | 'stopped' | 'unknown';

export type Step =
  | { type: 'hibernate'; via: 'agent'; channel: AgentChannel; timeoutS: number }
  | { type: 'hibernate'; via: 'qga'; timeoutS: number }
  | { type: 'shutdown'; timeoutS: number }
  | { type: 'stop' };

interface GuestPlanBase {
  key: string;
  kind: GuestKind;
  id: number;
  name: string;
  action: SleepAction;
  power: Power;
  /** A resume still owed from an earlier cycle. */
  pending: ResumableValue | null;
  notes: string[];
}

export type LeavePlan = GuestPlanBase & { decision: 'leave'; record: RecordValue };
export type ActPlan = GuestPlanBase & { decision: 'act'; steps: Step[]; onFailure: FailurePolicy };
export type GuestPlan = LeavePlan | ActPlan;

export interface PreSleepPlan {
  /** Guests acted on at the same time (SLEEP_PARALLELISM; 0 = all). */
  parallelism: number;
  guests: GuestPlan[];
  /** Records of guests no longer configured that are still owed a resume: kept. */
  carried: { key: string; value: ResumableValue }[];
  /** Other records of guests no longer configured: dropped, as 1.x does. */
  dropped: { key: string; value: RecordValue }[];
}

export interface PreSleepInput {
  guests: readonly GuestConfig[];
  sleepParallelism: number;
  /** By record key (`vm_100`); a guest missing here counts as unknown. */
  power: ReadonlyMap<string, Power>;
  records: ReadonlyMap<string, RecordValue>;
}

/** The record written, before the step runs, for a guest this step stops. */
export function recordFor(step: Step): ResumableValue {
  switch (step.type) {
    case 'hibernate':
      return 'hibernated';
    case 'shutdown':
      return 'shutdown';
    case 'stop':
      return 'was_shutdown';
  }
}

/**
 * The chain that puts a running guest away. A VM set to hibernate: the agent's `hibernate` (when the guest
 * has an agent we can reach), else the QEMU guest agent's `guest-suspend-disk`, then a graceful shutdown,
 * then a forced stop. `ON_FAILURE=abort` leaves out the forced stop: the guest is never killed, the sleep is
 * called off instead.
 */
export function stepsFor(guest: GuestConfig): Step[] {
  const tail: Step[] = [{ type: 'shutdown', timeoutS: guest.shutdownTimeout }];
  if (guest.onFailure === 'continue') tail.push({ type: 'stop' });
  if (guest.kind === 'ct' || guest.sleepAction !== 'hibernate') return tail;
  const steps: Step[] = [];
  const channel = agentRoute(guest);
  if (channel && channel !== 'pct-exec')
    steps.push({ type: 'hibernate', via: 'agent', channel, timeoutS: guest.hibernateTimeout });
  steps.push({ type: 'hibernate', via: 'qga', timeoutS: guest.hibernateTimeout });
  return [...steps, ...tail];
}

export function planPreSleep(input: PreSleepInput): PreSleepPlan {
  const configured = new Set<string>();
  const guests = input.guests.map((g): GuestPlan => {
    const key = recordKey(g.kind, g.id);
    configured.add(key);
    const recorded = input.records.get(key);
    const pending = isResumable(recorded) ? recorded : null;
    const power = input.power.get(key) ?? 'unknown';
    const base: GuestPlanBase = {
      key,
      kind: g.kind,
      id: g.id,
      name: g.name,
      action: g.sleepAction as SleepAction,
      power,
      pending,
      notes: [],
    };
    if (pending && power === 'stopped')
      return {
        ...base,
        decision: 'leave',
        record: pending,
        notes: [`still owed a resume (${pending}): kept`],
      };
    if (pending && power === 'running')
      base.notes.push(`the resume owed (${pending}) is dropped: the guest was started since`);
    if (g.sleepAction === 'keep_running' || g.sleepAction === 'ignore')
      return { ...base, decision: 'leave', record: g.sleepAction === 'ignore' ? 'ignored' : 'kept_running' };
    if (power === 'stopped') return { ...base, decision: 'leave', record: 'not_running' };
    if (power === 'unknown') base.notes.push('power state unknown: it is read again before anything is done');
    if (g.kind === 'ct' && g.sleepAction === 'hibernate')
      base.notes.push('containers cannot hibernate: shut down instead');
    return { ...base, decision: 'act', steps: stepsFor(g), onFailure: g.onFailure };
  });

  const carried: PreSleepPlan['carried'] = [];
  const dropped: PreSleepPlan['dropped'] = [];
  for (const [key, value] of input.records) {
    if (configured.has(key)) continue;
    if (isResumable(value)) carried.push({ key, value });
    else dropped.push({ key, value });
  }
  const acting = guests.filter((g) => g.decision === 'act').length;
  return {
    parallelism: input.sleepParallelism === 0 ? Math.max(1, acting) : input.sleepParallelism,
    guests,
    carried,
    dropped,
  };
}

export interface ResumeItem {
  key: string;
  kind: GuestKind;
  id: number;
  name: string;
  recorded: ResumableValue;
  configured: boolean;
  /** Seconds to wait for a guest that is still running (a late hibernation) before assuming it is fine. */
  lateStopWaitS: number;
  /** Set the clock of a VM that resumed from its own hibernation (a cold boot sets its own). */
  syncClock: boolean;
  /** How long its guest agent gets to answer after the start, for the clock sync. */
  clockSyncWaitS: number;
}

export interface PostWakePlan {
  /** Waited once before the first start (WAKE_DELAY). */
  wakeDelayS: number;
  parallelism: number;
  resume: ResumeItem[];
  /** Records removed without a start: RESUME_ON_WAKE=0, or nothing to resume. */
  drop: { key: string; value: RecordValue; why: string }[];
}

export interface PostWakeInput {
  guests: readonly GuestConfig[];
  records: ReadonlyMap<string, RecordValue>;
  /** `all` (post-wake, resume) or only these record keys (bringing back what one interrupted run stopped). */
  scope: 'all' | ReadonlySet<string>;
  wakeDelayS: number;
  sleepParallelism: number;
  /**
   * Bringing back what an interrupted run stopped: its hibernate or shutdown may still be under way, so a
   * guest that still runs gets its whole HIBERNATE_TIMEOUT / SHUTDOWN_TIMEOUT to finish, not only 60 s.
   */
  interrupted?: boolean;
}

/** The previous release waits 12 × 5 s for a guest still busy hibernating. */
export const LATE_STOP_WAIT_S = 60;
/** A VM back from hibernation first reads its RAM back; its agent gets this long to answer. */
export const CLOCK_SYNC_WAIT_S = 60;

export function planPostWake(input: PostWakeInput): PostWakePlan {
  const byKey = new Map(input.guests.map((g) => [recordKey(g.kind, g.id), g]));
  const order = new Map(input.guests.map((g, i) => [recordKey(g.kind, g.id), i]));
  const inScope = (key: string) => input.scope === 'all' || input.scope.has(key);
  const resume: ResumeItem[] = [];
  const drop: PostWakePlan['drop'] = [];
  for (const [key, value] of input.records) {
    if (!inScope(key)) continue;
    const ref = parseRecordKey(key);
    if (!ref) continue;
    if (!isResumable(value)) {
      drop.push({ key, value, why: 'not stopped by this tool' });
      continue;
    }
    const g = byKey.get(key);
    if (g && !g.resumeOnWake) {
      drop.push({ key, value, why: 'RESUME_ON_WAKE=0: stays stopped' });
      continue;
    }
    const hibernateS = g && g.kind === 'vm' ? g.hibernateTimeout : LATE_STOP_WAIT_S;
    const shutdownS = g ? g.shutdownTimeout : LATE_STOP_WAIT_S;
    const ownTimeout = value === 'hibernated' ? hibernateS : shutdownS;
    resume.push({
      key,
      kind: ref.kind,
      id: ref.id,
      name: g?.name ?? `${ref.kind}-${ref.id}`,
      recorded: value,
      configured: g !== undefined,
      lateStopWaitS: input.interrupted ? ownTimeout : Math.min(LATE_STOP_WAIT_S, ownTimeout),
      syncClock: ref.kind === 'vm' && value === 'hibernated',
      clockSyncWaitS: Math.min(CLOCK_SYNC_WAIT_S, hibernateS),
    });
  }
  resume.sort((a, b) => (order.get(a.key) ?? Infinity) - (order.get(b.key) ?? Infinity));
  return {
    wakeDelayS: input.wakeDelayS,
    parallelism: input.sleepParallelism === 0 ? Math.max(1, resume.length) : input.sleepParallelism,
    resume,
    drop,
  };
}

/** The post-wake that follows a pre-sleep plan: what it would stop, plus what is already owed. */
export function recordsAfter(plan: PreSleepPlan): Map<string, RecordValue> {
  const records = new Map<string, RecordValue>();
  for (const c of plan.carried) records.set(c.key, c.value);
  for (const g of plan.guests) {
    if (g.decision === 'leave') records.set(g.key, g.record);
    else {
      const last = g.steps[g.steps.length - 1];
      records.set(g.key, recordFor(g.steps[0] ?? last));
    }
  }
  return records;
}
