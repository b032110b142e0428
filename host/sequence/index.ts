/**
 * The sleep sequence's one entry point. `createSequence(ctx)` gives every operation, each under the sequence
 * lock and a run record (operations/):
 *
 *   sleepCycle   tick / sleep-now: pre-sleep, `systemctl suspend`, wait for the wake, post-wake
 *   hookPreSleep the sleep hook's ExecStart (a suspend someone else started); `pre-sleep`
 *   postWake     the sleep hook's ExecStop; `post-wake`
 *   hibernate    pre-sleep without suspending the host
 *   resume       start every guest still owed a resume
 *   recover      tick and daemon start: finish what an interrupted sequence left behind
 *   tick         what `tick` hands over to once sleep is due: warning, recheck, sleepCycle
 *
 * and the plans `--dry-run` prints. The wiring builds the context (adapters, stores, progress display).
 */
import type { SequenceContext } from './context';
import { hibernate } from './operations/hibernate';
import { hookPreSleep } from './operations/hook-pre-sleep';
import { postWake } from './operations/post-wake';
import { recover } from './operations/recover';
import { resume } from './operations/resume';
import { sleepCycle } from './operations/sleep-cycle';
import { tickSleep, type SleepSequence } from './operations/tick-sleep';
import { postWakePlan, preSleepPlan, sleepNowPlan } from './planning';

export function createSequence(ctx: SequenceContext) {
  return {
    preSleepPlan: () => preSleepPlan(ctx),
    postWakePlan: (scope: 'all' | ReadonlySet<string>, wakeDelay: boolean) =>
      postWakePlan(ctx, scope, wakeDelay),
    sleepNowPlan: () => sleepNowPlan(ctx),
    sleepCycle: (command: 'tick' | 'sleep-now') => sleepCycle(ctx, command),
    hookPreSleep: (options: { hook: boolean }) => hookPreSleep(ctx, options),
    postWake: (options: { hook: boolean }) => postWake(ctx, options),
    hibernate: () => hibernate(ctx),
    resume: () => resume(ctx),
    recover: () => recover(ctx),
  };
}

export type Sequence = ReturnType<typeof createSequence>;
/** Builds what `tick` hands over to (tests replace it with a recorder). */
export type SequenceFactory = (ctx: SequenceContext) => SleepSequence;

export type { SequenceContext } from './context';
export type { CycleResult } from './operations/sleep-cycle';
export type { PreSleepResult } from './operations/hook-pre-sleep';
export type { SleepOutcome, SleepRequest, SleepSequence } from './operations/tick-sleep';
export type { Busy, NotedResult } from './lock';
export type { PostWakeResult } from './phases';
export { backAndNot, postWakeSucceeded, type PostWakeOutcome } from './execute-post';
export { describeStep, preSleepSucceeded, type PreSleepOutcome } from './execute-pre';
export type { GuestPlan, PostWakePlan, PreSleepPlan, Step } from './plan';
export { logProgress, silentProgress, terminalProgress, type Progress } from './progress';
export { linuxSystem, type SystemProbe } from './system';
export { readSleepSummary, type SleepSummary } from './summary';
export { tickSleep };
