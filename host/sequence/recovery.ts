/**
 * What the run record says about the last sleep sequence, decided from plain facts (is its process alive,
 * how much awake time has passed, has the kernel been suspended since). Pure, so every case is tested.
 *
 * - `none`: nothing in progress (no record, or a finished run).
 * - `active`: its process is still running: leave it alone.
 * - `awaiting-wake`: it finished its pre-sleep and the host is about to sleep, or asleep; the post-wake
 *   (the sleep hook's, or its own process's) will come.
 * - `woke`: the host slept and woke since, but nobody ran the post-wake: run it.
 * - `interrupted`: its process died in the middle (kill -9, crash, power loss) or a suspend it announced
 *   never came: bring back what it stopped.
 */
import type { RunRecord } from '../state';

/** Awake time after an announced suspend that never happened, after which the guests are brought back. */
export const SUSPEND_GRACE_MS = 10 * 60 * 1000;
/** More suspended time than this since the announcement means the host really slept. */
export const SLEPT_THRESHOLD_S = 2;

export type RunState =
  | { kind: 'none'; record: RunRecord | null }
  | { kind: 'active'; record: RunRecord }
  | { kind: 'awaiting-wake'; record: RunRecord }
  | { kind: 'woke'; record: RunRecord; sleptS: number }
  | { kind: 'interrupted'; record: RunRecord; why: string };

export interface RunFacts {
  ownerAlive: boolean;
  bootId: string | null;
  monotonicMs: number;
  suspendedTotalS: number | null;
}

export function sleptSince(record: RunRecord, suspendedTotalS: number | null): number | null {
  const before = record.suspend?.suspendedTotalS;
  if (before === null || before === undefined || suspendedTotalS === null) return null;
  const slept = suspendedTotalS - before;
  return slept > SLEPT_THRESHOLD_S ? slept : null;
}

export function classifyRun(record: RunRecord | null, facts: RunFacts): RunState {
  if (!record || record.phase === 'done') return { kind: 'none', record };
  if (facts.ownerAlive) return { kind: 'active', record };
  const who = `${record.command} (pid ${record.owner.pid})`;
  if (record.owner.bootId && facts.bootId && record.owner.bootId !== facts.bootId)
    return { kind: 'interrupted', record, why: `the host restarted during the ${record.phase} of ${who}` };
  if (record.phase === 'pre-sleep')
    return { kind: 'interrupted', record, why: `the pre-sleep of ${who} was interrupted` };
  if (record.phase === 'post-wake')
    return { kind: 'interrupted', record, why: `the post-wake of ${who} was interrupted` };
  const slept = sleptSince(record, facts.suspendedTotalS);
  if (slept !== null) return { kind: 'woke', record, sleptS: slept };
  if (record.suspend && facts.monotonicMs - record.suspend.monotonicMs < SUSPEND_GRACE_MS)
    return { kind: 'awaiting-wake', record };
  return {
    kind: 'interrupted',
    record,
    why: `${who} announced a suspend ${record.suspend ? 'that did not come within 10 minutes' : 'without recording when'}`,
  };
}

/** The guests an interrupted run owes: those it stopped, and those its post-wake was bringing back. */
export function owedBy(record: RunRecord): Set<string> {
  return new Set([...Object.keys(record.stopped), ...record.resuming]);
}
