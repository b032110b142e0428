/** Before each `tick`: finishes a sequence that was interrupted (or whose post-wake never ran). */
import { tryAcquireLock } from '../../state';
import type { SequenceContext } from '../context';
import { recoverUnderLock, type PostWakeResult } from '../phases';
import { runState } from '../runs';

/** Null when there was nothing to do, or another process holds the lock. */
export async function recover(ctx: SequenceContext): Promise<PostWakeResult | null> {
  const first = await runState(ctx);
  if (first.kind !== 'interrupted' && first.kind !== 'woke') return null;
  const attempt = await tryAcquireLock(ctx.config.stateDir, 'recovery', ctx.clock.now());
  if (!('acquired' in attempt)) return null;
  try {
    return await recoverUnderLock(ctx, await runState(ctx));
  } finally {
    await attempt.acquired.release();
  }
}
