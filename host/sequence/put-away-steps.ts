/**
 * The steps that put one running guest away (plan.ts `Step`): hibernation by its agent or by the QEMU
 * guest agent's guest-suspend-disk, a graceful shutdown, a forced stop. Each asks, then waits until the guest
 * is confirmed stopped; it says how it went, or why it did not.
 */
import { errorMessage } from '../../common/errors';
import { sanitizeForLog } from '../../common/sanitize';
import type { GuestConfig } from '../config';
import type { GuestRef } from '../proxmox/types';
import { callTimeouts, oneLine, type SequenceContext } from './context';
import type { ActPlan, Step } from './plan';
import { readPower, waitForStop, watchDepsOf, type WatchDeps } from './power-watch';

export type StepResult = { done: true; how: string } | { done: false; why: string; accepted?: boolean };

/** One guest being put away: what every step needs. */
export interface GuestRun {
  ctx: SequenceContext;
  plan: ActPlan;
  config: GuestConfig;
  ref: GuestRef;
  label: string;
  timeouts: ReturnType<typeof callTimeouts>;
  watch: WatchDeps;
  /** Whether the QEMU guest agent answers a ping (asked once per guest). */
  qgaAnswers(): Promise<boolean>;
}

export function guestRun(ctx: SequenceContext, plan: ActPlan, config: GuestConfig, label: string): GuestRun {
  const timeouts = callTimeouts(ctx.config.global);
  let answers: Promise<boolean> | null = null;
  return {
    ctx,
    plan,
    config,
    ref: { kind: plan.kind, id: plan.id },
    label,
    timeouts,
    watch: watchDepsOf(ctx),
    qgaAnswers: () =>
      (answers ??= ctx.agent.command(plan.id, 'ping', Math.min(timeouts.callMs, 5000)).then(
        () => true,
        () => false,
      )),
  };
}

export function runStep(run: GuestRun, step: Step): Promise<StepResult> {
  switch (step.type) {
    case 'hibernate':
      return hibernate(run, step);
    case 'shutdown':
      run.ctx.log.event('info', {
        kind: 'guest-action',
        guest: run.label,
        action: 'shutdown',
        outcome: 'requested',
      });
      return powerOff(
        run,
        () =>
          run.ctx.proxmox.shutdown(run.ref, {
            timeoutSeconds: step.timeoutS,
            callTimeoutMs: run.timeouts.shutdownMs(step.timeoutS),
          }),
        {
          failed: 'shutdown failed',
          notStopped: `it did not shut down within ${step.timeoutS} s`,
          confirming: 'the shutdown to show',
          how: 'gracefully',
        },
      );
    case 'stop':
      run.ctx.log.event('warn', {
        kind: 'guest-action',
        guest: run.label,
        action: 'stop',
        outcome: 'requested',
        detail: 'forced',
      });
      return powerOff(run, () => run.ctx.proxmox.stop(run.ref, { callTimeoutMs: run.timeouts.stopMs }), {
        failed: 'forced stop failed',
        notStopped: 'it is still running after a forced stop',
        confirming: 'the forced stop',
        how: 'forced stop',
      });
  }
}

async function hibernate(run: GuestRun, step: Extract<Step, { type: 'hibernate' }>): Promise<StepResult> {
  // The agent's exec and guest-suspend-disk both go through the QEMU guest agent.
  const needsQga = step.via === 'qga' || step.channel === 'guest-exec';
  if (needsQga && !(await run.qgaAnswers()))
    return { done: false, why: 'the QEMU guest agent does not answer' };
  const asked = step.via === 'agent' ? await askAgent(run) : await askQga(run);
  if (asked) return { done: false, why: asked };
  const w = await waitForStop(run.ref, run.label, 'hibernation', step.timeoutS, run.watch);
  if (w.stopped) return { done: true, how: step.via === 'agent' ? 'by its agent' : 'by guest-suspend-disk' };
  return {
    done: false,
    accepted: true,
    why: `it did not finish hibernating within ${step.timeoutS} s${w.lingering ? ' (its QEMU process is still there)' : ''}`,
  };
}

/** The agent's `hibernate`; null when it was sent (or may have been), else why not. */
async function askAgent(run: GuestRun): Promise<string | null> {
  const answer = await run.ctx.channels(run.config).command(['hibernate'], run.timeouts.agentMs);
  if (answer.kind === 'refused') return `agent: ${answer.why}`;
  if (answer.kind === 'reply' && !answer.reply.success)
    return `agent: ${sanitizeForLog(answer.reply.message, 200)}`;
  requested(
    run,
    answer.kind === 'reply' ? `agent: ${answer.reply.message}` : `agent (no answer: ${answer.why})`,
  );
  return null;
}

/** The QEMU guest agent's guest-suspend-disk; null when it was sent, else why not. */
async function askQga(run: GuestRun): Promise<string | null> {
  try {
    await run.ctx.agent.suspendDisk(run.plan.id, run.timeouts.callMs);
  } catch (e) {
    return `guest-suspend-disk: ${sanitizeForLog(oneLine(errorMessage(e)), 200)}`;
  }
  requested(run, 'QEMU guest agent guest-suspend-disk');
  return null;
}

function requested(run: GuestRun, detail: string): void {
  run.ctx.log.event('info', {
    kind: 'guest-action',
    guest: run.label,
    action: 'hibernate',
    outcome: 'requested',
    detail,
  });
}

/**
 * Shutdown and forced stop: ask Proxmox, then confirm the guest stopped. A failed call whose guest still
 * runs goes on to the next step at once; one that may have worked anyway is confirmed.
 */
async function powerOff(
  run: GuestRun,
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
  if (failure && (await readPower(run.ctx.proxmox, run.ref)) === 'running') return { done: false, why };
  const w = await waitForStop(run.ref, run.label, texts.confirming, run.timeouts.confirmS, run.watch);
  return w.stopped ? { done: true, how: texts.how } : { done: false, why };
}
