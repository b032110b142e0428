/** What `check`, `status`, `tick`, `daemon` and `reset` do, loaded when one of them runs. */
import { EXIT } from '../../../common/errors';
import { loadConfig } from '../../config';
import { runDaemon } from '../../monitor/daemon';
import { evaluate } from '../../monitor/evaluate';
import { tick } from '../../monitor/tick';
import { duration } from '../../policy';
import { readSleepSummary } from '../../sequence';
import { wireStores } from '../../wiring';
import { printJson, type GlobalOptions, type Io } from '../io';
import { withPrepared } from '../prepare';
import { checkJson, statusJson } from '../render-json';
import { renderCheckText, renderStatusText } from '../render-text';
import { buildReport } from '../report';

export const check = (io: Io, globals: GlobalOptions): Promise<number> =>
  withPrepared(io, globals, { strict: true, quiet: true }, async ({ loaded, wired }) => {
    const evaluation = await evaluate(loaded.config, wired);
    const report = buildReport(loaded, wired, evaluation);
    if (globals.json) printJson(io, checkJson(report));
    else io.stdout(renderCheckText(report));
    return evaluation.decision.verdict.idleNow ? EXIT.ok : EXIT.failure;
  });

export const status = (io: Io, globals: GlobalOptions): Promise<number> =>
  withPrepared(io, globals, { strict: false, quiet: true }, async ({ loaded, wired }) => {
    const evaluation = await evaluate(loaded.config, wired);
    const report = buildReport(loaded, wired, evaluation);
    report.sleep = await readSleepSummary(wired.sequenceContext);
    report.warnings.push(...report.sleep.problems);
    if (globals.json) printJson(io, statusJson(report));
    else io.stdout(renderStatusText(report));
    return EXIT.ok;
  });

export const tickOnce = (io: Io, globals: GlobalOptions, options: { dryRun?: boolean }): Promise<number> =>
  withPrepared(io, globals, { strict: true, logToFile: true }, async ({ loaded, wired }) => {
    const result = await tick(loaded.config, wired, { dryRun: options.dryRun });
    const v = result.decision.verdict;
    if (globals.json)
      printJson(io, {
        idle: v.idleNow,
        sleep_due: v.sleepDue,
        countdown_seconds: v.countdownSeconds,
        awake_reasons: result.decision.reasons,
        sequence: result.sequence,
        recovered: result.recovered,
      });
    else if (v.sleepDue) io.stdout(`sleep was due${result.sequence ? `: ${result.sequence.detail}` : ''}\n`);
    else if (v.countdownSeconds !== null) io.stdout(`idle: sleep in ${duration(v.countdownSeconds)}\n`);
    else io.stdout(`awake: ${result.decision.reasons.join('; ') || 'auto-sleep is disabled'}\n`);
    return EXIT.ok;
  });

export const daemon = (
  io: Io,
  globals: GlobalOptions,
  options: { maxTicks?: number; dryRun?: boolean },
): Promise<number> =>
  withPrepared(io, globals, { strict: true, logToFile: true }, async ({ loaded, wired }) => {
    await runDaemon({
      intervalMs: loaded.config.global.checkInterval * 1000,
      clock: wired.clock,
      log: wired.log,
      maxTicks: options.maxTicks,
      signals: process,
      tick: () => tick(loaded.config, wired, { dryRun: options.dryRun }),
    });
    return EXIT.ok;
  });

export async function reset(io: Io, globals: GlobalOptions): Promise<number> {
  const { config } = loadConfig({ configFile: globals.config, env: io.env });
  await wireStores(config.stateDir).store.reset(Date.now());
  io.stdout(`idle countdown restarted (${config.stateDir})\n`);
  return EXIT.ok;
}
