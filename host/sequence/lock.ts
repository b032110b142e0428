/**
 * The sequence lock: one sleep sequence at a time. A command waits a bounded time for another to finish;
 * the sleep hook, run by systemd around a suspend this tool itself started, only takes note for that run
 * (sleep-hook.json) and leaves the work to it, so a guest is never stopped or started twice.
 */
import { sleep } from '../../common/clock';
import { tryAcquireLock, type LockHolder, type SequenceLock } from '../state';
import type { SequenceContext } from './context';

/** How long the sleep hook waits for another sequence (a `resume`, a manual `hibernate`) to finish. */
export const HOOK_LOCK_WAIT_S = 600;
/** How long a command run by hand waits for another sequence before giving up. */
export const COMMAND_LOCK_WAIT_S = 30;

export type Busy = { kind: 'busy'; detail: string };

/** The hook's pre-sleep / post-wake for a suspend owned by a live sequence: only noted. */
export interface NotedResult {
  kind: 'noted';
  detail: string;
}

export function holderText(holder: LockHolder): string {
  return `${holder.command} (pid ${holder.pid})`;
}

/**
 * Waits up to `waitS` for the sequence lock. `whileHeld` may settle the call without the lock (the sleep hook
 * noting that the holder is the suspend it belongs to); otherwise a holder that outlasts the wait is `busy`.
 */
export async function lockOrBusy<T = never>(
  ctx: SequenceContext,
  command: string,
  waitS: number,
  whileHeld?: (heldBy: LockHolder) => Promise<T | null>,
): Promise<SequenceLock | Busy | T> {
  const { clock } = ctx;
  const deadline = clock.now() + waitS * 1000;
  let told = false;
  for (;;) {
    const attempt = await tryAcquireLock(ctx.config.stateDir, command, clock.now());
    if ('acquired' in attempt) return attempt.acquired;
    const settled = whileHeld ? await whileHeld(attempt.heldBy) : null;
    if (settled !== null) return settled;
    if (clock.now() >= deadline)
      return { kind: 'busy', detail: `another sleep sequence is running: ${holderText(attempt.heldBy)}` };
    if (!told) ctx.log.info(`waiting for the sleep sequence of ${holderText(attempt.heldBy)} to finish`);
    told = true;
    await sleep(clock, 1000);
  }
}

/** The sleep hook's half when this tool itself holds the suspend: note it for that run, do nothing else. */
export const noteHookFor =
  (ctx: SequenceContext, half: 'pre' | 'post', detail: (heldBy: LockHolder) => string) =>
  async (heldBy: LockHolder): Promise<NotedResult | null> => {
    const { record } = await ctx.runs.load();
    if (!record || record.phase !== 'suspend' || record.owner.pid !== heldBy.pid) return null;
    const events = await ctx.runs.loadHookEvents();
    await ctx.runs.saveHookEvents({
      ...events,
      [half]: { at: ctx.clock.now(), pid: process.pid, runId: record.runId },
    });
    return { kind: 'noted', detail: detail(heldBy) };
  };

/** Runs `body` under the lock, or returns what settled the wait (busy, or the hook's note). */
export async function underLock<R, T = never>(
  lock: SequenceLock | Busy | T,
  body: () => Promise<R>,
): Promise<R | Busy | T> {
  if (!isLock(lock)) return lock;
  try {
    return await body();
  } finally {
    await lock.release();
  }
}

function isLock<T>(lock: SequenceLock | Busy | T): lock is SequenceLock {
  return typeof lock === 'object' && lock !== null && 'release' in lock;
}
