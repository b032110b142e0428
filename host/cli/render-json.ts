/** What `check --json` and `status --json` print: one document for scripts and monitoring. */
import type { GuestVerdict, Verdict } from '../policy';
import { allNotes, strongestEvidence, type Report } from './report';

function guestJson(g: GuestVerdict, sources: Record<string, string>) {
  return {
    kind: g.kind,
    id: g.id,
    name: g.name,
    state: g.state,
    basis: g.basis,
    reasons: g.reasons,
    explanation: g.explanation,
    idle_for_seconds: g.idleForSeconds,
    timeout_seconds: g.timeoutSeconds,
    sleeps_in_seconds: g.sleepsInSeconds,
    source: sources[g.key] ?? null,
    notes: g.notes,
    evidence: strongestEvidence(g)?.detail ?? null,
    checks: g.evidence,
  };
}

/** The host checks as the JSON documents have always listed them: `reason` is the check's stable word. */
function hostChecksJson(v: Verdict) {
  return v.host.checks.map((c) => ({
    name: c.name,
    state: c.state,
    reason: c.checkReason,
    detail: c.detail,
  }));
}

export function checkJson(r: Pick<Report, 'verdict' | 'sources' | 'warnings'>) {
  const v = r.verdict;
  return {
    idle: v.idleNow,
    guests: v.guests.map((g) => guestJson(g, r.sources)),
    host_checks: hostChecksJson(v),
    warnings: r.warnings,
    notes: allNotes(v),
  };
}

export function statusJson(r: Report) {
  const v = r.verdict;
  return {
    time: new Date(r.now).toISOString(),
    node: r.node,
    config: { file: r.configFile, valid: !r.misconfigured, problems: r.problems },
    auto_sleep: r.misconfigured ? 'misconfigured' : v.autoSleep,
    idle: v.idleNow,
    sleep_due: v.sleepDue,
    countdown_seconds: v.countdownSeconds,
    awake_reasons: r.reasons,
    guests: v.guests.map((g) => guestJson(g, r.sources)),
    host: {
      checks: hostChecksJson(v),
      active: v.host.active,
      idle_for_seconds: v.host.idleForSeconds,
      timeout_seconds: v.host.timeoutSeconds,
      sleeps_in_seconds: v.host.sleepsInSeconds,
    },
    last_wake: v.lastWake === null ? null : new Date(v.lastWake).toISOString(),
    wake_grace_remaining_seconds: v.graceRemainingSeconds,
    last_tick: r.lastTickAt === null ? null : new Date(r.lastTickAt).toISOString(),
    sleep_sequence: r.sleep?.current ?? null,
    last_sleep_sequence: r.sleep?.last
      ? {
          ...r.sleep.last,
          finishedAt:
            r.sleep.last.finishedAt === null ? null : new Date(r.sleep.last.finishedAt).toISOString(),
        }
      : null,
    pending_resumes: r.sleep?.pending ?? [],
    warnings: r.warnings,
    notes: allNotes(v),
  };
}
