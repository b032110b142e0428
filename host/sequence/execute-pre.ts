/**
 * Carries out a pre-sleep plan: `SLEEP_PARALLELISM` guests at a time, each through its chain of steps until
 * one confirms the guest stopped. Before each step the record it announces (hibernated / shutdown /
 * was_shutdown) is written to the run record and to sleep-manager.state, both with fsync, so a crash at any
 * point leaves every guest that might be stopping recorded for its resume (1.x rule 32).
 *
 * A guest whose chain runs out fails. With `ON_FAILURE=abort` the first failure stops the run: no further
 * step is started for any guest and the caller starts again what this run stopped.
 */
import { mapLimit } from '../../common/map-limit';
import { guestRef as configRef, type GuestConfig } from '../config';
import type { RecordValue } from '../state';
import { guestLabel, type RunTracker, type SequenceContext } from './context';
import { recordFor, type ActPlan, type GuestPlan, type PreSleepPlan, type Step } from './plan';
import { readPower } from './power-watch';
import { guestRun, runStep, type GuestRun } from './put-away-steps';

export type GuestResult = 'hibernated' | 'shut down' | 'stopped by force' | 'left' | 'failed' | 'not reached';

export interface GuestOutcome {
  key: string;
  label: string;
  result: GuestResult;
  /** What sleep-manager.state says for the guest afterwards. */
  record: RecordValue | null;
  detail: string;
  seconds: number | null;
}

export interface PreSleepOutcome {
  guests: GuestOutcome[];
  /** The guest whose failure called the sleep off (ON_FAILURE=abort). */
  abortedBy: { label: string; why: string } | null;
}

/** True when every guest this run acted on went down gracefully (hibernated or shut down). */
export function preSleepSucceeded(outcome: PreSleepOutcome): boolean {
  return (
    outcome.abortedBy === null &&
    outcome.guests.every((g) => g.result !== 'failed' && g.result !== 'stopped by force')
  );
}

/** One pre-sleep run: what every guest's chain shares (the first ON_FAILURE=abort failure calls it off). */
interface PreSleepRun {
  ctx: SequenceContext;
  tracker: RunTracker;
  honourAbort: boolean;
  abortedBy: PreSleepOutcome['abortedBy'];
}

export async function executePreSleep(
  plan: PreSleepPlan,
  ctx: SequenceContext,
  tracker: RunTracker,
  options: { honourAbort: boolean },
): Promise<PreSleepOutcome> {
  await recordWhatIsKnown(plan, ctx);
  const run: PreSleepRun = { ctx, tracker, honourAbort: options.honourAbort, abortedBy: null };
  const configured = new Map(ctx.config.guests.map((g) => [configRef(g.kind, g.id), g]));
  const acting = plan.guests.filter((g): g is ActPlan => g.decision === 'act');
  const results = await mapLimit(acting, plan.parallelism, (g) =>
    putAway(
      run,
      guestRun(
        ctx,
        g,
        configured.get(configRef(g.kind, g.id)) as GuestConfig,
        guestLabel(g.kind, g.id, g.name),
      ),
    ),
  );
  const byKey = new Map(results.map((r) => [r.key, r]));
  return { guests: plan.guests.map((g) => byKey.get(g.key) ?? leftAlone(g)), abortedBy: run.abortedBy };
}

/** What is known before anything is done: the records of guests left alone, and resumes still owed. */
async function recordWhatIsKnown(plan: PreSleepPlan, ctx: SequenceContext): Promise<void> {
  const initial = new Map<string, RecordValue>();
  for (const g of plan.guests) {
    if (g.decision === 'leave') initial.set(g.key, g.record);
    else if (g.power === 'unknown' && g.pending) initial.set(g.key, g.pending);
  }
  for (const c of plan.carried) initial.set(c.key, c.value);
  await ctx.records.replace(initial);
  for (const c of plan.carried)
    ctx.log.info(`${c.key}: no longer configured but still owed a resume (${c.value}): kept`);
}

function leftAlone(g: GuestPlan): GuestOutcome {
  const detail =
    g.decision !== 'leave'
      ? ''
      : g.record === 'not_running'
        ? 'not running'
        : g.record === 'kept_running'
          ? 'kept running (keep_running)'
          : g.record === 'ignored'
            ? 'ignored (ignore)'
            : `stopped, still owed a resume (${g.record})`;
  return {
    key: g.key,
    label: guestLabel(g.kind, g.id, g.name),
    result: 'left',
    record: g.decision === 'leave' ? g.record : null,
    detail,
    seconds: null,
  };
}

/** One guest through its chain of steps until one confirms it stopped. */
async function putAway(run: PreSleepRun, guest: GuestRun): Promise<GuestOutcome> {
  const { ctx } = run;
  const { plan: g, label } = guest;
  const started = ctx.clock.now();
  const outcome = (result: GuestResult, record: RecordValue | null, detail: string): GuestOutcome => ({
    key: g.key,
    label,
    result,
    record,
    detail,
    seconds:
      result === 'left' || result === 'not reached' ? null : Math.round((ctx.clock.now() - started) / 1000),
  });
  for (const n of g.notes) ctx.log.info(`${label}: ${n}`);
  if (g.kind === 'ct' && g.action === 'hibernate')
    ctx.log.warn(`${label}: containers cannot hibernate; it is shut down instead`);
  if (g.power === 'unknown') {
    const settled = await settleUnknownPower(run, guest);
    if (settled) return outcome(settled.result, settled.record, settled.detail);
  }
  let hibernateAccepted = false;
  let lastWhy = '';
  for (const [i, step] of g.steps.entries()) {
    if (run.abortedBy)
      return outcome(
        'not reached',
        ctx.records.current().get(g.key) ?? null,
        `sleep called off: ${run.abortedBy.label} failed`,
      );
    if (step.type === 'hibernate' && hibernateAccepted) continue;
    if (i > 0 && lastWhy)
      ctx.log.event('info', { kind: 'fallback', subject: label, to: describeStep(step), why: lastWhy });
    await announce(run, g.key, recordFor(step));
    const result = await runStep(guest, step);
    if (result.done) return outcome(...done(run, guest, step, result.how));
    if (result.accepted) hibernateAccepted = true;
    lastWhy = result.why;
  }
  const why = lastWhy || 'nothing could stop it';
  failed(run, guest, why);
  return outcome('failed', ctx.records.current().get(g.key) ?? null, why);
}

/** Before each step, the record it announces goes to the run record and to sleep-manager.state (fsync). */
async function announce(run: PreSleepRun, key: string, value: RecordValue): Promise<void> {
  await run.tracker.update((r) => {
    r.stopped[key] = value;
  });
  await run.ctx.records.set(key, value);
}

function done(
  run: PreSleepRun,
  guest: GuestRun,
  step: Step,
  how: string,
): [GuestResult, RecordValue, string] {
  const result: GuestResult =
    step.type === 'hibernate' ? 'hibernated' : step.type === 'shutdown' ? 'shut down' : 'stopped by force';
  run.ctx.log.event(result === 'stopped by force' ? 'warn' : 'info', {
    kind: 'guest-action',
    guest: guest.label,
    action: step.type,
    outcome: 'done',
    detail: how,
  });
  return [result, recordFor(step), how];
}

function failed(run: PreSleepRun, guest: GuestRun, why: string): void {
  run.ctx.log.event('error', {
    kind: 'guest-action',
    guest: guest.label,
    action: 'pre-sleep',
    outcome: 'failed',
    detail: why,
  });
  if (guest.plan.onFailure === 'abort' && run.honourAbort) run.abortedBy ??= { label: guest.label, why };
}

/**
 * A guest whose power state the plan could not read is asked again (twice): stopped, it is left; still
 * unknown, it is left as it is and fails; running, its owed resume is dropped and its chain runs.
 */
async function settleUnknownPower(
  run: PreSleepRun,
  guest: GuestRun,
): Promise<{ result: GuestResult; record: RecordValue | null; detail: string } | null> {
  const { ctx, plan: g, label } = guest;
  let power = await readPower(ctx.proxmox, guest.ref);
  if (power === 'unknown') {
    ctx.log.event('info', {
      kind: 'retry',
      what: `${label}: power state`,
      attempt: 2,
      max: 2,
      why: 'no answer',
    });
    power = await readPower(ctx.proxmox, guest.ref);
  }
  if (power === 'stopped') {
    const record = g.pending ?? 'not_running';
    await ctx.records.set(g.key, record);
    return { result: 'left', record, detail: 'not running' };
  }
  if (power === 'unknown') {
    const why = 'Proxmox does not say whether it runs, so it is left as it is';
    failed(run, guest, why);
    return { result: 'failed', record: g.pending, detail: why };
  }
  if (g.pending)
    ctx.log.info(`${label}: the resume owed (${g.pending}) is dropped: the guest was started since`);
  await ctx.records.set(g.key, null);
  return null;
}

export function describeStep(step: Step): string {
  switch (step.type) {
    case 'hibernate':
      return step.via === 'agent'
        ? `hibernation by its agent (${step.channel === 'ssh' ? 'ssh' : 'guest exec'})`
        : 'hibernation by guest-suspend-disk';
    case 'shutdown':
      return 'a graceful shutdown';
    case 'stop':
      return 'a forced stop';
  }
}
