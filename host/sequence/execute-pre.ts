/**
 * Carries out a pre-sleep plan: `SLEEP_PARALLELISM` guests at a time, each through its chain of steps until
 * one confirms the guest stopped. Before each step the record it announces (hibernated / shutdown /
 * was_shutdown) is written to the run record and to sleep-manager.state, both with fsync, so a crash at any
 * point leaves every guest that might be stopping recorded for its resume (1.x rule 32).
 *
 * A guest whose chain runs out fails. With `ON_FAILURE=abort` the first failure stops the run: no further
 * step is started for any guest and the caller starts again what this run stopped.
 */
import { errorMessage } from '../../common/errors';
import { sanitizeForLog } from '../../common/sanitize';
import { guestRef as configRef, type GuestConfig } from '../config';
import type { GuestRef } from '../proxmox/types';
import { mapLimit } from '../observe/map-limit';
import type { RecordValue } from '../state';
import { runAgentCommand } from './agent-commands';
import { callTimeouts, guestLabel, oneLine, type RunTracker, type SequenceContext } from './context';
import { recordFor, type ActPlan, type PreSleepPlan, type Step } from './plan';
import { readPower, waitForStop, watchDepsOf } from './power-watch';

export type GuestResult = 'hibernated' | 'shut down' | 'stopped by force' | 'left' | 'failed' | 'not reached';

export interface GuestOutcome {
  key: string;
  label: string;
  result: GuestResult;
  /** What sleep-manager.state says for the guest afterwards. */
  record: RecordValue | null;
  detail: string;
  seconds: number | null;
}

export interface PreSleepOutcome {
  guests: GuestOutcome[];
  /** The guest whose failure called the sleep off (ON_FAILURE=abort). */
  abortedBy: { label: string; why: string } | null;
}

/** True when every guest this run acted on went down gracefully (hibernated or shut down). */
export function preSleepSucceeded(outcome: PreSleepOutcome): boolean {
  return (
    outcome.abortedBy === null &&
    outcome.guests.every((g) => g.result !== 'failed' && g.result !== 'stopped by force')
  );
}

type StepResult = { done: true; how: string } | { done: false; why: string; accepted?: boolean };

export async function executePreSleep(
  plan: PreSleepPlan,
  ctx: SequenceContext,
  tracker: RunTracker,
  options: { honourAbort: boolean },
): Promise<PreSleepOutcome> {
  const { log, clock, records } = ctx;
  const t = callTimeouts(ctx.config.global);
  const watch = watchDepsOf(ctx);
  const configured = new Map(ctx.config.guests.map((g) => [configRef(g.kind, g.id), g]));
  let abortedBy: PreSleepOutcome['abortedBy'] = null;

  // What is known before anything is done: the records of guests left alone, and resumes still owed.
  const initial = new Map<string, RecordValue>();
  for (const g of plan.guests) {
    if (g.decision === 'leave') initial.set(g.key, g.record);
    else if (g.power === 'unknown' && g.pending) initial.set(g.key, g.pending);
  }
  for (const c of plan.carried) initial.set(c.key, c.value);
  await records.replace(initial);
  for (const c of plan.carried)
    log.info(`${c.key}: no longer configured but still owed a resume (${c.value}): kept`);

  const announce = async (key: string, value: RecordValue) => {
    await tracker.update((r) => {
      r.stopped[key] = value;
    });
    await records.set(key, value);
  };

  const actOn = async (g: ActPlan): Promise<GuestOutcome> => {
    const label = guestLabel(g.kind, g.id, g.name);
    const ref: GuestRef = { kind: g.kind, id: g.id };
    const config = configured.get(configRef(g.kind, g.id)) as GuestConfig;
    const started = clock.now();
    const outcome = (result: GuestResult, record: RecordValue | null, detail: string): GuestOutcome => ({
      key: g.key,
      label,
      result,
      record,
      detail,
      seconds:
        result === 'left' || result === 'not reached' ? null : Math.round((clock.now() - started) / 1000),
    });
    for (const n of g.notes) log.info(`${label}: ${n}`);
    if (g.kind === 'ct' && g.action === 'hibernate')
      log.warn(`${label}: containers cannot hibernate; it is shut down instead`);

    if (g.power === 'unknown') {
      let power = await readPower(ctx.proxmox, ref);
      if (power === 'unknown') {
        log.event('info', {
          kind: 'retry',
          what: `${label}: power state`,
          attempt: 2,
          max: 2,
          why: 'no answer',
        });
        power = await readPower(ctx.proxmox, ref);
      }
      if (power === 'stopped') {
        const record = g.pending ?? 'not_running';
        await records.set(g.key, record);
        return outcome('left', record, 'not running');
      }
      if (power === 'unknown') {
        const why = 'Proxmox does not say whether it runs, so it is left as it is';
        log.event('error', {
          kind: 'guest-action',
          guest: label,
          action: 'pre-sleep',
          outcome: 'failed',
          detail: why,
        });
        if (g.onFailure === 'abort' && options.honourAbort) abortedBy ??= { label, why };
        return outcome('failed', g.pending, why);
      }
      if (g.pending)
        log.info(`${label}: the resume owed (${g.pending}) is dropped: the guest was started since`);
      await records.set(g.key, null);
    }

    let hibernateAccepted = false;
    let agentChecked: boolean | null = null;
    let lastWhy = '';
    for (const [i, step] of g.steps.entries()) {
      if (abortedBy)
        return outcome(
          'not reached',
          records.current().get(g.key) ?? null,
          `sleep called off: ${abortedBy.label} failed`,
        );
      if (step.type === 'hibernate' && hibernateAccepted) continue;
      if (i > 0 && lastWhy)
        log.event('info', { kind: 'fallback', subject: label, to: describeStep(step), why: lastWhy });
      await announce(g.key, recordFor(step));
      const result = await runStep(step);
      if (result.done) {
        const record = recordFor(step);
        const res: GuestResult =
          step.type === 'hibernate'
            ? 'hibernated'
            : step.type === 'shutdown'
              ? 'shut down'
              : 'stopped by force';
        log.event(res === 'stopped by force' ? 'warn' : 'info', {
          kind: 'guest-action',
          guest: label,
          action: step.type,
          outcome: 'done',
          detail: result.how,
        });
        return outcome(res, record, result.how);
      }
      if (!result.done && result.accepted) hibernateAccepted = true;
      lastWhy = result.why;
    }
    const why = lastWhy || 'nothing could stop it';
    log.event('error', {
      kind: 'guest-action',
      guest: label,
      action: 'pre-sleep',
      outcome: 'failed',
      detail: why,
    });
    if (g.onFailure === 'abort' && options.honourAbort) abortedBy ??= { label, why };
    return outcome('failed', records.current().get(g.key) ?? null, why);

    async function agentAnswers(): Promise<boolean> {
      if (agentChecked === null) {
        try {
          await ctx.agent.command(g.id, 'ping', Math.min(t.callMs, 5000));
          agentChecked = true;
        } catch {
          agentChecked = false;
        }
      }
      return agentChecked;
    }

    /**
     * Shutdown and forced stop: ask Proxmox, then confirm the guest stopped. A failed call whose guest still
     * runs goes on to the next step at once; one that may have worked anyway is confirmed.
     */
    async function powerOff(
      call: () => Promise<unknown>,
      texts: { failed: string; notStopped: string; confirming: string; how: string },
    ): Promise<StepResult> {
      let failure = '';
      try {
        await call();
      } catch (e) {
        failure = sanitizeForLog(oneLine(errorMessage(e)), 300);
      }
      const why = failure ? `${texts.failed}: ${failure}` : texts.notStopped;
      if (failure && (await readPower(ctx.proxmox, ref)) === 'running') return { done: false, why };
      const w = await waitForStop(ref, label, texts.confirming, t.confirmS, watch);
      return w.stopped ? { done: true, how: texts.how } : { done: false, why };
    }

    async function runStep(step: Step): Promise<StepResult> {
      switch (step.type) {
        case 'hibernate': {
          // The agent's exec and guest-suspend-disk both go through the QEMU guest agent.
          const needsQga = step.via === 'qga' || step.channel === 'guest-exec';
          if (needsQga && !(await agentAnswers()))
            return { done: false, why: 'the QEMU guest agent does not answer' };
          if (step.via === 'agent') {
            const answer = await runAgentCommand(config, ['hibernate'], t.agentMs, ctx);
            if (answer.kind === 'refused') return { done: false, why: `agent: ${answer.why}` };
            if (answer.kind === 'reply' && !answer.reply.success)
              return { done: false, why: `agent: ${sanitizeForLog(answer.reply.message, 200)}` };
            log.event('info', {
              kind: 'guest-action',
              guest: label,
              action: 'hibernate',
              outcome: 'requested',
              detail:
                answer.kind === 'reply'
                  ? `agent: ${answer.reply.message}`
                  : `agent (no answer: ${answer.why})`,
            });
          } else {
            try {
              await ctx.agent.suspendDisk(g.id, t.callMs);
            } catch (e) {
              return {
                done: false,
                why: `guest-suspend-disk: ${sanitizeForLog(oneLine(errorMessage(e)), 200)}`,
              };
            }
            log.event('info', {
              kind: 'guest-action',
              guest: label,
              action: 'hibernate',
              outcome: 'requested',
              detail: 'QEMU guest agent guest-suspend-disk',
            });
          }
          const w = await waitForStop(ref, label, 'hibernation', step.timeoutS, watch);
          if (w.stopped)
            return { done: true, how: step.via === 'agent' ? 'by its agent' : 'by guest-suspend-disk' };
          return {
            done: false,
            accepted: true,
            why: `it did not finish hibernating within ${step.timeoutS} s${w.lingering ? ' (its QEMU process is still there)' : ''}`,
          };
        }
        case 'shutdown':
          log.event('info', { kind: 'guest-action', guest: label, action: 'shutdown', outcome: 'requested' });
          return powerOff(
            () =>
              ctx.proxmox.shutdown(ref, {
                timeoutSeconds: step.timeoutS,
                callTimeoutMs: t.shutdownMs(step.timeoutS),
              }),
            {
              failed: 'shutdown failed',
              notStopped: `it did not shut down within ${step.timeoutS} s`,
              confirming: 'the shutdown to show',
              how: 'gracefully',
            },
          );
        case 'stop':
          log.event('warn', {
            kind: 'guest-action',
            guest: label,
            action: 'stop',
            outcome: 'requested',
            detail: 'forced',
          });
          return powerOff(() => ctx.proxmox.stop(ref, { callTimeoutMs: t.stopMs }), {
            failed: 'forced stop failed',
            notStopped: 'it is still running after a forced stop',
            confirming: 'the forced stop',
            how: 'forced stop',
          });
      }
    }
  };

  const acting = plan.guests.filter((g): g is ActPlan => g.decision === 'act');
  const byKey = new Map<string, GuestOutcome>();
  const results = await mapLimit(acting, plan.parallelism, actOn);
  results.forEach((r) => byKey.set(r.key, r));
  const guests = plan.guests.map(
    (g): GuestOutcome =>
      byKey.get(g.key) ?? {
        key: g.key,
        label: guestLabel(g.kind, g.id, g.name),
        result: 'left',
        record: g.decision === 'leave' ? g.record : null,
        detail:
          g.decision === 'leave'
            ? g.record === 'not_running'
              ? 'not running'
              : g.record === 'kept_running'
                ? 'kept running (keep_running)'
                : g.record === 'ignored'
                  ? 'ignored (ignore)'
                  : `stopped, still owed a resume (${g.record})`
            : '',
        seconds: null,
      },
  );
  return { guests, abortedBy };
}

export function describeStep(step: Step): string {
  switch (step.type) {
    case 'hibernate':
      return step.via === 'agent'
        ? `hibernation by its agent (${step.channel === 'ssh' ? 'ssh' : 'guest exec'})`
        : 'hibernation by guest-suspend-disk';
    case 'shutdown':
      return 'a graceful shutdown';
    case 'stop':
      return 'a forced stop';
  }
}
