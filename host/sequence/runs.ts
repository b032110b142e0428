/**
 * The run record of a sequence (sequence.json): started, taken over from an earlier process, finished; and
 * what the record of the last run says now (runState, decided by recovery.ts from plain facts).
 */
import { randomUUID } from 'crypto';
import type { RunCommand, RunRecord } from '../state';
import { RunTracker, type SequenceContext } from './context';
import { classifyRun, type RunState } from './recovery';

export async function startRun(
  ctx: SequenceContext,
  command: RunCommand,
  phase: RunRecord['phase'],
): Promise<RunTracker> {
  const now = ctx.clock.now();
  const record: RunRecord = {
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
  const tracker = new RunTracker(ctx.runs, record, ctx.clock);
  await tracker.update(() => undefined);
  return tracker;
}

/** This process carries on an earlier run (same id, same journal). */
export async function takeOverRun(
  ctx: SequenceContext,
  record: RunRecord,
  phase: RunRecord['phase'],
): Promise<RunTracker> {
  const tracker = new RunTracker(ctx.runs, { ...record, owner: await ctx.system.me(), phase }, ctx.clock);
  await tracker.update(() => undefined);
  return tracker;
}

/** Carries on `unfinished` if there is one, else starts a run of its own. */
export const continueOrStart = (
  ctx: SequenceContext,
  unfinished: RunRecord | null,
  command: RunCommand,
  phase: RunRecord['phase'],
): Promise<RunTracker> => (unfinished ? takeOverRun(ctx, unfinished, phase) : startRun(ctx, command, phase));

export const finishRun = (ctx: SequenceContext, tracker: RunTracker, outcome: string): Promise<void> =>
  tracker.update((r) => {
    r.phase = 'done';
    r.outcome = outcome;
    r.finishedAt = ctx.clock.now();
  });

export async function runState(ctx: SequenceContext): Promise<RunState> {
  const loaded = await ctx.runs.load();
  if (loaded.problem) ctx.log.warn(loaded.problem);
  const record = loaded.record;
  const ownerAlive = record && record.phase !== 'done' ? await ctx.system.isRunning(record.owner) : false;
  return classifyRun(record, {
    ownerAlive,
    bootId: (await ctx.system.me()).bootId,
    monotonicMs: ctx.system.monotonicMs(),
    suspendedTotalS: await ctx.system.suspendedTotalS(),
  });
}
