/**
 * `tick` (once sleep is due) and `sleep-now`: pre-sleep, `systemctl suspend`, wait for the wake, post-wake.
 * The guards (guards.ts) may keep the host awake before any guest is touched, or after they were put away;
 * then what this run stopped is started again.
 */
import type { PostWakeOutcome } from '../execute-post';
import type { PreSleepOutcome } from '../execute-pre';
import type { RunTracker, SequenceContext } from '../context';
import { BEFORE_PRE_SLEEP, BEFORE_SUSPEND, firstVeto } from '../guards';
import { lockOrBusy, underLock, type Busy } from '../lock';
import { bringBackStopped, bringEveryoneBack, preSleep, recoverUnderLock } from '../phases';
import { finishRun, runState, startRun } from '../runs';
import { suspendHost, type SuspendResult } from '../suspend';

export interface CycleResult {
  kind: 'cycle';
  slept: boolean;
  preSleep: PreSleepOutcome;
  /** Set when the sleep was called off: what was started again. */
  restarted: PostWakeOutcome | null;
  suspend: SuspendResult | null;
  postWake: PostWakeOutcome | null;
  detail: string;
}

export async function sleepCycle(
  ctx: SequenceContext,
  command: 'tick' | 'sleep-now',
): Promise<CycleResult | Busy> {
  return underLock(await lockOrBusy(ctx, command, 0), async (): Promise<CycleResult | Busy> => {
    const state = await runState(ctx);
    const veto = await firstVeto(BEFORE_PRE_SLEEP, ctx, state);
    if (veto) return { kind: 'busy', detail: veto };
    await recoverUnderLock(ctx, state);
    const tracker = await startRun(ctx, command, 'pre-sleep');
    const put = await preSleep(ctx, tracker, true);
    const calledOff = await firstVeto(BEFORE_SUSPEND, ctx, put.outcome);
    if (calledOff) return callOff(ctx, tracker, put, calledOff);
    const suspend = await suspendHost(ctx, tracker);
    if (suspend.slept) ctx.log.event('info', { kind: 'wake', detail: suspend.detail });
    else ctx.log.event('error', { kind: 'sleep', phase: 'did not sleep', detail: suspend.detail });
    // After a real sleep: the full post-wake (1.x). Without one: only what this run stopped comes back.
    const postWake = suspend.slept
      ? await bringEveryoneBack(ctx, tracker, { stampWake: true })
      : await bringBackStopped(ctx, tracker);
    const detail = suspend.slept ? `slept and woke: ${suspend.detail}` : `did not sleep: ${suspend.detail}`;
    await finishRun(ctx, tracker, detail);
    return {
      kind: 'cycle',
      slept: suspend.slept,
      preSleep: put.outcome,
      restarted: null,
      suspend,
      postWake,
      detail,
    };
  });
}

async function callOff(
  ctx: SequenceContext,
  tracker: RunTracker,
  put: { outcome: PreSleepOutcome; restarted: PostWakeOutcome | null },
  why: string,
): Promise<CycleResult> {
  const restarted = put.restarted ?? (await bringBackStopped(ctx, tracker));
  const detail = `sleep called off: ${why}`;
  await finishRun(ctx, tracker, detail);
  return {
    kind: 'cycle',
    slept: false,
    preSleep: put.outcome,
    restarted,
    suspend: null,
    postWake: null,
    detail,
  };
}
