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

export async function suspendMark(ctx: SequenceContext): Promise<SuspendMark> {
  return {
    requestedAt: ctx.clock.now(),
    monotonicMs: ctx.system.monotonicMs(),
    suspendedTotalS: await ctx.system.suspendedTotalS(),
  };
}

export async function suspendHost(ctx: SequenceContext, tracker: RunTracker): Promise<SuspendResult> {
  const { clock, log } = ctx;
  const mark = await suspendMark(ctx);
  await tracker.update((r) => {
    r.phase = 'suspend';
    r.suspend = mark;
  });
  log.event('info', { kind: 'sleep', phase: 'suspending the host', detail: 'systemctl suspend' });
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

  const deadline = clock.now() + SUSPEND_EVIDENCE_WAIT_S * 1000;
  const done = ctx.progress.wait('host', 'the suspend and the wake', deadline);
  try {
    for (;;) {
      const slept = sleptSince(tracker.record, await ctx.system.suspendedTotalS());
      if (slept !== null)
        return { attempted: true, slept: true, detail: `the host slept ${duration(slept)}` };
      const hook = await ctx.runs.loadHookEvents();
      if (hook.post && hook.post.runId === tracker.record.runId && hook.post.at >= mark.requestedAt) {
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
