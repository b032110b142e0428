/**
 * The sleep sequence's operations, each under the sequence lock and a run record:
 *
 *   sleepCycle   tick / sleep-now: pre-sleep, `systemctl suspend`, wait for the wake, post-wake
 *   hookPreSleep the sleep hook's ExecStart (a suspend someone else started); `pre-sleep`
 *   postWake     the sleep hook's ExecStop; `post-wake`
 *   hibernate    pre-sleep without suspending the host
 *   resume       start every guest still owed a resume
 *   recover      tick and daemon start: finish what an interrupted sequence left behind
 *
 * When a sequence this tool started owns the suspend, the hook's pre-sleep and post-wake only take note
 * (sleep-hook.json) and leave the work to the owner, so a guest is never stopped or started twice.
 */
import { randomUUID } from 'crypto';
import { sleep } from '../../common/clock';
import {
  recordKey,
  tryAcquireLock,
  type LockHolder,
  type RecordValue,
  type RunCommand,
  type RunRecord,
  type SequenceLock,
} from '../state';
import { mapLimit } from '../observe/map-limit';
import { RunTracker, type SequenceContext } from './context';
import { executePostWake, type PostWakeOutcome } from './execute-post';
import { executePreSleep, type PreSleepOutcome } from './execute-pre';
import { planPostWake, planPreSleep, type Power, type PostWakePlan, type PreSleepPlan } from './plan';
import { readPower } from './power-watch';
import { classifyRun, owedBy, type RunState } from './recovery';
import { suspendHost, suspendMark, type SuspendResult } from './suspend';

/** How long the sleep hook waits for another sequence (a `resume`, a manual `hibernate`) to finish. */
export const HOOK_LOCK_WAIT_S = 600;
/** How long a command run by hand waits for another sequence before giving up. */
export const COMMAND_LOCK_WAIT_S = 30;

export type Busy = { kind: 'busy'; detail: string };

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

export interface PreSleepResult {
  kind: 'pre-sleep';
  preSleep: PreSleepOutcome;
  restarted: PostWakeOutcome | null;
}

export interface PostWakeResult {
  kind: 'post-wake';
  postWake: PostWakeOutcome;
  /** Why this post-wake took over an earlier run, if it did. */
  recovered: string | null;
}

/** The hook's pre-sleep / post-wake for a suspend owned by a live sequence: only noted. */
export interface NotedResult {
  kind: 'noted';
  detail: string;
}

export function holderText(holder: LockHolder): string {
  return `${holder.command} (pid ${holder.pid})`;
}

export function createEngine(ctx: SequenceContext) {
  const { clock, log, config } = ctx;
  const dir = config.stateDir;

  const newRecord = async (command: RunCommand, phase: RunRecord['phase']): Promise<RunRecord> => {
    const now = clock.now();
    return {
      version: 1,
      runId: randomUUID(),
      command,
      owner: await ctx.system.me(),
      phase,
      startedAt: now,
      updatedAt: now,
      stopped: {},
      suspend: null,
      resuming: [],
      started: [],
      outcome: null,
      finishedAt: null,
    };
  };
  const start = async (command: RunCommand, phase: RunRecord['phase']): Promise<RunTracker> => {
    const tracker = new RunTracker(ctx.runs, await newRecord(command, phase), clock);
    await tracker.update(() => undefined);
    return tracker;
  };
  /** This process carries on an earlier run (same id, same journal). */
  const takeOver = async (record: RunRecord, phase: RunRecord['phase']): Promise<RunTracker> => {
    const tracker = new RunTracker(ctx.runs, { ...record, owner: await ctx.system.me(), phase }, clock);
    await tracker.update(() => undefined);
    return tracker;
  };
  const finish = (tracker: RunTracker, outcome: string) =>
    tracker.update((r) => {
      r.phase = 'done';
      r.outcome = outcome;
      r.finishedAt = clock.now();
    });

  const runState = async (): Promise<RunState> => {
    const loaded = await ctx.runs.load();
    if (loaded.problem) log.warn(loaded.problem);
    const record = loaded.record;
    const ownerAlive = record && record.phase !== 'done' ? await ctx.system.isRunning(record.owner) : false;
    return classifyRun(record, {
      ownerAlive,
      bootId: (await ctx.system.me()).bootId,
      monotonicMs: ctx.system.monotonicMs(),
      suspendedTotalS: await ctx.system.suspendedTotalS(),
    });
  };

  const loadRecords = async (): Promise<Map<string, RecordValue>> => {
    const parsed = await ctx.records.load();
    for (const p of parsed.problems) log.warn(p);
    return parsed.records;
  };

  /**
   * Each guest's power state read live (`…/status/current`), not from the cluster listing: pvestatd
   * refreshes that every 10 s, and a guest the user started or stopped a moment ago must not be recorded
   * wrongly (it would be left running through the sleep, or started after it without having been stopped).
   */
  const readPowers = async (): Promise<Map<string, Power>> => {
    const power = new Map<string, Power>();
    await mapLimit(config.guests, 4, async (g) => {
      power.set(recordKey(g.kind, g.id), await readPower(ctx.proxmox, { kind: g.kind, id: g.id }));
    });
    return power;
  };

  const preSleepPlan = async (): Promise<PreSleepPlan> =>
    planPreSleep({
      guests: config.guests,
      sleepParallelism: config.global.sleepParallelism,
      power: await readPowers(),
      records: await loadRecords(),
    });

  const postWakePlan = async (
    scope: 'all' | ReadonlySet<string>,
    wakeDelay: boolean,
  ): Promise<PostWakePlan> =>
    planPostWake({
      guests: config.guests,
      records: await loadRecords(),
      scope,
      wakeDelayS: wakeDelay ? config.global.wakeDelay : 0,
      sleepParallelism: config.global.sleepParallelism,
    });

  /** Pre-sleep under a run record; an abort starts again what this run stopped. */
  const preSleep = async (
    tracker: RunTracker,
    honourAbort: boolean,
  ): Promise<{ outcome: PreSleepOutcome; restarted: PostWakeOutcome | null }> => {
    log.event('info', { kind: 'sleep', phase: 'pre-sleep started', detail: tracker.record.command });
    const plan = await preSleepPlan();
    const outcome = await executePreSleep(plan, ctx, tracker, { honourAbort });
    if (!outcome.abortedBy) return { outcome, restarted: null };
    log.event('warn', {
      kind: 'sleep',
      phase: 'called off',
      detail: `${outcome.abortedBy.label} could not be put to sleep (ON_FAILURE=abort): ${outcome.abortedBy.why}`,
    });
    const restarted = await bringBack(tracker, new Set(Object.keys(tracker.record.stopped)));
    return { outcome, restarted };
  };

  /** Starts the guests of `keys` that are still recorded as stopped, without a wake stamp or delay. */
  const bringBack = async (
    tracker: RunTracker,
    keys: ReadonlySet<string>,
    alreadyStarted?: ReadonlySet<string>,
  ) => executePostWake(await postWakePlan(keys, false), ctx, tracker, { stampWake: false, alreadyStarted });

  /**
   * Waits up to `waitS` for the sequence lock. `whileHeld` may settle the call without the lock (the sleep hook
   * noting that the holder is the suspend it belongs to); otherwise a holder that outlasts the wait is `busy`.
   */
  const lockOrBusy = async <T = never>(
    command: string,
    waitS: number,
    whileHeld?: (heldBy: LockHolder) => Promise<T | null>,
  ): Promise<SequenceLock | Busy | T> => {
    const deadline = clock.now() + waitS * 1000;
    let told = false;
    for (;;) {
      const attempt = await tryAcquireLock(dir, command, clock.now());
      if ('acquired' in attempt) return attempt.acquired;
      const settled = whileHeld ? await whileHeld(attempt.heldBy) : null;
      if (settled !== null) return settled;
      if (clock.now() >= deadline)
        return { kind: 'busy', detail: `another sleep sequence is running: ${holderText(attempt.heldBy)}` };
      if (!told) log.info(`waiting for the sleep sequence of ${holderText(attempt.heldBy)} to finish`);
      told = true;
      await sleep(clock, 1000);
    }
  };

  /** The sleep hook's half when this tool itself holds the suspend: note it for that run, do nothing else. */
  const noteHookFor =
    (half: 'pre' | 'post', detail: (heldBy: LockHolder) => string) =>
    async (heldBy: LockHolder): Promise<NotedResult | null> => {
      const { record } = await ctx.runs.load();
      if (!record || record.phase !== 'suspend' || record.owner.pid !== heldBy.pid) return null;
      const events = await ctx.runs.loadHookEvents();
      await ctx.runs.saveHookEvents({
        ...events,
        [half]: { at: clock.now(), pid: process.pid, runId: record.runId },
      });
      return { kind: 'noted', detail: detail(heldBy) };
    };

  /** Takes over an interrupted or unfinished run and brings back what it owes. Lock held by the caller. */
  const recoverUnderLock = async (state: RunState): Promise<PostWakeResult | null> => {
    if (state.kind === 'woke') {
      log.event('info', {
        kind: 'wake',
        detail: `the host slept during ${state.record.command}, and no post-wake ran: running it now`,
      });
      const tracker = await takeOver(state.record, 'post-wake');
      const postWake = await executePostWake(await postWakePlan('all', true), ctx, tracker, {
        stampWake: true,
        alreadyStarted: new Set(state.record.started),
      });
      await finish(tracker, 'post-wake done by a later process');
      return { kind: 'post-wake', postWake, recovered: `${state.record.command} left its post-wake undone` };
    }
    if (state.kind !== 'interrupted') return null;
    log.event('warn', { kind: 'sleep', phase: 'recovering', detail: state.why });
    const tracker = await takeOver(state.record, 'post-wake');
    const postWake = await bringBack(tracker, owedBy(state.record), new Set(state.record.started));
    await finish(tracker, `recovered: ${state.why}`);
    return { kind: 'post-wake', postWake, recovered: state.why };
  };

  return {
    preSleepPlan,
    postWakePlan,
    runState,

    async sleepCycle(command: 'tick' | 'sleep-now'): Promise<CycleResult | Busy> {
      const lock = await lockOrBusy(command, 0);
      if ('kind' in lock) return lock;
      try {
        const state = await runState();
        if (state.kind === 'awaiting-wake' || state.kind === 'active')
          return {
            kind: 'busy',
            detail: `the ${state.record.command} sequence (pid ${state.record.owner.pid}) is waiting for the host to sleep and wake`,
          };
        await recoverUnderLock(state);
        const tracker = await start(command, 'pre-sleep');
        const { outcome: preSleepOutcome, restarted } = await preSleep(tracker, true);
        if (preSleepOutcome.abortedBy) {
          const detail = `sleep called off: ${preSleepOutcome.abortedBy.label} failed (${preSleepOutcome.abortedBy.why})`;
          await finish(tracker, detail);
          return {
            kind: 'cycle',
            slept: false,
            preSleep: preSleepOutcome,
            restarted,
            suspend: null,
            postWake: null,
            detail,
          };
        }
        const suspend = await suspendHost(ctx, tracker);
        if (suspend.slept) log.event('info', { kind: 'wake', detail: suspend.detail });
        else log.event('error', { kind: 'sleep', phase: 'did not sleep', detail: suspend.detail });
        // After a real sleep: the full post-wake (1.x). Without one: only what this run stopped comes back.
        const postWake = suspend.slept
          ? await executePostWake(await postWakePlan('all', true), ctx, tracker, { stampWake: true })
          : await bringBack(tracker, new Set(Object.keys(tracker.record.stopped)));
        const detail = suspend.slept
          ? `slept and woke: ${suspend.detail}`
          : `did not sleep: ${suspend.detail}`;
        await finish(tracker, detail);
        return {
          kind: 'cycle',
          slept: suspend.slept,
          preSleep: preSleepOutcome,
          restarted: null,
          suspend,
          postWake,
          detail,
        };
      } finally {
        await lock.release();
      }
    },

    async hookPreSleep(options: { hook: boolean }): Promise<PreSleepResult | NotedResult | Busy> {
      const lock = await lockOrBusy(
        'pre-sleep',
        options.hook ? HOOK_LOCK_WAIT_S : COMMAND_LOCK_WAIT_S,
        options.hook
          ? noteHookFor('pre', (h) => `the guests were put to sleep by ${holderText(h)}`)
          : undefined,
      );
      if ('kind' in lock) return lock;
      try {
        const tracker = await start('pre-sleep', 'pre-sleep');
        if (options.hook)
          await ctx.runs.saveHookEvents({
            pre: { at: clock.now(), pid: process.pid, runId: tracker.record.runId },
            post: null,
          });
        // A suspend someone else started cannot be stopped from here: ON_FAILURE=abort only spares the failing guest a forced stop.
        const { outcome } = await preSleep(tracker, false);
        const mark = await suspendMark(ctx);
        await tracker.update((r) => {
          r.phase = 'suspend';
          r.suspend = mark;
        });
        log.event('info', {
          kind: 'sleep',
          phase: 'pre-sleep done',
          detail: 'waiting for the suspend; post-wake brings the guests back',
        });
        return { kind: 'pre-sleep', preSleep: outcome, restarted: null };
      } finally {
        await lock.release();
      }
    },

    async postWake(options: { hook: boolean }): Promise<PostWakeResult | NotedResult | Busy> {
      const lock = await lockOrBusy(
        'post-wake',
        options.hook ? HOOK_LOCK_WAIT_S : COMMAND_LOCK_WAIT_S,
        options.hook
          ? noteHookFor('post', (h) => `${holderText(h)} brings the guests back itself`)
          : undefined,
      );
      if ('kind' in lock) return lock;
      try {
        const { record } = await ctx.runs.load();
        if (options.hook && record?.phase === 'done') {
          const events = await ctx.runs.loadHookEvents();
          if (events.pre?.runId === record.runId && (record.finishedAt ?? 0) >= events.pre.at)
            return {
              kind: 'noted',
              detail: `this wake was already handled by ${record.command} (${record.outcome ?? 'done'})`,
            };
        }
        const state = await runState();
        log.event('info', { kind: 'wake', detail: 'post-wake started' });
        const unfinished = state.kind !== 'none' ? state.record : null;
        const tracker = unfinished
          ? await takeOver(unfinished, 'post-wake')
          : await start('post-wake', 'post-wake');
        const postWake = await executePostWake(await postWakePlan('all', true), ctx, tracker, {
          stampWake: true,
          alreadyStarted: new Set(unfinished?.phase === 'post-wake' ? unfinished.started : []),
        });
        await finish(tracker, 'post-wake done');
        const recovered =
          state.kind === 'interrupted'
            ? state.why
            : state.kind === 'woke'
              ? `${state.record.command} left its post-wake undone`
              : null;
        return { kind: 'post-wake', postWake, recovered };
      } finally {
        await lock.release();
      }
    },

    async hibernate(): Promise<PreSleepResult | Busy> {
      const lock = await lockOrBusy('hibernate', COMMAND_LOCK_WAIT_S);
      if ('kind' in lock) return lock;
      try {
        const tracker = await start('hibernate', 'pre-sleep');
        const { outcome, restarted } = await preSleep(tracker, true);
        await finish(
          tracker,
          outcome.abortedBy
            ? `called off: ${outcome.abortedBy.label} failed`
            : 'guests put to sleep; the host stays on',
        );
        return { kind: 'pre-sleep', preSleep: outcome, restarted };
      } finally {
        await lock.release();
      }
    },

    async resume(): Promise<PostWakeResult | Busy> {
      const lock = await lockOrBusy('resume', COMMAND_LOCK_WAIT_S);
      if ('kind' in lock) return lock;
      try {
        const state = await runState();
        const unfinished = state.kind !== 'none' ? state.record : null;
        const tracker = unfinished
          ? await takeOver(unfinished, 'post-wake')
          : await start('resume', 'post-wake');
        const postWake = await executePostWake(await postWakePlan('all', false), ctx, tracker, {
          stampWake: false,
          alreadyStarted: new Set(unfinished?.phase === 'post-wake' ? unfinished.started : []),
        });
        await finish(tracker, 'resume done');
        return { kind: 'post-wake', postWake, recovered: state.kind === 'interrupted' ? state.why : null };
      } finally {
        await lock.release();
      }
    },

    /** Tick and daemon start: finishes an interrupted sequence. Null when there was nothing to do. */
    async recover(): Promise<PostWakeResult | null> {
      const first = await runState();
      if (first.kind !== 'interrupted' && first.kind !== 'woke') return null;
      const attempt = await tryAcquireLock(dir, 'recovery', clock.now());
      if (!('acquired' in attempt)) return null;
      try {
        return await recoverUnderLock(await runState());
      } finally {
        await attempt.acquired.release();
      }
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
