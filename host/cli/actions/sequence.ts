/**
 * What the sleep sequence commands do (sleep-now, pre-sleep, post-wake, hibernate, resume), loaded when one
 * of them runs. Each prints what it did (or with --dry-run what it would do) on stdout and logs every step to
 * stderr and SLEEP_MANAGER_LOG. Like the previous release's sleep manager they never refuse to run on a
 * configuration with errors: the invalid values get their fallbacks and are reported, because a sleep hook
 * must not strand guests.
 */
import { EXIT, formatProblem } from '../../../common/errors';
import { createSequence, postWakeSucceeded, preSleepSucceeded, type Sequence } from '../../sequence';
import { printJson, type GlobalOptions, type Io } from '../io';
import { withPrepared, type Prepared } from '../prepare';
import {
  renderPostWakeOutcome,
  renderPostWakePlan,
  renderPreSleepOutcome,
  renderPreSleepPlan,
} from '../render-sequence';

export interface SequenceOptions {
  dryRun?: boolean;
  hook?: boolean;
}

interface Run {
  io: Io;
  globals: GlobalOptions;
  sequence: Sequence;
  prepared: Prepared;
}

/** Wires the sequence (progress on a terminal, else as log lines), warns about configuration errors, runs `body`. */
function withSequence(io: Io, globals: GlobalOptions, body: (run: Run) => Promise<number>): Promise<number> {
  const terminal = io.isTTY && !globals.json;
  const progress = terminal ? { terminal: (t: string) => io.stdout(t) } : ('log' as const);
  return withPrepared(io, globals, { strict: false, logToFile: true, progress }, (prepared) => {
    const ctx = prepared.wired.sequenceContext;
    for (const p of prepared.loaded.problems)
      if (p.severity === 'error')
        ctx.log.warn(`configuration: ${formatProblem(p)} (its fallback value is used)`);
    return body({ io, globals, sequence: createSequence(ctx), prepared });
  });
}

/** The document with --json, else the human text. */
function show(run: Run, value: unknown, text: () => string): void {
  if (run.globals.json) printJson(run.io, value);
  else run.io.stdout(text());
}

/** A run that did not happen: another sequence held the lock, or the hook only took note. */
function settled(
  run: Run,
  result: { kind: 'noted' | 'busy'; detail: string },
  busyExit: number = EXIT.failure,
) {
  if (result.kind === 'noted') {
    show(run, result, () => `${result.detail}\n`);
    return EXIT.ok;
  }
  run.io.stderr(`proxmox-sleep: ${result.detail}\n`);
  return busyExit;
}

export const sleepNow = (io: Io, globals: GlobalOptions, options: SequenceOptions) =>
  withSequence(io, globals, async (run) => {
    if (options.dryRun) {
      const plan = await run.sequence.sleepNowPlan();
      show(
        run,
        { preSleep: plan.preSleep, suspend: 'systemctl suspend', postWake: plan.postWake },
        () =>
          `${renderPreSleepPlan(plan.preSleep)}Then: systemctl suspend, and after the wake:\n${renderPostWakePlan(plan.postWake)}`,
      );
      return EXIT.ok;
    }
    const result = await run.sequence.sleepCycle('sleep-now');
    if (result.kind === 'busy') return settled(run, result);
    show(run, result, () =>
      [
        renderPreSleepOutcome(result.preSleep),
        result.restarted ? renderPostWakeOutcome(result.restarted, 'Started again') : '',
        result.suspend ? `Suspend: ${result.suspend.detail}\n` : '',
        result.postWake ? renderPostWakeOutcome(result.postWake) : '',
      ].join(''),
    );
    const ok =
      result.slept &&
      preSleepSucceeded(result.preSleep) &&
      (result.postWake === null || postWakeSucceeded(result.postWake));
    return ok ? EXIT.ok : EXIT.failure;
  });

export const preSleep = (io: Io, globals: GlobalOptions, options: SequenceOptions) =>
  withSequence(io, globals, async (run) => {
    const nonblocking = run.prepared.loaded.config.global.preSleepNonblocking;
    if (options.dryRun) {
      const plan = await run.sequence.preSleepPlan();
      show(run, plan, () => renderPreSleepPlan(plan));
      return EXIT.ok;
    }
    const result = await run.sequence.hookPreSleep({ hook: options.hook ?? false });
    if (result.kind === 'noted' || result.kind === 'busy')
      return settled(run, result, nonblocking ? EXIT.ok : EXIT.failure);
    show(run, result, () => renderPreSleepOutcome(result.preSleep));
    return nonblocking || preSleepSucceeded(result.preSleep) ? EXIT.ok : EXIT.failure;
  });

export const postWake = (io: Io, globals: GlobalOptions, options: SequenceOptions) =>
  withSequence(io, globals, async (run) => {
    if (options.dryRun) {
      const plan = await run.sequence.postWakePlan('all', true);
      show(run, plan, () => renderPostWakePlan(plan));
      return EXIT.ok;
    }
    const result = await run.sequence.postWake({ hook: options.hook ?? false });
    if (result.kind === 'noted' || result.kind === 'busy') return settled(run, result);
    show(
      run,
      result,
      () =>
        `${result.recovered ? `Took over: ${result.recovered}\n` : ''}${renderPostWakeOutcome(result.postWake)}`,
    );
    return postWakeSucceeded(result.postWake) ? EXIT.ok : EXIT.failure;
  });

export const hibernate = (io: Io, globals: GlobalOptions, options: SequenceOptions) =>
  withSequence(io, globals, async (run) => {
    if (options.dryRun) {
      const plan = await run.sequence.preSleepPlan();
      show(run, plan, () => renderPreSleepPlan(plan));
      return EXIT.ok;
    }
    const result = await run.sequence.hibernate();
    if (result.kind === 'busy') return settled(run, result);
    show(
      run,
      result,
      () =>
        `${renderPreSleepOutcome(result.preSleep)}${result.restarted ? renderPostWakeOutcome(result.restarted, 'Started again') : ''}`,
    );
    return preSleepSucceeded(result.preSleep) ? EXIT.ok : EXIT.failure;
  });

export const resume = (io: Io, globals: GlobalOptions, options: SequenceOptions) =>
  withSequence(io, globals, async (run) => {
    if (options.dryRun) {
      const plan = await run.sequence.postWakePlan('all', false);
      show(run, plan, () => renderPostWakePlan(plan));
      return EXIT.ok;
    }
    const result = await run.sequence.resume();
    if (result.kind === 'busy') return settled(run, result);
    show(
      run,
      result,
      () =>
        `${result.recovered ? `Took over: ${result.recovered}\n` : ''}${renderPostWakeOutcome(result.postWake, 'Resume')}`,
    );
    return postWakeSucceeded(result.postWake) ? EXIT.ok : EXIT.failure;
  });
