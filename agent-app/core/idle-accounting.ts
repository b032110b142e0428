/**
 * Idle accounting, pure: how long every check has been idle (or unknown) without interruption. Time the
 * agent did not observe never counts: a gap between two evaluations longer than `maxGapMs` (agent stopped,
 * guest or host suspended, clock jump) and any time before the agent started are left out; the streak
 * resumes from what had been observed before the gap.
 */
export interface IdleAccount {
  /** When the current idle streak started (ms since epoch), or null while not idle. */
  idleSince: number | null;
  /** When the last evaluation happened, or null before the first. */
  lastAt: number | null;
  /** Observed idle time carried over a gap or a restart, added when the next streak starts. */
  carryMs: number;
}

export const freshAccount = (carryMs = 0): IdleAccount => ({ idleSince: null, lastAt: null, carryMs });

export interface AccountStep {
  account: IdleAccount;
  idleSeconds: number;
}

export function advanceIdle(account: IdleAccount, idle: boolean, now: number, maxGapMs: number): AccountStep {
  let { idleSince, carryMs } = account;
  const { lastAt } = account;
  if (lastAt !== null && (now < lastAt || now - lastAt > maxGapMs)) {
    carryMs = idleSince !== null ? Math.max(0, lastAt - idleSince) : 0;
    idleSince = null;
  }
  if (!idle) return { account: { idleSince: null, lastAt: now, carryMs: 0 }, idleSeconds: 0 };
  if (idleSince === null) idleSince = now - carryMs;
  return {
    account: { idleSince, lastAt: now, carryMs: 0 },
    idleSeconds: Math.max(0, Math.floor((now - idleSince) / 1000)),
  };
}

/** What the previous status file says, as far as continuing its idle streak is concerned. */
export interface PreviousObservation {
  idle: boolean;
  idleSeconds: number;
  writtenAt: number;
}

/**
 * Continues the idle streak of a previous agent (restart, or a `status` call reading the last file) only
 * when it is safe: the previous document was idle, written since this boot, not in the future, and at most
 * `maxGapMs` ago. The time since it was written is not counted.
 */
export function accountFromPrevious(
  previous: PreviousObservation | null,
  now: number,
  maxGapMs: number,
  bootTimeMs: number | null,
): IdleAccount {
  if (!previous || !previous.idle) return freshAccount();
  if (bootTimeMs !== null && previous.writtenAt < bootTimeMs) return freshAccount();
  const age = now - previous.writtenAt;
  if (age < 0 || age > maxGapMs) return freshAccount();
  return freshAccount(Math.max(0, previous.idleSeconds) * 1000);
}
