/**
 * The sleep hook's ExecStart (a suspend someone else started) and `pre-sleep`: put the guests away and
 * leave the run waiting for the suspend; `post-wake` brings them back. When this tool's own sequence owns
 * the suspend, the hook only takes note.
 */
import type { PostWakeOutcome } from '../execute-post';
import type { PreSleepOutcome } from '../execute-pre';
import type { SequenceContext } from '../context';
import {
  COMMAND_LOCK_WAIT_S,
  HOOK_LOCK_WAIT_S,
  holderText,
  lockOrBusy,
  noteHookFor,
  underLock,
  type Busy,
  type NotedResult,
} from '../lock';
import { preSleep } from '../phases';
import { startRun } from '../runs';
import { recordSuspendMark } from '../suspend';

export interface PreSleepResult {
  kind: 'pre-sleep';
  preSleep: PreSleepOutcome;
  restarted: PostWakeOutcome | null;
}

export async function hookPreSleep(
  ctx: SequenceContext,
  options: { hook: boolean },
): Promise<PreSleepResult | NotedResult | Busy> {
  const lock = await lockOrBusy(
    ctx,
    'pre-sleep',
    options.hook ? HOOK_LOCK_WAIT_S : COMMAND_LOCK_WAIT_S,
    options.hook
      ? noteHookFor(ctx, 'pre', (h) => `the guests were put to sleep by ${holderText(h)}`)
      : undefined,
  );
  return underLock(lock, async (): Promise<PreSleepResult> => {
    const tracker = await startRun(ctx, 'pre-sleep', 'pre-sleep');
    if (options.hook)
      await ctx.runs.saveHookEvents({
        pre: { at: ctx.clock.now(), pid: process.pid, runId: tracker.record.runId },
        post: null,
      });
    // A suspend someone else started cannot be stopped from here: ON_FAILURE=abort only spares the failing guest a forced stop.
    const { outcome } = await preSleep(ctx, tracker, false);
    await recordSuspendMark.before(ctx, tracker);
    ctx.log.event('info', {
      kind: 'sleep',
      phase: 'pre-sleep done',
      detail: 'waiting for the suspend; post-wake brings the guests back',
    });
    return { kind: 'pre-sleep', preSleep: outcome, restarted: null };
  });
}
