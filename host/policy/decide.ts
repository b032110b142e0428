/**
 * The host's decision, as a pure function: observations + config + the host's clock reading + what was
 * remembered → the verdict, every reason the host is awake, and what to remember. Nothing here reads a
 * clock, a file or a socket.
 */
import { decideGuest, type GuestContext } from './guest';
import { continueStreak, seconds } from './timers';
import {
  emptyState,
  type Decision,
  type GuestVerdict,
  type HostCheckReport,
  type HostVerdict,
  type Observations,
  type PolicyConfig,
  type PolicyState,
  type PreviousState,
  type Verdict,
} from './types';

/** A gap between cycles longer than this means the clock jumped or the host slept outside our control. */
export function maxCycleGapSeconds(checkIntervalSeconds: number): number {
  return Math.max(5 * checkIntervalSeconds, 15 * 60);
}

export function decide(
  observations: Observations,
  config: PolicyConfig,
  now: number,
  prev: PreviousState | null,
): Decision {
  const { state, ctx, notes } = guarded(prev, config, now);
  // IDLE_THRESHOLD_MINUTES=0 turns auto-sleep off: no countdown, and no guest timer to wait for.
  const autoSleepOff = config.idleThresholdMinutes === 0;
  const policies = new Map(
    config.guests.map((g) => [g.key, autoSleepOff ? { ...g, idleTimeoutMinutes: 0 } : g]),
  );
  const guests: GuestVerdict[] = [];
  const nextGuests: PolicyState['guests'] = {};
  for (const obs of observations.guests) {
    const cfg = policies.get(obs.key);
    if (!cfg) continue;
    const outcome = decideGuest(obs, cfg, state.guests[obs.key], ctx);
    guests.push(outcome.verdict);
    nextGuests[obs.key] = outcome.memory;
  }
  const host = hostVerdict(observations.host, config, state, ctx, notes);
  const verdict = overall(guests, host.verdict, config, ctx, notes);
  return {
    verdict,
    reasons: awakeReasons(verdict),
    next: {
      hostIdleSince: host.idleSince,
      lastWake: ctx.lastWake,
      resetAt: ctx.resetAt,
      lastTickAt: now,
      guests: nextGuests,
    },
  };
}

/** The remembered state after the guards, and what every timer needs to know about the clock. */
function guarded(prev: PreviousState | null, config: PolicyConfig, now: number) {
  const notes: string[] = [];
  let state: PolicyState = prev ?? emptyState();
  if (prev?.corrupt) {
    notes.push(`stored timers were unusable (${prev.corrupt}); idle timers restart now`);
    state = { ...emptyState(), lastWake: prev.lastWake, resetAt: now };
  }
  let lastWake = state.lastWake;
  if (lastWake !== null && lastWake > now) {
    notes.push('the last wake time lies in the future (clock went back); it is reset to now');
    lastWake = now;
  }
  let clockJumped = false;
  if (state.lastTickAt !== null) {
    const gap = now - state.lastTickAt;
    if (gap < 0) {
      clockJumped = true;
      notes.push(`the clock went back ${seconds(-gap)} s since the last check; idle timers restart`);
    } else if (gap > maxCycleGapSeconds(config.checkIntervalSeconds) * 1000) {
      clockJumped = true;
      notes.push(
        `${seconds(gap)} s passed since the last check (clock jump, or the host was suspended); idle timers restart`,
      );
    }
  }
  const resetAt = state.resetAt !== null && state.resetAt <= now ? state.resetAt : null;
  const notBefore = Math.max(lastWake ?? -Infinity, resetAt ?? -Infinity);
  const ctx: GuestContext = {
    now,
    lastWake,
    resetAt,
    notBefore: Number.isFinite(notBefore) ? notBefore : null,
    clockJumped,
    staleSeconds: config.agentStaleSeconds,
  };
  return { state, ctx, notes };
}

/** Host checks: an active check keeps the host awake; unknown and unavailable never do (they are shown). */
function hostVerdict(
  checks: HostCheckReport[],
  config: PolicyConfig,
  state: PolicyState,
  ctx: GuestContext,
  notes: string[],
): { verdict: HostVerdict; idleSince: number | null } {
  const active = checks.some((c) => c.state === 'active');
  const timeoutSeconds = Math.round(config.idleThresholdMinutes * 60);
  let idleSince: number | null = null;
  if (!active) {
    const streak = continueStreak(state.hostIdleSince, ctx);
    idleSince = streak.since;
    if (streak.reset && !ctx.clockJumped) notes.push(`host idle timer restarted: ${streak.reset}`);
  }
  const idleForSeconds = idleSince === null ? null : seconds(ctx.now - idleSince);
  const sleepsInSeconds = idleForSeconds === null ? null : Math.max(0, timeoutSeconds - idleForSeconds);
  return { verdict: { checks, active, idleForSeconds, timeoutSeconds, sleepsInSeconds }, idleSince };
}

/** Everything idle right now, the wake grace period and the countdown. */
function overall(
  guests: GuestVerdict[],
  host: HostVerdict,
  config: PolicyConfig,
  ctx: GuestContext,
  notes: string[],
): Verdict {
  const autoSleep = config.idleThresholdMinutes === 0 ? 'disabled' : 'on';
  const idleNow = !host.active && guests.every((g) => g.state !== 'active');
  const lastWake = ctx.lastWake;
  const graceLeft =
    lastWake === null
      ? 0
      : Math.max(0, Math.ceil((lastWake + config.wakeGraceSeconds * 1000 - ctx.now) / 1000));
  const countdown =
    autoSleep === 'on' && idleNow
      ? Math.max(host.sleepsInSeconds ?? 0, graceLeft, ...guests.map((g) => g.sleepsInSeconds ?? 0))
      : null;
  return {
    idleNow,
    autoSleep,
    sleepDue: countdown === 0,
    inWakeGrace: graceLeft > 0,
    graceRemainingSeconds: graceLeft,
    countdownSeconds: countdown,
    guests,
    host,
    lastWake,
    notes,
  };
}

export function label(g: Pick<GuestVerdict, 'kind' | 'id' | 'name'>): string {
  return `${g.kind === 'vm' ? 'VM' : 'CT'} ${g.id} (${g.name})`;
}

/** Every reason the host is awake, one line each, most important first. */
export function awakeReasons(v: Verdict): string[] {
  if (v.sleepDue) return [];
  const out: string[] = [];
  for (const g of v.guests) if (g.state === 'active') out.push(`${label(g)}: ${g.explanation}`);
  for (const c of v.host.checks) if (c.state === 'active') out.push(`host: ${c.name}: ${c.detail}`);
  if (v.autoSleep === 'disabled') out.push('auto-sleep is disabled (IDLE_THRESHOLD_MINUTES=0)');
  else if (v.idleNow) {
    for (const g of v.guests)
      if (g.state === 'idle' && (g.sleepsInSeconds ?? 0) > 0)
        out.push(`${label(g)}: idle for ${duration(g.idleForSeconds ?? 0)} of ${duration(g.timeoutSeconds)}`);
    if ((v.host.sleepsInSeconds ?? 0) > 0)
      out.push(
        `host checks: idle for ${duration(v.host.idleForSeconds ?? 0)} of ${duration(v.host.timeoutSeconds)}`,
      );
    if (v.inWakeGrace) out.push(`within the wake grace period (${v.graceRemainingSeconds} s left)`);
  }
  return out;
}

/** `1h 05m`, `12m 30s`, `45s`. */
export function duration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
