/**
 * The sleep hook's ExecStop and `post-wake`: stamp the wake and bring every recorded guest back, taking over
 * an unfinished run. When this tool's own sequence owns the suspend (or already handled this wake), the hook
 * only takes note.
 */
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
import { bringBackAsCommand, type PostWakeResult } from '../phases';
import { runState } from '../runs';

export async function postWake(
  ctx: SequenceContext,
  options: { hook: boolean },
): Promise<PostWakeResult | NotedResult | Busy> {
  const lock = await lockOrBusy(
    ctx,
    'post-wake',
    options.hook ? HOOK_LOCK_WAIT_S : COMMAND_LOCK_WAIT_S,
    options.hook
      ? noteHookFor(ctx, 'post', (h) => `${holderText(h)} brings the guests back itself`)
      : undefined,
  );
  return underLock(lock, async (): Promise<PostWakeResult | NotedResult> => {
    if (options.hook) {
      const handled = await wakeAlreadyHandled(ctx);
      if (handled) return handled;
    }
    const state = await runState(ctx);
    ctx.log.event('info', { kind: 'wake', detail: 'post-wake started' });
    const postWake = await bringBackAsCommand(ctx, state, 'post-wake', true);
    const recovered =
      state.kind === 'interrupted'
        ? state.why
        : state.kind === 'woke'
          ? `${state.record.command} left its post-wake undone`
          : null;
    return { kind: 'post-wake', postWake, recovered };
  });
}

/** The hook's post-wake for a wake the run that noted this suspend's pre-sleep has already handled. */
async function wakeAlreadyHandled(ctx: SequenceContext): Promise<NotedResult | null> {
  const { record } = await ctx.runs.load();
  if (record?.phase !== 'done') return null;
  const events = await ctx.runs.loadHookEvents();
  if (events.pre?.runId !== record.runId || (record.finishedAt ?? 0) < events.pre.at) return null;
  return {
    kind: 'noted',
    detail: `this wake was already handled by ${record.command} (${record.outcome ?? 'done'})`,
  };
}
