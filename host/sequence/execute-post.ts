/**
 * Carries out a post-wake plan: stamp the wake and clear the idle timers first (1.x rule 27), wait
 * WAKE_DELAY once, then start the recorded guests `SLEEP_PARALLELISM` at a time. A guest that is still
 * running gets up to 60 s to finish a late hibernation and is then assumed fine (rule 43); a start that
 * reports an error while the guest runs anyway is a success (rule 44). Each record is removed as soon as its
 * guest is back, so nothing is started twice; failed starts keep their record for `resume` (rule 40). VMs
 * that come back from their own hibernation get their clock synced.
 */
import { sleep } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import { sanitizeForLog } from '../../common/sanitize';
import { mapLimit } from '../../common/map-limit';
import type { GuestRef } from '../proxmox/types';
import { syncGuestClock } from './clock-sync';
import { callTimeouts, guestLabel, oneLine, type RunTracker, type SequenceContext } from './context';
import { recordKey } from '../state';
import type { Power, PostWakePlan, ResumeItem } from './plan';
import { readPower, waitForStop, watchDepsOf } from './power-watch';

export type ResumeResult = 'started' | 'was running' | 'failed';

export interface ResumeOutcome {
  key: string;
  label: string;
  result: ResumeResult;
  detail: string;
  /** Clock sync, for VMs back from hibernation. */
  clock: string | null;
}

export interface PostWakeOutcome {
  stamped: boolean;
  guests: ResumeOutcome[];
  dropped: { key: string; why: string }[];
}

export function postWakeSucceeded(outcome: PostWakeOutcome): boolean {
  return outcome.guests.every((g) => g.result !== 'failed');
}

/** The labels of the guests that are back, and of those that are not. */
export function backAndNot(outcome: PostWakeOutcome): { back: string[]; notBack: string[] } {
  return {
    back: outcome.guests.filter((g) => g.result !== 'failed').map((g) => g.label),
    notBack: outcome.guests.filter((g) => g.result === 'failed').map((g) => g.label),
  };
}

export async function executePostWake(
  plan: PostWakePlan,
  ctx: SequenceContext,
  tracker: RunTracker,
  options: { stampWake: boolean; alreadyStarted?: ReadonlySet<string> },
): Promise<PostWakeOutcome> {
  await prepare(plan, ctx, tracker, options.stampWake);
  const listed = plan.resume.length > 0 ? await listedPowers(ctx) : new Map<string, Power>();
  const guests = await mapLimit(plan.resume, plan.parallelism, (item) =>
    resumeOne(item, ctx, tracker, listed, options.alreadyStarted),
  );
  await syncClocks(
    ctx,
    plan.resume
      .map((item, i) => ({ item, outcome: guests[i] }))
      .filter(({ item, outcome }) => item.syncClock && outcome.result === 'started'),
  );
  return {
    stamped: options.stampWake,
    guests,
    dropped: plan.drop.map((d) => ({ key: d.key, why: d.why })),
  };
}

/** Stamp the wake (first, 1.x rule 27), drop the records no longer owed, note who comes back, WAKE_DELAY. */
async function prepare(plan: PostWakePlan, ctx: SequenceContext, tracker: RunTracker, stampWake: boolean) {
  const { log, clock } = ctx;
  if (stampWake) {
    await ctx.store.stampWake(clock.now());
    log.event('info', { kind: 'wake', detail: 'wake time stamped, idle timers cleared' });
  }
  for (const d of plan.drop) {
    await ctx.records.set(d.key, null);
    if (d.why.startsWith('RESUME_ON_WAKE')) log.info(`${d.key}: ${d.why}`);
  }
  await tracker.update((r) => {
    r.phase = 'post-wake';
    r.resuming = plan.resume.map((i) => i.key);
  });
  if (plan.resume.length > 0 && plan.wakeDelayS > 0) {
    const done = ctx.progress.wait(
      'host',
      'WAKE_DELAY before starting guests',
      clock.now() + plan.wakeDelayS * 1000,
    );
    await sleep(clock, plan.wakeDelayS * 1000);
    done();
  }
}

/**
 * One listing for every guest (a `pvesh` call costs a Perl start on a real host); each guest is read on its
 * own only when the listing does not have it.
 */
async function listedPowers(ctx: SequenceContext): Promise<Map<string, Power>> {
  const listed = new Map<string, Power>();
  try {
    for (const g of await ctx.proxmox.listGuests())
      listed.set(recordKey(g.kind, g.id), g.power === 'running' ? 'running' : 'stopped');
  } catch {
    // read one by one
  }
  return listed;
}

async function resumeOne(
  item: ResumeItem,
  ctx: SequenceContext,
  tracker: RunTracker,
  listed: ReadonlyMap<string, Power>,
  alreadyStarted: ReadonlySet<string> | undefined,
): Promise<ResumeOutcome> {
  const label = guestLabel(item.kind, item.id, item.name);
  const ref: GuestRef = { kind: item.kind, id: item.id };
  const outcome = (result: ResumeResult, detail: string): ResumeOutcome => {
    ctx.log.event(result === 'failed' ? 'error' : 'info', {
      kind: 'guest-action',
      guest: label,
      action: 'start',
      outcome: result === 'failed' ? 'failed' : 'done',
      detail,
    });
    return { key: item.key, label, result, detail, clock: null };
  };
  /** The guest is back (or was never gone): its record is removed, so it is never started twice. */
  const back = async (result: ResumeResult, detail: string) => {
    await ctx.records.set(item.key, null);
    return outcome(result, detail);
  };
  if ((listed.get(item.key) ?? (await readPower(ctx.proxmox, ref))) === 'running') {
    if (alreadyStarted?.has(item.key)) return back('started', 'started before the interruption');
    const late = await waitForStop(
      ref,
      label,
      'a late hibernation or shutdown to finish',
      item.lateStopWaitS,
      watchDepsOf(ctx),
    );
    if (!late.stopped)
      return back(
        'was running',
        `it was running already (still after ${item.lateStopWaitS} s: assumed fine)`,
      );
  }
  await tracker.update((r) => {
    if (!r.started.includes(item.key)) r.started.push(item.key);
  });
  try {
    await ctx.proxmox.start(ref, { callTimeoutMs: callTimeouts(ctx.config.global).startMs });
  } catch (e) {
    const why = sanitizeForLog(oneLine(errorMessage(e)), 300);
    if ((await readPower(ctx.proxmox, ref)) === 'running')
      return back('started', `start reported "${why}", but it runs`);
    return outcome('failed', `${why}; kept for \`proxmox-sleep resume\``);
  }
  return back('started', item.recorded === 'hibernated' ? 'resumed from its hibernation' : 'started');
}

/** VMs back from their own hibernation get their clock synced; best effort. */
async function syncClocks(ctx: SequenceContext, started: { item: ResumeItem; outcome: ResumeOutcome }[]) {
  await Promise.all(
    started.map(async ({ item, outcome }) => {
      const r = await syncGuestClock(item.id, {
        agent: ctx.agent,
        clock: ctx.clock,
        osCache: ctx.osCache,
        waitS: item.clockSyncWaitS,
      });
      outcome.clock = r.detail;
      ctx.log.event(r.ok ? 'info' : 'warn', {
        kind: 'guest-action',
        guest: outcome.label,
        action: 'clock sync',
        outcome: r.ok ? 'done' : 'failed',
        detail: r.detail,
      });
    }),
  );
}
