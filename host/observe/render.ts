/**
 * What `check` and `status` print: a table people can read at a glance (why is the host awake?) and one
 * JSON document for scripts. Every string that may come from a guest is sanitised here.
 */
import { localTime } from '../../common/log';
import { formatProblem, type ConfigProblem } from '../../common/errors';
import { sanitizeForLog } from '../../common/sanitize';
import { duration, label, type GuestVerdict, type Verdict } from '../policy';
import type { SleepSummary } from '../sequence/summary';

export interface Report {
  node: string;
  now: number;
  configFile: string | null;
  problems: ConfigProblem[];
  misconfigured: boolean;
  verdict: Verdict;
  reasons: string[];
  idleThresholdMinutes: number;
  checkIntervalSeconds: number;
  lastTickAt: number | null;
  /** Per guest key: where its status is read from. */
  sources: Record<string, string>;
  warnings: string[];
  /** The sleep sequence: in progress, last run, pending resumes (`status` only). */
  sleep?: SleepSummary;
}

const s = (text: string, max = 200) => sanitizeForLog(text, max);

function table(rows: string[][], maxWidths: number[]): string {
  const widths = rows[0].map((_, i) =>
    Math.min(maxWidths[i] ?? 80, Math.max(...rows.map((r) => r[i].length))),
  );
  const cell = (text: string, w: number) => (text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w));
  return rows
    .map((r) =>
      r
        .map((c, i) => cell(c, widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function guestName(g: GuestVerdict): string {
  return `${g.kind === 'vm' ? 'VM' : 'CT'} ${g.id} ${s(g.name, 40)}`;
}

function guestReason(g: GuestVerdict): string {
  return s(g.explanation, 300);
}

export function guestRows(verdict: Verdict): string[][] {
  const rows = [['GUEST', 'STATE', 'REASON', 'IDLE FOR', 'SLEEPS IN']];
  for (const g of verdict.guests) {
    rows.push([
      guestName(g),
      g.state,
      guestReason(g),
      g.idleForSeconds === null ? '-' : duration(g.idleForSeconds),
      g.sleepsInSeconds === null
        ? '-'
        : verdict.autoSleep === 'disabled'
          ? 'never'
          : g.sleepsInSeconds === 0
            ? 'ready'
            : duration(g.sleepsInSeconds),
    ]);
  }
  return rows;
}

function hostCheckLines(verdict: Verdict): string {
  if (verdict.host.checks.length === 0) return '  (no host checks enabled)';
  return table(
    verdict.host.checks.map((c) => [`  ${c.name}`, c.state, s(c.detail, 300)]),
    [24, 8, 90],
  );
}

export function renderStatusText(r: Report): string {
  const v = r.verdict;
  const out: string[] = [];
  out.push(`Proxmox Sleep Manager on ${s(r.node)} at ${localTime(r.now)}`);
  out.push(
    `Configuration: ${r.configFile ?? '(no file: environment and defaults)'}${r.misconfigured ? ' (INVALID)' : ''}`,
  );
  out.push('');
  if (v.guests.length) out.push(table(guestRows(v), [28, 11, 64, 9, 9]));
  else out.push('No guests configured.');
  out.push('');
  out.push('Host checks:');
  out.push(hostCheckLines(v));
  out.push('');

  if (r.misconfigured) {
    out.push(
      'Auto-sleep: MISCONFIGURED (tick and daemon refuse to run until this is fixed; shown with fallback values)',
    );
    for (const p of r.problems.filter((p) => p.severity === 'error')) out.push(`  ${formatProblem(p)}`);
  } else if (v.autoSleep === 'disabled') {
    out.push('Auto-sleep: DISABLED (IDLE_THRESHOLD_MINUTES=0)');
  } else if (!v.idleNow) {
    out.push('Auto-sleep: ON, paused: something is active');
  } else if (v.sleepDue) {
    out.push('Auto-sleep: ON, sleep is due now');
  } else {
    out.push(
      `Auto-sleep: ON, counting down: host checks idle for ${duration(v.host.idleForSeconds ?? 0)} of ${duration(v.host.timeoutSeconds)}`,
    );
    out.push(`Sleep in: ${duration(v.countdownSeconds ?? 0)} (if everything stays idle)`);
  }
  if (r.reasons.length) {
    out.push('Why the host is awake:');
    for (const reason of r.reasons) out.push(`  - ${s(reason, 400)}`);
  }
  out.push(
    v.lastWake === null
      ? 'Last wake: not recorded'
      : `Last wake: ${localTime(v.lastWake)} (${duration((r.now - v.lastWake) / 1000)} ago)${v.inWakeGrace ? `, grace period ${v.graceRemainingSeconds}s left` : ''}`,
  );
  if (r.sleep) out.push(...sleepLines(r.sleep));
  const staleAfter = Math.max(3 * r.checkIntervalSeconds, 180) * 1000;
  if (r.lastTickAt === null)
    out.push('Monitor: no tick recorded yet (is the daemon or the cron job running?)');
  else if (r.now - r.lastTickAt > staleAfter)
    out.push(
      `Monitor: last tick ${duration((r.now - r.lastTickAt) / 1000)} ago: is the daemon or the cron job running?`,
    );
  else out.push(`Monitor: last tick ${duration((r.now - r.lastTickAt) / 1000)} ago`);
  const notes = [...r.warnings, ...allNotes(v)];
  if (notes.length) {
    out.push('Notes:');
    for (const n of notes) out.push(`  - ${s(n, 400)}`);
  }
  return `${out.join('\n')}\n`;
}

export function renderCheckText(r: Pick<Report, 'verdict' | 'warnings'>): string {
  const v = r.verdict;
  const out: string[] = [];
  if (v.guests.length)
    out.push(
      table(
        guestRows(v).map((row) => row.slice(0, 3)),
        [28, 11, 90],
      ),
    );
  out.push('');
  out.push('Host checks:');
  out.push(hostCheckLines(v));
  out.push('');
  const active = v.guests.filter((g) => g.state === 'active').map((g) => label(g));
  const hostActive = v.host.checks.filter((c) => c.state === 'active').map((c) => c.name);
  out.push(
    v.idleNow
      ? 'Overall: IDLE (every monitored signal is idle right now)'
      : `Overall: ACTIVE (${[...active, ...hostActive.map((h) => `host ${h}`)].map((x) => s(x)).join(', ')})`,
  );
  const notes = [...r.warnings, ...v.guests.flatMap((g) => (g.basis === 'fallback' ? guestNotes(g) : []))];
  if (notes.length) {
    out.push('Notes:');
    for (const n of notes) out.push(`  - ${s(n, 400)}`);
  }
  return `${out.join('\n')}\n`;
}

function sleepLines(sleep: SleepSummary): string[] {
  const out: string[] = [];
  const c = sleep.current;
  if (c) out.push(`Sleep sequence: ${c.command} (pid ${c.pid}), ${c.phase}: ${s(c.detail, 300)}`);
  else if (sleep.last)
    out.push(
      `Last sleep sequence: ${sleep.last.command}${sleep.last.finishedAt ? `, ${localTime(sleep.last.finishedAt)}` : ''}: ${s(sleep.last.outcome ?? 'done', 300)}`,
    );
  if (sleep.pending.length)
    out.push(
      `Pending resumes: ${sleep.pending.map((p) => `${p.key} (${p.value})`).join(', ')}; \`proxmox-sleep resume\` starts them`,
    );
  return out;
}

function guestNotes(g: GuestVerdict): string[] {
  return g.notes.map((n) => `${label(g)}: ${n}`);
}

/** The decision's own notes, then every guest's. */
export function allNotes(v: Verdict): string[] {
  return [...v.notes, ...v.guests.flatMap(guestNotes)];
}

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
