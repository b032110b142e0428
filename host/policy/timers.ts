/** Idle-streak arithmetic with the previous release's guards, as pure functions. */

export interface TimerContext {
  now: number;
  /** Streaks never start before this: the later of the last wake and the last `reset`. */
  notBefore: number | null;
  /** The clock moved backwards or jumped far forward since the last cycle: host-observed streaks restart. */
  clockJumped: boolean;
}

/**
 * Continues a streak the host itself observed. A missing start, one in the future (clock went back), one
 * before the last wake (stale), or a clock jump since the last cycle restarts it now.
 */
export function continueStreak(
  previous: number | null,
  ctx: TimerContext,
): { since: number; reset: string | null } {
  if (previous === null) return { since: ctx.now, reset: null };
  if (ctx.clockJumped) return { since: ctx.now, reset: 'the clock jumped since the last check' };
  if (previous > ctx.now) return { since: ctx.now, reset: 'its start lies in the future (clock went back)' };
  if (ctx.notBefore !== null && previous < ctx.notBefore)
    return { since: ctx.now, reset: 'it started before the last wake or reset' };
  return { since: previous, reset: null };
}

/**
 * The start of an idle streak the agent reports (`idle_seconds`), never earlier than what the host itself
 * observed: the last wake, the guest's start, the host's first sight of this agent, its last sight of the
 * guest being active.
 */
export function clampAgentStreak(
  now: number,
  agentIdleSeconds: number,
  bounds: { label: string; at: number | null }[],
): { since: number; clampedBy: string | null } {
  let since = now - agentIdleSeconds * 1000;
  let clampedBy: string | null = null;
  for (const b of bounds) {
    if (b.at !== null && b.at > since) {
      since = b.at;
      clampedBy = b.label;
    }
  }
  return { since: Math.min(since, now), clampedBy };
}

export const seconds = (ms: number): number => Math.max(0, Math.floor(ms / 1000));
