/** What `status` shows of the sleep sequence: one in progress or interrupted, the last one, pending resumes. */
import { isResumable, stateDirExists } from '../state';
import type { SequenceContext } from './context';
import { classifyRun } from './recovery';

export interface SleepSummary {
  /** Records of guests this tool stopped and has not brought back yet. */
  pending: { key: string; value: string }[];
  /** A sequence that is not finished: running, waiting for the wake, or interrupted. */
  current: { state: string; command: string; pid: number; phase: string; detail: string } | null;
  last: { command: string; outcome: string | null; finishedAt: number | null } | null;
  problems: string[];
}

export async function readSleepSummary(
  ctx: Pick<SequenceContext, 'config' | 'records' | 'runs' | 'system'>,
): Promise<SleepSummary> {
  const { system } = ctx;
  const summary: SleepSummary = { pending: [], current: null, last: null, problems: [] };
  if (!(await stateDirExists(ctx.config.stateDir))) return summary;
  try {
    const parsed = await ctx.records.load();
    summary.problems.push(...parsed.problems);
    for (const [key, value] of parsed.records) if (isResumable(value)) summary.pending.push({ key, value });
  } catch (e) {
    summary.problems.push((e as Error).message);
  }
  const loaded = await ctx.runs.load();
  if (loaded.problem) summary.problems.push(loaded.problem);
  const record = loaded.record;
  if (!record) return summary;
  if (record.phase === 'done') {
    summary.last = { command: record.command, outcome: record.outcome, finishedAt: record.finishedAt };
    return summary;
  }
  const state = classifyRun(record, {
    ownerAlive: await system.isRunning(record.owner),
    bootId: (await system.me()).bootId,
    monotonicMs: system.monotonicMs(),
    suspendedTotalS: await system.suspendedTotalS(),
  });
  const detail =
    state.kind === 'active'
      ? 'running'
      : state.kind === 'awaiting-wake'
        ? 'waiting for the host to sleep and wake'
        : state.kind === 'woke'
          ? 'the host woke, the post-wake has not run yet (the next tick runs it)'
          : state.kind === 'interrupted'
            ? `${state.why} (the next tick, post-wake or resume brings its guests back)`
            : '';
  summary.current = {
    state: state.kind,
    command: record.command,
    pid: record.owner.pid,
    phase: record.phase,
    detail,
  };
  return summary;
}
