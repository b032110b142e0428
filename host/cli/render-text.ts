/**
 * What `check` and `status` print for people: a table that says at a glance why the host is awake, with
 * the strongest evidence of each guest. Every string that may come from a guest is sanitised here.
 */
import { formatProblem } from '../../common/errors';
import { localTime } from '../../common/log';
import { sanitizeForLog } from '../../common/sanitize';
import { duration, label, type GuestVerdict, type Verdict } from '../policy';
import type { SleepSummary } from '../sequence';
import { allNotes, guestNotes, strongestEvidence, type Report } from './report';
import { table } from './table';

const s = (text: string, max = 200) => sanitizeForLog(text, max);

function guestName(g: GuestVerdict): string {
  return `${g.kind === 'vm' ? 'VM' : 'CT'} ${g.id} ${s(g.name, 40)}`;
}

function sleepsIn(g: GuestVerdict, verdict: Verdict): string {
  if (g.sleepsInSeconds === null) return '-';
  if (verdict.autoSleep === 'disabled') return 'never';
  return g.sleepsInSeconds === 0 ? 'ready' : duration(g.sleepsInSeconds);
}

function evidenceText(g: GuestVerdict): string {
  const e = strongestEvidence(g);
  return e ? s(e.detail, 300) : '';
}

export function guestRows(verdict: Verdict): string[][] {
  const rows = [['GUEST', 'STATE', 'REASON', 'IDLE FOR', 'SLEEPS IN', 'EVIDENCE']];
  for (const g of verdict.guests)
    rows.push([
      guestName(g),
      g.state,
      s(g.explanation, 300),
      g.idleForSeconds === null ? '-' : duration(g.idleForSeconds),
      sleepsIn(g, verdict),
      evidenceText(g),
    ]);
  return rows;
}

function hostCheckLines(verdict: Verdict): string {
  if (verdict.host.checks.length === 0) return '  (no host checks enabled)';
  return table(
    verdict.host.checks.map((c) => [`  ${c.name}`, c.state, s(c.detail, 300)]),
    [24, 11, 90],
  );
}

export function renderStatusText(r: Report): string {
  const v = r.verdict;
  return lines([
    `Proxmox Sleep Manager on ${s(r.node)} at ${localTime(r.now)}`,
    `Configuration: ${r.configFile ?? '(no file: environment and defaults)'}${r.misconfigured ? ' (INVALID)' : ''}`,
    '',
    v.guests.length ? table(guestRows(v), [28, 11, 64, 9, 9, 60]) : 'No guests configured.',
    '',
    'Host checks:',
    hostCheckLines(v),
    '',
    ...autoSleepLines(r),
    ...listed('Why the host is awake:', r.reasons),
    lastWakeLine(r),
    ...(r.sleep ? sleepLines(r.sleep) : []),
    monitorLine(r),
    ...listed('Notes:', [...r.warnings, ...allNotes(v)]),
  ]);
}

export function renderCheckText(r: Pick<Report, 'verdict' | 'warnings'>): string {
  const v = r.verdict;
  const active = v.guests.filter((g) => g.state === 'active').map((g) => label(g));
  const hostActive = v.host.checks.filter((c) => c.state === 'active').map((c) => `host ${c.name}`);
  return lines([
    ...(v.guests.length
      ? [
          table(
            guestRows(v).map(([g, st, reason, , , evidence]) => [g, st, reason, evidence]),
            [28, 11, 90, 60],
          ),
        ]
      : []),
    '',
    'Host checks:',
    hostCheckLines(v),
    '',
    v.idleNow
      ? 'Overall: IDLE (every monitored signal is idle right now)'
      : `Overall: ACTIVE (${[...active, ...hostActive].map((x) => s(x)).join(', ')})`,
    ...listed('Notes:', [
      ...r.warnings,
      ...v.guests.flatMap((g) => (g.basis === 'fallback' ? guestNotes(g) : [])),
    ]),
  ]);
}

const lines = (out: string[]) => `${out.join('\n')}\n`;

/** A heading and one `  - item` line each, or nothing when there are none. */
function listed(heading: string, items: string[]): string[] {
  return items.length ? [heading, ...items.map((i) => `  - ${s(i, 400)}`)] : [];
}

function autoSleepLines(r: Report): string[] {
  const v = r.verdict;
  if (r.misconfigured)
    return [
      'Auto-sleep: MISCONFIGURED (tick and daemon refuse to run until this is fixed; shown with fallback values)',
      ...r.problems.filter((p) => p.severity === 'error').map((p) => `  ${formatProblem(p)}`),
    ];
  if (v.autoSleep === 'disabled') return ['Auto-sleep: DISABLED (IDLE_THRESHOLD_MINUTES=0)'];
  if (!v.idleNow) return ['Auto-sleep: ON, paused: something is active'];
  if (v.sleepDue) return ['Auto-sleep: ON, sleep is due now'];
  return [
    `Auto-sleep: ON, counting down: host checks idle for ${duration(v.host.idleForSeconds ?? 0)} of ${duration(v.host.timeoutSeconds)}`,
    `Sleep in: ${duration(v.countdownSeconds ?? 0)} (if everything stays idle)`,
  ];
}

function lastWakeLine(r: Report): string {
  const v = r.verdict;
  if (v.lastWake === null) return 'Last wake: not recorded';
  const grace = v.inWakeGrace ? `, grace period ${v.graceRemainingSeconds}s left` : '';
  return `Last wake: ${localTime(v.lastWake)} (${duration((r.now - v.lastWake) / 1000)} ago)${grace}`;
}

function monitorLine(r: Report): string {
  if (r.lastTickAt === null) return 'Monitor: no tick recorded yet (is the daemon or the cron job running?)';
  const ago = duration((r.now - r.lastTickAt) / 1000);
  const staleAfter = Math.max(3 * r.checkIntervalSeconds, 180) * 1000;
  return r.now - r.lastTickAt > staleAfter
    ? `Monitor: last tick ${ago} ago: is the daemon or the cron job running?`
    : `Monitor: last tick ${ago} ago`;
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
