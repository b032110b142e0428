/** `hibernate`: pre-sleep without suspending the host; the guests stay recorded for `resume`. */
import type { SequenceContext } from '../context';
import { COMMAND_LOCK_WAIT_S, lockOrBusy, underLock, type Busy } from '../lock';
import { preSleep } from '../phases';
import { finishRun, startRun } from '../runs';
import type { PreSleepResult } from './hook-pre-sleep';

export async function hibernate(ctx: SequenceContext): Promise<PreSleepResult | Busy> {
  return underLock(
    await lockOrBusy(ctx, 'hibernate', COMMAND_LOCK_WAIT_S),
    async (): Promise<PreSleepResult> => {
      const tracker = await startRun(ctx, 'hibernate', 'pre-sleep');
      const { outcome, restarted } = await preSleep(ctx, tracker, true);
      await finishRun(
        ctx,
        tracker,
        outcome.abortedBy
          ? `called off: ${outcome.abortedBy.label} failed`
          : 'guests put to sleep; the host stays on',
      );
      return { kind: 'pre-sleep', preSleep: outcome, restarted };
    },
  );
}
