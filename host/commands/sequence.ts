/**
 * The sleep sequence commands: sleep-now, pre-sleep, post-wake, hibernate, resume. Each prints what it did
 * (or with --dry-run what it would do) on stdout and logs every step to stderr and SLEEP_MANAGER_LOG.
 * Like the previous release's sleep manager they never refuse to run on a configuration with errors: the
 * invalid values get their fallbacks and are reported, because a sleep hook must not strand guests.
 */
import type { Command } from 'commander';
import { systemClock } from '../../common/clock';
import { EXIT, formatProblem } from '../../common/errors';
import { loadConfig } from '../config';
import type { GlobalOptions, Io } from '../io';
import { createEngine, type Engine } from '../sequence/engine';
import { postWakeSucceeded } from '../sequence/execute-post';
import { preSleepSucceeded } from '../sequence/execute-pre';
import { planPostWake, recordsAfter } from '../sequence/plan';
import { logProgress, terminalProgress } from '../sequence/progress';
import {
  renderPostWakeOutcome,
  renderPostWakePlan,
  renderPreSleepOutcome,
  renderPreSleepPlan,
} from '../sequence/report';
import { sequenceContext } from '../sequence/sleep-sequence';
import { wire, type Wired } from '../wiring';
import { ioSink } from './monitor-common';

interface SequenceOptions {
  dryRun?: boolean;
  hook?: boolean;
}

async function withEngine(
  io: Io,
  globals: GlobalOptions,
  body: (engine: Engine, wired: Wired) => Promise<number>,
): Promise<number> {
  const loaded = loadConfig({ configFile: globals.config, env: io.env });
  const tty = io.isTTY && !globals.json;
  const progress = tty ? terminalProgress((t) => io.stdout(t), systemClock) : undefined;
  const wired = await wire(loaded.config, {
    env: io.env,
    sink: ioSink(io, false),
    logToFile: true,
    lenient: true,
    progress,
  });
  const deps = wired.sequenceDeps;
  if (!progress) deps.progress = logProgress(deps.log, deps.clock);
  for (const p of loaded.problems)
    if (p.severity === 'error')
      deps.log.warn(`configuration: ${formatProblem(p)} (its fallback value is used)`);
  try {
    return await body(createEngine(sequenceContext(deps)), wired);
  } finally {
    deps.progress?.close();
    wired.close();
  }
}

export function registerSequence(program: Command, io: Io, setExit: (code: number) => void): void {
  const json = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  /** The document with --json, else the human text. */
  const show = (globals: GlobalOptions, value: unknown, text: () => string) =>
    globals.json ? json(value) : io.stdout(text());
  /** A run that did not happen: another sequence held the lock, or the hook only took note. */
  const settled = (
    globals: GlobalOptions,
    result: { kind: 'noted' | 'busy'; detail: string },
    busyExit: number = EXIT.failure,
  ): number => {
    if (result.kind === 'noted') {
      show(globals, result, () => `${result.detail}\n`);
      return EXIT.ok;
    }
    io.stderr(`proxmox-sleep: ${result.detail}\n`);
    return busyExit;
  };

  program
    .command('sleep-now')
    .description(
      'put the guests to sleep, suspend the host, and bring the guests back after the wake (0 ok; 1 a guest failed or the host did not sleep)',
    )
    .option('--dry-run', 'print the plan and change nothing')
    .addHelpText(
      'after',
      `
Runs pre-sleep (every guest by its SLEEP_ACTION, SLEEP_PARALLELISM at a time), then \`systemctl suspend\`,
waits for the wake (the kernel's suspended time or the sleep hook's note), then post-wake. No idle check and
no pre-sleep warning: that is what \`tick\` adds.`,
    )
    .action(async (options: SequenceOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      setExit(
        await withEngine(io, globals, async (engine, wired) => {
          if (options.dryRun) {
            const plan = await engine.preSleepPlan();
            const after = planPostWake({
              guests: wired.sequenceDeps.config.guests,
              records: recordsAfter(plan),
              scope: 'all',
              wakeDelayS: wired.sequenceDeps.config.global.wakeDelay,
              sleepParallelism: wired.sequenceDeps.config.global.sleepParallelism,
            });
            if (globals.json) json({ preSleep: plan, suspend: 'systemctl suspend', postWake: after });
            else
              io.stdout(
                `${renderPreSleepPlan(plan)}Then: systemctl suspend, and after the wake:\n${renderPostWakePlan(after)}`,
              );
            return EXIT.ok;
          }
          const result = await engine.sleepCycle('sleep-now');
          if (result.kind === 'busy') return settled(globals, result);
          if (globals.json) json(result);
          else {
            io.stdout(renderPreSleepOutcome(result.preSleep));
            if (result.restarted) io.stdout(renderPostWakeOutcome(result.restarted, 'Started again'));
            if (result.suspend) io.stdout(`Suspend: ${result.suspend.detail}\n`);
            if (result.postWake) io.stdout(renderPostWakeOutcome(result.postWake));
          }
          const ok =
            result.slept &&
            preSleepSucceeded(result.preSleep) &&
            (result.postWake === null || postWakeSucceeded(result.postWake));
          return ok ? EXIT.ok : EXIT.failure;
        }),
      );
    });

  program
    .command('pre-sleep')
    .description(
      'put every guest to sleep before a suspend (the sleep hook unit runs this; exit 0 unless PRE_SLEEP_NONBLOCKING=0)',
    )
    .option('--dry-run', 'print the plan and change nothing')
    .option(
      '--hook',
      'run as the sleep hook unit (ExecStart): when this tool already owns the suspend, only take note',
    )
    .addHelpText(
      'after',
      `
Leaves the run in the "suspend" phase: \`post-wake\` (the hook's ExecStop) brings the guests back. If no suspend
follows within 10 minutes of awake time, the next \`tick\` brings them back. PRE_SLEEP_NONBLOCKING=1 (default)
exits 0 even when a guest failed, so a suspend is never held up; \`hibernate\` reports the real result.`,
    )
    .action(async (options: SequenceOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      setExit(
        await withEngine(io, globals, async (engine, wired) => {
          const nonblocking = wired.sequenceDeps.config.global.preSleepNonblocking;
          if (options.dryRun) {
            const plan = await engine.preSleepPlan();
            show(globals, plan, () => renderPreSleepPlan(plan));
            return EXIT.ok;
          }
          const result = await engine.hookPreSleep({ hook: options.hook ?? false });
          if (result.kind === 'noted' || result.kind === 'busy')
            return settled(globals, result, nonblocking ? EXIT.ok : EXIT.failure);
          if (globals.json) json(result);
          else io.stdout(renderPreSleepOutcome(result.preSleep));
          return nonblocking || preSleepSucceeded(result.preSleep) ? EXIT.ok : EXIT.failure;
        }),
      );
    });

  program
    .command('post-wake')
    .description(
      'after a wake: stamp the wake time, then start every guest this tool stopped (the sleep hook unit runs this; exit 1 if one failed)',
    )
    .option('--dry-run', 'print the plan and change nothing')
    .option(
      '--hook',
      'run as the sleep hook unit (ExecStop): when this tool owns the suspend, only take note',
    )
    .addHelpText(
      'after',
      `
Stamps the wake and clears the idle timers first, waits WAKE_DELAY once, starts the recorded guests
(SLEEP_PARALLELISM at a time), syncs the clock of VMs back from hibernation, and keeps the record of every
guest that did not start, for \`resume\`.`,
    )
    .action(async (options: SequenceOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      setExit(
        await withEngine(io, globals, async (engine) => {
          if (options.dryRun) {
            const plan = await engine.postWakePlan('all', true);
            show(globals, plan, () => renderPostWakePlan(plan));
            return EXIT.ok;
          }
          const result = await engine.postWake({ hook: options.hook ?? false });
          if (result.kind === 'noted' || result.kind === 'busy') return settled(globals, result);
          if (globals.json) json(result);
          else {
            if (result.recovered) io.stdout(`Took over: ${result.recovered}\n`);
            io.stdout(renderPostWakeOutcome(result.postWake));
          }
          return postWakeSucceeded(result.postWake) ? EXIT.ok : EXIT.failure;
        }),
      );
    });

  program
    .command('hibernate')
    .description(
      'put every guest to sleep as pre-sleep does, without suspending the host (exit 1 if a guest failed)',
    )
    .option('--dry-run', 'print the plan and change nothing')
    .addHelpText('after', '\nThe guests stay recorded: `resume` (or the next post-wake) starts them again.')
    .action(async (options: SequenceOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      setExit(
        await withEngine(io, globals, async (engine) => {
          if (options.dryRun) {
            const plan = await engine.preSleepPlan();
            show(globals, plan, () => renderPreSleepPlan(plan));
            return EXIT.ok;
          }
          const result = await engine.hibernate();
          if (result.kind === 'busy') return settled(globals, result);
          if (globals.json) json(result);
          else {
            io.stdout(renderPreSleepOutcome(result.preSleep));
            if (result.restarted) io.stdout(renderPostWakeOutcome(result.restarted, 'Started again'));
          }
          return preSleepSucceeded(result.preSleep) ? EXIT.ok : EXIT.failure;
        }),
      );
    });

  program
    .command('resume')
    .description('start every guest still recorded as stopped by this tool (exit 1 if one failed)')
    .option('--dry-run', 'print the plan and change nothing')
    .addHelpText(
      'after',
      '\nAlso finishes a sleep sequence that was interrupted. No wake stamp and no WAKE_DELAY: nothing woke.',
    )
    .action(async (options: SequenceOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      setExit(
        await withEngine(io, globals, async (engine) => {
          if (options.dryRun) {
            const plan = await engine.postWakePlan('all', false);
            if (globals.json) json(plan);
            else io.stdout(renderPostWakePlan(plan));
            return EXIT.ok;
          }
          const result = await engine.resume();
          if (result.kind === 'busy') return settled(globals, result);
          if (globals.json) json(result);
          else {
            if (result.recovered) io.stdout(`Took over: ${result.recovered}\n`);
            io.stdout(renderPostWakeOutcome(result.postWake, 'Resume'));
          }
          return postWakeSucceeded(result.postWake) ? EXIT.ok : EXIT.failure;
        }),
      );
    });
}
