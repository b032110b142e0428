/**
 * The halves every operation is made of, each under a run record: putting the guests away (pre-sleep) and
 * bringing them back (post-wake), and taking over what an interrupted run left behind.
 */
import type { RunTracker, SequenceContext } from './context';
import { backAndNot, executePostWake, type PostWakeOutcome } from './execute-post';
import { executePreSleep, type PreSleepOutcome } from './execute-pre';
import type { NotedResult } from './lock';
import { postWakePlan, preSleepPlan } from './planning';
import { owedBy, type RunState } from './recovery';
import { continueOrStart, finishRun, takeOverRun } from './runs';

export interface PostWakeResult {
  kind: 'post-wake';
  postWake: PostWakeOutcome;
  /** Why this post-wake took over an earlier run, if it did. */
  recovered: string | null;
}

export type { NotedResult };

/** Pre-sleep under a run record; an abort (ON_FAILURE=abort) starts again what this run stopped. */
export async function preSleep(
  ctx: SequenceContext,
  tracker: RunTracker,
  honourAbort: boolean,
): Promise<{ outcome: PreSleepOutcome; restarted: PostWakeOutcome | null }> {
  ctx.log.event('info', { kind: 'sleep', phase: 'pre-sleep started', detail: tracker.record.command });
  const outcome = await executePreSleep(await preSleepPlan(ctx), ctx, tracker, { honourAbort });
  if (!outcome.abortedBy) return { outcome, restarted: null };
  ctx.log.event('warn', {
    kind: 'sleep',
    phase: 'called off',
    detail: `${outcome.abortedBy.label} could not be put to sleep (ON_FAILURE=abort): ${outcome.abortedBy.why}`,
  });
  return { outcome, restarted: await bringBackStopped(ctx, tracker) };
}

/** Starts the guests of `keys` that are still recorded as stopped, without a wake stamp or delay. */
export async function bringBack(
  ctx: SequenceContext,
  tracker: RunTracker,
  keys: ReadonlySet<string>,
  alreadyStarted?: ReadonlySet<string>,
): Promise<PostWakeOutcome> {
  return executePostWake(await postWakePlan(ctx, keys, false), ctx, tracker, {
    stampWake: false,
    alreadyStarted,
  });
}

/** Starts again what this run stopped (a sleep that was called off or did not happen). */
export const bringBackStopped = (ctx: SequenceContext, tracker: RunTracker) =>
  bringBack(ctx, tracker, new Set(Object.keys(tracker.record.stopped)));

/**
 * The post-wake after a sleep: stamp the wake, WAKE_DELAY, every recorded guest (1.x), or, without
 * `stampWake` (`resume`), only the start of every recorded guest.
 */
export async function bringEveryoneBack(
  ctx: SequenceContext,
  tracker: RunTracker,
  options: { stampWake: boolean; alreadyStarted?: ReadonlySet<string> },
): Promise<PostWakeOutcome> {
  return executePostWake(await postWakePlan(ctx, 'all', options.stampWake), ctx, tracker, options);
}

/**
 * `post-wake` and `resume`: every recorded guest back, carrying on the last run if it is unfinished (a guest
 * its post-wake already started is not started again).
 */
export async function bringBackAsCommand(
  ctx: SequenceContext,
  state: RunState,
  command: 'post-wake' | 'resume',
  stampWake: boolean,
): Promise<PostWakeOutcome> {
  const unfinished = state.kind !== 'none' ? state.record : null;
  const tracker = await continueOrStart(ctx, unfinished, command, 'post-wake');
  const postWake = await bringEveryoneBack(ctx, tracker, {
    stampWake,
    alreadyStarted: new Set(unfinished?.phase === 'post-wake' ? unfinished.started : []),
  });
  await finishRun(ctx, tracker, `${command} done`);
  return postWake;
}

/** Takes over an interrupted or unfinished run and brings back what it owes. Lock held by the caller. */
export async function recoverUnderLock(
  ctx: SequenceContext,
  state: RunState,
): Promise<PostWakeResult | null> {
  if (state.kind === 'woke') {
    ctx.log.event('info', {
      kind: 'wake',
      detail: `the host slept during ${state.record.command}, and no post-wake ran: running it now`,
    });
    const tracker = await takeOverRun(ctx, state.record, 'post-wake');
    const postWake = await bringEveryoneBack(ctx, tracker, {
      stampWake: true,
      alreadyStarted: new Set(state.record.started),
    });
    await finishRun(ctx, tracker, 'post-wake done by a later process');
    return { kind: 'post-wake', postWake, recovered: `${state.record.command} left its post-wake undone` };
  }
  if (state.kind !== 'interrupted') return null;
  ctx.log.event('warn', { kind: 'sleep', phase: 'recovering', detail: state.why });
  const tracker = await takeOverRun(ctx, state.record, 'post-wake');
  const postWake = await bringBack(ctx, tracker, owedBy(state.record), new Set(state.record.started));
  await finishRun(ctx, tracker, `recovered: ${state.why}`);
  return { kind: 'post-wake', postWake, recovered: state.why };
}

/** One line for the log: what a recovery did. */
export function describeRecovery(result: PostWakeResult): string {
  const { back, notBack } = backAndNot(result.postWake);
  return `${result.recovered ?? 'recovered'}: ${back.length ? `back: ${back.join(', ')}` : 'nothing to start'}${notBack.length ? `; not back: ${notBack.join(', ')}` : ''}`;
}
