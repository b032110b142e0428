/**
 * Reasons the host must not be suspended, checked at two points of a sleep cycle (`tick`, `sleep-now`):
 *
 * - before any guest is touched, under the sequence lock: another sequence still waiting for its wake
 *   (issue 15 adds the cluster's quorum and lock here);
 * - after the guests were put away, before the suspend: a guest that failed with ON_FAILURE=abort (issue 14
 *   adds a passthrough VM still running here). A veto there starts again what this run stopped.
 *
 * A guard returns why the host stays awake, or null.
 */
import type { SequenceContext } from './context';
import type { PreSleepOutcome } from './execute-pre';
import type { RunState } from './recovery';

type Veto = string | null;
export type BeforePreSleepGuard = (ctx: SequenceContext, state: RunState) => Promise<Veto> | Veto;
export type BeforeSuspendGuard = (ctx: SequenceContext, preSleep: PreSleepOutcome) => Promise<Veto> | Veto;

const anotherSequencePending: BeforePreSleepGuard = (_ctx, state) =>
  state.kind === 'awaiting-wake' || state.kind === 'active'
    ? `the ${state.record.command} sequence (pid ${state.record.owner.pid}) is waiting for the host to sleep and wake`
    : null;

const guestFailedWithAbort: BeforeSuspendGuard = (_ctx, preSleep) =>
  preSleep.abortedBy ? `${preSleep.abortedBy.label} failed (${preSleep.abortedBy.why})` : null;

export const BEFORE_PRE_SLEEP: readonly BeforePreSleepGuard[] = [anotherSequencePending];
export const BEFORE_SUSPEND: readonly BeforeSuspendGuard[] = [guestFailedWithAbort];

/** The first guard's veto, in order, or null when every guard lets the host sleep. */
export async function firstVeto<A>(
  guards: readonly ((ctx: SequenceContext, arg: A) => Promise<Veto> | Veto)[],
  ctx: SequenceContext,
  arg: A,
): Promise<Veto> {
  for (const guard of guards) {
    const veto = await guard(ctx, arg);
    if (veto !== null) return veto;
  }
  return null;
}
