/** `resume`: start every guest still owed a resume; also finishes a run that was interrupted. No wake stamp. */
import type { SequenceContext } from '../context';
import { COMMAND_LOCK_WAIT_S, lockOrBusy, underLock, type Busy } from '../lock';
import { bringBackAsCommand, type PostWakeResult } from '../phases';
import { runState } from '../runs';

export async function resume(ctx: SequenceContext): Promise<PostWakeResult | Busy> {
  return underLock(
    await lockOrBusy(ctx, 'resume', COMMAND_LOCK_WAIT_S),
    async (): Promise<PostWakeResult> => {
      const state = await runState(ctx);
      const postWake = await bringBackAsCommand(ctx, state, 'resume', false);
      return { kind: 'post-wake', postWake, recovered: state.kind === 'interrupted' ? state.why : null };
    },
  );
}
