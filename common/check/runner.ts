/**
 * Runs checks in parallel, each under try/catch and its own timeout on the injected clock. Anything a check
 * throws becomes `unknown` with the message as detail, except UnavailableError (the probe does not exist
 * here: no nvidia-smi, no X server, no systemd-inhibit), which makes the check `unavailable`: warned about
 * once, never counted as activity. A result that is not a well-formed outcome is `unknown` too; an active
 * one without a reason of its own stands for the check's reason.
 */
import type { Clock } from '../clock';
import { UnavailableError, errorMessage } from '../errors';
import type { Level, Logger } from '../log';
import type { Check, CheckContext, CheckOutcome, CheckReport } from './model';

export interface CheckRunnerOptions {
  clock: Clock;
  timeoutMs: number;
  /** Where each result goes as a `check` event, plus the once-only warning for an unavailable check. */
  logger?: Logger;
  /** The level of a result whose state changed since the last run (default info; unchanged ones are debug). */
  changeLevel?: (report: CheckReport) => Level;
}

/** What a run gives every check besides the signal, which the runner aborts when the check's time is up. */
export type RunContext<C extends CheckContext> = Omit<C, 'signal'>;

export interface CheckRunner {
  run<E, C extends CheckContext>(
    checks: readonly Check<E, C>[],
    context: RunContext<C>,
  ): Promise<CheckReport<E>[]>;
}

const STATES: readonly string[] = ['active', 'idle', 'unknown'];

function wellFormed(outcome: unknown): outcome is CheckOutcome {
  if (outcome === null || typeof outcome !== 'object') return false;
  const o = outcome as Record<string, unknown>;
  return (
    typeof o.state === 'string' &&
    STATES.includes(o.state) &&
    typeof o.detail === 'string' &&
    (o.reason === undefined || o.reason === null || typeof o.reason === 'string')
  );
}

/** What a check's run gave, as a report (the runner sets the duration). */
function settle<E>(
  check: { name: string; reason: string },
  result: { outcome: unknown } | { error: unknown },
): CheckReport<E> {
  const id = { name: check.name, checkReason: check.reason, durationMs: 0 };
  if ('outcome' in result) {
    if (wellFormed(result.outcome)) {
      const outcome = result.outcome as CheckOutcome<E>;
      const reason = outcome.reason ?? (outcome.state === 'active' ? check.reason : null);
      return { ...outcome, ...id, reason };
    }
    return { ...id, state: 'unknown', reason: null, detail: 'the check returned a malformed result' };
  }
  const state = result.error instanceof UnavailableError ? 'unavailable' : 'unknown';
  return { ...id, state, reason: null, detail: errorMessage(result.error) };
}

export function createCheckRunner(options: CheckRunnerOptions): CheckRunner {
  const { clock, timeoutMs, logger } = options;
  const unavailable = new Set<string>();
  const lastState = new Map<string, string>();

  const runOne = async <E, C extends CheckContext>(check: Check<E, C>, context: RunContext<C>) => {
    const started = clock.now();
    const limitMs = check.timeoutMs ?? timeoutMs;
    const controller = new AbortController();
    let timer: unknown;
    const timeout = new Promise<CheckOutcome>((resolve) => {
      timer = clock.setTimeout(() => {
        controller.abort(new Error(`timed out after ${limitMs / 1000}s`));
        resolve({ state: 'unknown', reason: null, detail: `timed out after ${limitMs / 1000}s` });
      }, limitMs);
    });
    let report: CheckReport<E>;
    try {
      const ctx = { ...context, signal: controller.signal } as C;
      report = settle(check, { outcome: await Promise.race([check.run(ctx), timeout]) });
    } catch (error) {
      report = settle(check, { error });
    } finally {
      clock.clearTimeout(timer);
    }
    report.durationMs = Math.max(0, clock.now() - started);
    note(report);
    return report;
  };

  const note = (report: CheckReport) => {
    if (!logger) return;
    if (report.state === 'unavailable') {
      if (!unavailable.has(report.name)) {
        unavailable.add(report.name);
        logger.warn(`check ${report.name} is not available on this system and is left out: ${report.detail}`);
      }
      return;
    }
    if (unavailable.delete(report.name)) logger.info(`check ${report.name} is available again`);
    const previous = lastState.get(report.name);
    lastState.set(report.name, report.state);
    const level = previous === report.state ? 'debug' : (options.changeLevel?.(report) ?? 'info');
    logger.event(level, { kind: 'check', check: report.name, state: report.state, detail: report.detail });
  };

  return {
    run: (checks, context) => Promise.all(checks.map((check) => runOne(check, context))),
  };
}
