/**
 * Suspending the host with `systemctl suspend` (found on PATH) and knowing when it has woken. systemd's
 * `systemctl suspend` returns as soon as the suspend job is queued, before the host sleeps, so the return
 * alone says nothing about the wake. The wake is known when either the kernel's suspended-time counter has
 * grown (CLOCK_BOOTTIME − CLOCK_MONOTONIC), or the sleep hook unit's post-wake, run by systemd after resume,
 * has noted the wake for this run. Until then this waits (bounded); without either, no wake is stamped
 * (1.x rule 29: the wake time only after a suspend that actually happened).
 */
import { sleep } from '../../common/clock';
import { describeFailure } from '../../common/errors';
import { commandMissing } from '../../common/shell';
import { duration } from '../policy';
import type { SuspendMark } from '../state';
import { oneLine, type RunTracker, type SequenceContext } from './context';
import { sleptSince } from './recovery';

/** How long, in awake time, a suspend may take to show after `systemctl suspend` returned. */
export const SUSPEND_EVIDENCE_WAIT_S = 300;

export interface SuspendResult {
  attempted: boolean;
  slept: boolean;
  detail: string;
}

/**
 * Work done right before `systemctl suspend`, in this order, each with a chance to act after the wake (issue
 * 13 adds arming the RTC and Wake-on-LAN here). The first records where the suspend starts, so any process
 * can tell afterwards whether the host slept.
 */
export interface AroundSuspend {
  name: string;
  before(ctx: SequenceContext, tracker: RunTracker): Promise<void>;
  after?(ctx: SequenceContext, tracker: RunTracker, result: SuspendResult): Promise<void>;
}

export const recordSuspendMark: AroundSuspend = {
  name: 'suspend mark',
  async before(ctx, tracker) {
    const mark: SuspendMark = {
      requestedAt: ctx.clock.now(),
      monotonicMs: ctx.system.monotonicMs(),
      suspendedTotalS: await ctx.system.suspendedTotalS(),
    };
    await tracker.update((r) => {
      r.phase = 'suspend';
      r.suspend = mark;
    });
  },
};

export const AROUND_SUSPEND: readonly AroundSuspend[] = [recordSuspendMark];

export async function suspendHost(ctx: SequenceContext, tracker: RunTracker): Promise<SuspendResult> {
  for (const step of AROUND_SUSPEND) await step.before(ctx, tracker);
  const result = await requestSuspendAndWait(ctx, tracker);
  for (const step of [...AROUND_SUSPEND].reverse()) await step.after?.(ctx, tracker, result);
  return result;
}

async function requestSuspendAndWait(ctx: SequenceContext, tracker: RunTracker): Promise<SuspendResult> {
  ctx.log.event('info', { kind: 'sleep', phase: 'suspending the host', detail: 'systemctl suspend' });
  const result = await ctx.run('systemctl', ['suspend'], { timeoutMs: 60000 });
  if (commandMissing(result))
    return {
      attempted: false,
      slept: false,
      detail: 'systemctl is not on PATH: the host cannot be suspended',
    };
  if (result.exitCode !== 0 || result.timedOut)
    return {
      attempted: true,
      slept: false,
      detail: `systemctl suspend failed: ${oneLine(describeFailure(result))}`,
    };
  return waitForWake(ctx, tracker);
}

/** Until the kernel's suspended time grew or the sleep hook saw the wake; bounded by SUSPEND_EVIDENCE_WAIT_S. */
async function waitForWake(ctx: SequenceContext, tracker: RunTracker): Promise<SuspendResult> {
  const { clock } = ctx;
  const requestedAt = tracker.record.suspend?.requestedAt ?? clock.now();
  const deadline = clock.now() + SUSPEND_EVIDENCE_WAIT_S * 1000;
  const done = ctx.progress.wait('host', 'the suspend and the wake', deadline);
  try {
    for (;;) {
      const slept = sleptSince(tracker.record, await ctx.system.suspendedTotalS());
      if (slept !== null)
        return { attempted: true, slept: true, detail: `the host slept ${duration(slept)}` };
      const hook = await ctx.runs.loadHookEvents();
      if (hook.post && hook.post.runId === tracker.record.runId && hook.post.at >= requestedAt) {
        const asleep =
          hook.pre && hook.pre.runId === tracker.record.runId ? (hook.post.at - hook.pre.at) / 1000 : null;
        return {
          attempted: true,
          slept: true,
          detail: `the sleep hook saw the host wake${asleep !== null ? ` (about ${duration(asleep)} after it went to sleep)` : ''}`,
        };
      }
      if (clock.now() >= deadline)
        return {
          attempted: true,
          slept: false,
          detail: `systemctl suspend returned, but the host showed no sign of sleeping within ${SUSPEND_EVIDENCE_WAIT_S} s`,
        };
      await sleep(clock, Math.min(1000, Math.max(0, deadline - clock.now())));
    }
  } finally {
    done();
  }
}
