/**
 * The monitor step: observe → decide → (tick only) remember, write metrics, hand over to the sleep sequence.
 * `evaluate` never writes anything, so `check` and `status` can use it freely.
 */
import type { Clock } from '../../common/clock';
import { errorMessage } from '../../common/errors';
import type { HostConfig } from '../config';
import { decide, label, type Decision, type Observations } from '../policy';
import type { SleepOutcome, SleepSequence } from '../sequence/entry';
import type { LoadedMonitorState, MonitorStateStore } from '../state';
import type { memoryOsCache } from '../transport';
import { writeMetrics } from './metrics';
import { observe, type ObservationTimings, type ObserveDeps } from './observe';
import { policyConfigFrom } from './policy-config';

export interface MonitorDeps extends ObserveDeps {
  clock: Clock;
  store: MonitorStateStore;
  osCache: ReturnType<typeof memoryOsCache>;
  sequence: SleepSequence;
}

export interface Evaluation {
  decision: Decision;
  observations: Observations;
  timings: ObservationTimings;
  loaded: LoadedMonitorState;
  now: number;
}

export async function evaluate(config: HostConfig, deps: MonitorDeps): Promise<Evaluation> {
  const loaded = await deps.store.load();
  for (const [key, os] of Object.entries(loaded.guestOs))
    if (!deps.osCache.get(key)) deps.osCache.set(key, os);
  const { observations, timings } = await observe(config, deps);
  const now = deps.clock.now();
  const decision = decide(observations, policyConfigFrom(config), now, loaded.state);
  return { decision, observations, timings, loaded, now };
}

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
  const log = deps.log;
  // A sleep sequence killed half-way (kill -9, power loss) is finished first: its guests come back.
  let recovered: string | null = null;
  if (!options.dryRun && deps.sequence.recover) {
    try {
      recovered = await deps.sequence.recover();
      if (recovered) log.warn(`interrupted sleep sequence: ${recovered}`);
    } catch (e) {
      log.error(`cannot finish an interrupted sleep sequence: ${errorMessage(e)}`);
    }
  }
  const evaluation = await evaluate(config, deps);
  const { decision, loaded, now } = evaluation;
  for (const p of loaded.problems) log.warn(p);
  for (const n of decision.verdict.notes) log.info(n);
  for (const g of decision.verdict.guests) for (const n of g.notes) log.debug(`${label(g)}: ${n}`);
  log.event('info', { kind: 'verdict', maySleep: decision.verdict.sleepDue, reasons: decision.reasons });
  try {
    await deps.store.save(decision.next, deps.osCache.entries(), loaded.state.lastWake);
    if (
      loaded.problems.some((p) => p.includes('idle-monitor.wake') && p.includes('corrupt')) &&
      decision.next.lastWake === null
    )
      await deps.store.repairWake(now);
  } catch (e) {
    log.error(`cannot save the idle timers: ${errorMessage(e)}`);
  }
  if (config.global.metricsFile) {
    await writeMetrics(config.global.metricsFile, decision.verdict, now).catch((e) =>
      log.warn(`cannot write METRICS_FILE ${config.global.metricsFile}: ${errorMessage(e)}`),
    );
  }
  let sequence: SleepOutcome | null = null;
  if (decision.verdict.sleepDue) {
    sequence = await deps.sequence.run({
      verdict: decision.verdict,
      now,
      dryRun: options.dryRun ?? false,
      recheck: async () => {
        const again = await evaluate(config, deps);
        log.event('info', {
          kind: 'verdict',
          maySleep: again.decision.verdict.sleepDue,
          reasons: again.decision.reasons,
        });
        await deps.store
          .save(again.decision.next, deps.osCache.entries(), again.loaded.state.lastWake)
          .catch((e) => log.error(`cannot save the idle timers: ${errorMessage(e)}`));
        return { sleepDue: again.decision.verdict.sleepDue, reasons: again.decision.reasons };
      },
    });
  }
  return { ...evaluation, sequence, recovered };
}
