/**
 * The monitor step `tick` (and each step of the daemon): finish an interrupted sleep sequence, evaluate,
 * remember the timers, write the metrics, and hand over to the sleep sequence when sleep is due.
 */
import { errorMessage } from '../../common/errors';
import type { HostConfig } from '../config';
import { label } from '../policy';
import type { SleepOutcome } from '../sequence';
import { evaluate, type Evaluation, type MonitorDeps } from './evaluate';
import { writeMetrics } from './metrics';

export interface TickResult extends Evaluation {
  sequence: SleepOutcome | null;
  /** What was done about an interrupted sleep sequence before this step, if anything. */
  recovered: string | null;
}

export async function tick(
  config: HostConfig,
  deps: MonitorDeps,
  options: { dryRun?: boolean } = {},
): Promise<TickResult> {
  const recovered = options.dryRun ? null : await recoverFirst(deps);
  const evaluation = await evaluate(config, deps);
  const { decision, loaded, now } = evaluation;
  for (const p of loaded.problems) deps.log.warn(p);
  for (const n of decision.verdict.notes) deps.log.info(n);
  for (const g of decision.verdict.guests) for (const n of g.notes) deps.log.debug(`${label(g)}: ${n}`);
  await remember(deps, evaluation);
  const wakeCorrupt = loaded.problems.some((p) => p.includes('idle-monitor.wake') && p.includes('corrupt'));
  if (wakeCorrupt && decision.next.lastWake === null)
    await deps.store
      .repairWake(now)
      .catch((e) => deps.log.error(`cannot repair the wake file: ${errorMessage(e)}`));
  if (config.global.metricsFile) {
    await writeMetrics(config.global.metricsFile, decision.verdict, now).catch((e) =>
      deps.log.warn(`cannot write METRICS_FILE ${config.global.metricsFile}: ${errorMessage(e)}`),
    );
  }
  const sequence = decision.verdict.sleepDue
    ? await deps.sequence.run({
        verdict: decision.verdict,
        now,
        dryRun: options.dryRun ?? false,
        recheck: async () => {
          const again = await evaluate(config, deps);
          await remember(deps, again);
          return { sleepDue: again.decision.verdict.sleepDue, reasons: again.decision.reasons };
        },
      })
    : null;
  return { ...evaluation, sequence, recovered };
}

/** A sleep sequence killed half-way (kill -9, power loss) is finished first: its guests come back. */
async function recoverFirst(deps: MonitorDeps): Promise<string | null> {
  if (!deps.sequence.recover) return null;
  try {
    const recovered = await deps.sequence.recover();
    if (recovered) deps.log.warn(`interrupted sleep sequence: ${recovered}`);
    return recovered;
  } catch (e) {
    deps.log.error(`cannot finish an interrupted sleep sequence: ${errorMessage(e)}`);
    return null;
  }
}

/** Logs the verdict and saves the timers (and the guests' OS cache). */
async function remember(deps: MonitorDeps, evaluation: Evaluation): Promise<void> {
  const { decision, loaded } = evaluation;
  deps.log.event('info', { kind: 'verdict', maySleep: decision.verdict.sleepDue, reasons: decision.reasons });
  await deps.store
    .save(decision.next, deps.osCache.entries(), loaded.state.lastWake)
    .catch((e) => deps.log.error(`cannot save the idle timers: ${errorMessage(e)}`));
}
