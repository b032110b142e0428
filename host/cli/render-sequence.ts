/** Plans and outcomes of the sleep sequence as text for people (`--dry-run` and the commands' reports). */
import { sanitizeForLog } from '../../common/sanitize';
import {
  backAndNot,
  describeStep,
  type GuestPlan,
  type PostWakeOutcome,
  type PostWakePlan,
  type PreSleepOutcome,
  type PreSleepPlan,
  type Step,
} from '../sequence';
import { guestLabel } from '../sequence/context';
import { isResumable } from '../state';

const s = (text: string) => sanitizeForLog(text, 300);
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}`.trimEnd(),
  );
}

function chain(steps: Step[]): string {
  return steps
    .map((step) => {
      const timeout = step.type === 'stop' ? '' : `, up to ${step.timeoutS} s`;
      // Both hibernation channels share one timeout: it is shown once, on the last of them.
      const shared =
        step.type === 'hibernate' &&
        step.via === 'agent' &&
        steps.some((x) => x.type === 'hibernate' && x.via === 'qga');
      return `${describeStep(step)}${shared ? '' : timeout}`;
    })
    .join(' → ');
}

function planRow(g: GuestPlan): string[] {
  const label = s(guestLabel(g.kind, g.id, g.name));
  if (g.decision === 'leave') {
    const what =
      g.record === 'not_running'
        ? 'not running: left as it is'
        : g.record === 'kept_running'
          ? 'keeps running (keep_running)'
          : g.record === 'ignored'
            ? 'left alone (ignore)'
            : `stopped, still owed a resume: stays ${g.record}`;
    return [label, g.power, what];
  }
  const abort =
    g.onFailure === 'abort' ? ' (ON_FAILURE=abort: no forced stop; a failure calls the sleep off)' : '';
  return [label, g.power, `${chain(g.steps)}${abort}`];
}

export function renderPreSleepPlan(plan: PreSleepPlan): string {
  const lines = [`Pre-sleep plan (${plural(plan.parallelism, 'guest')} at a time):`];
  if (plan.guests.length)
    lines.push(...table([['GUEST', 'POWER', 'WHAT HAPPENS'], ...plan.guests.map(planRow)]));
  for (const g of plan.guests)
    for (const n of g.notes) lines.push(`  ${s(guestLabel(g.kind, g.id, g.name))}: ${s(n)}`);
  for (const c of plan.carried)
    lines.push(`  ${c.key}: no longer configured, still owed a resume (${c.value}): kept`);
  for (const d of plan.dropped) lines.push(`  ${d.key}: no longer configured (${d.value}): record dropped`);
  return `${lines.join('\n')}\n`;
}

export function renderPostWakePlan(plan: PostWakePlan): string {
  const lines: string[] = [];
  if (plan.resume.length === 0) lines.push('Post-wake plan: no guest to start.');
  else {
    const delay = plan.wakeDelayS > 0 ? `wait ${plan.wakeDelayS} s (WAKE_DELAY), then ` : '';
    lines.push(
      `Post-wake plan: ${delay}start ${plural(plan.resume.length, 'guest')}, ${plan.parallelism} at a time:`,
    );
    lines.push(
      ...table([
        ['GUEST', 'RECORDED', 'WHAT HAPPENS'],
        ...plan.resume.map((r) => [
          s(guestLabel(r.kind, r.id, r.name)),
          r.recorded,
          `start${r.syncClock ? ', then sync its clock' : ''}${r.configured ? '' : ' (no longer configured)'}`,
        ]),
      ]),
    );
  }
  for (const d of plan.drop) if (isResumable(d.value)) lines.push(`  ${d.key}: ${d.why} (record removed)`);
  return `${lines.join('\n')}\n`;
}

export function renderPreSleepOutcome(outcome: PreSleepOutcome): string {
  const rows = outcome.guests.map((g) => {
    const took = g.seconds !== null ? ` in ${g.seconds} s` : '';
    const what =
      g.result === 'failed'
        ? `FAILED: ${g.detail}`
        : g.result === 'left'
          ? g.detail
          : g.result === 'not reached'
            ? g.detail
            : `${g.result}${took} (${g.detail})`;
    return [s(g.label), s(what)];
  });
  const lines = ['Pre-sleep:', ...(rows.length ? table(rows) : ['  no guests configured'])];
  if (outcome.abortedBy)
    lines.push(
      `Sleep called off: ${s(outcome.abortedBy.label)} could not be put to sleep (ON_FAILURE=abort).`,
    );
  return `${lines.join('\n')}\n`;
}

export function renderPostWakeOutcome(outcome: PostWakeOutcome, title = 'Post-wake'): string {
  const lines = [`${title}:`];
  if (outcome.guests.length === 0) lines.push('  no guest to start');
  else
    lines.push(
      ...table(
        outcome.guests.map((g) => [
          s(g.label),
          `${g.result === 'failed' ? `FAILED to start: ${s(g.detail)}` : `${g.result} (${s(g.detail)})`}${g.clock ? `; ${s(g.clock)}` : ''}`,
        ]),
      ),
    );
  for (const d of outcome.dropped) if (d.why.startsWith('RESUME_ON_WAKE')) lines.push(`  ${d.key}: ${d.why}`);
  const { back, notBack } = backAndNot(outcome);
  if (back.length) lines.push(`Back: ${back.map(s).join(', ')}.`);
  if (notBack.length)
    lines.push(`Not back: ${notBack.map(s).join(', ')} (run \`proxmox-sleep resume\` to try again).`);
  return `${lines.join('\n')}\n`;
}
