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
import { mapLimit } from '../observe/map-limit';
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

export async function executePostWake(
  plan: PostWakePlan,
  ctx: SequenceContext,
  tracker: RunTracker,
  options: { stampWake: boolean; alreadyStarted?: ReadonlySet<string> },
): Promise<PostWakeOutcome> {
  const { log, clock, records } = ctx;
  const t = callTimeouts(ctx.config.global);
  const watch = watchDepsOf(ctx);
  if (options.stampWake) {
    const now = clock.now();
    await ctx.store.stampWake(now);
    log.event('info', { kind: 'wake', detail: 'wake time stamped, idle timers cleared' });
  }
  for (const d of plan.drop) {
    await records.set(d.key, null);
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

  // One listing for every guest (a `pvesh` call costs a Perl start on a real host); each guest is read on
  // its own only when the listing does not have it.
  const listed = new Map<string, Power>();
  if (plan.resume.length > 0)
    try {
      for (const g of await ctx.proxmox.listGuests())
        listed.set(recordKey(g.kind, g.id), g.power === 'running' ? 'running' : 'stopped');
    } catch {
      // read one by one below
    }

  const resumeOne = async (item: ResumeItem): Promise<ResumeOutcome> => {
    const label = guestLabel(item.kind, item.id, item.name);
    const ref: GuestRef = { kind: item.kind, id: item.id };
    const outcome = (result: ResumeResult, detail: string): ResumeOutcome => {
      log.event(result === 'failed' ? 'error' : 'info', {
        kind: 'guest-action',
        guest: label,
        action: 'start',
        outcome: result === 'failed' ? 'failed' : 'done',
        detail,
      });
      return { key: item.key, label, result, detail, clock: null };
    };
    const power = listed.get(item.key) ?? (await readPower(ctx.proxmox, ref));
    if (power === 'running') {
      if (options.alreadyStarted?.has(item.key)) {
        await records.set(item.key, null);
        return outcome('started', 'started before the interruption');
      }
      const late = await waitForStop(
        ref,
        label,
        'a late hibernation or shutdown to finish',
        item.lateStopWaitS,
        watch,
      );
      if (!late.stopped) {
        await records.set(item.key, null);
        return outcome(
          'was running',
          `it was running already (still after ${item.lateStopWaitS} s: assumed fine)`,
        );
      }
    }
    await tracker.update((r) => {
      if (!r.started.includes(item.key)) r.started.push(item.key);
    });
    try {
      await ctx.proxmox.start(ref, { callTimeoutMs: t.startMs });
    } catch (e) {
      const why = sanitizeForLog(oneLine(errorMessage(e)), 300);
      if ((await readPower(ctx.proxmox, ref)) === 'running') {
        await records.set(item.key, null);
        return outcome('started', `start reported "${why}", but it runs`);
      }
      return outcome('failed', `${why}; kept for \`proxmox-sleep resume\``);
    }
    await records.set(item.key, null);
    return outcome('started', item.recorded === 'hibernated' ? 'resumed from its hibernation' : 'started');
  };

  const guests = await mapLimit(plan.resume, plan.parallelism, resumeOne);
  const syncs = plan.resume
    .map((item, i) => ({ item, outcome: guests[i] }))
    .filter(({ item, outcome }) => item.syncClock && outcome.result === 'started');
  await Promise.all(
    syncs.map(async ({ item, outcome }) => {
      const r = await syncGuestClock(item.id, {
        agent: ctx.agent,
        clock,
        osCache: ctx.osCache,
        waitS: item.clockSyncWaitS,
      });
      outcome.clock = r.detail;
      log.event(r.ok ? 'info' : 'warn', {
        kind: 'guest-action',
        guest: outcome.label,
        action: 'clock sync',
        outcome: r.ok ? 'done' : 'failed',
        detail: r.detail,
      });
    }),
  );
  return {
    stamped: options.stampWake,
    guests,
    dropped: plan.drop.map((d) => ({ key: d.key, why: d.why })),
  };
}
