/**
 * Runs every check in parallel, each under try/catch and its own timeout on the injected clock. Anything a
 * check throws becomes `unknown` with the message as detail, except UnavailableError (the probe does not
 * exist on this guest: no nvidia-smi, no X server), which makes the check `unavailable`: it is left out of
 * the status and warned about once, never counted as activity.
 */
import type { Clock } from '../../common/clock';
import { UnavailableError, errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Check, CheckOutcome, CheckState } from './check';

export interface CheckReport extends Omit<CheckOutcome, 'state'> {
  name: string;
  /** The reason the check stands for (see Check.reason). */
  checkReason: string;
  state: CheckState | 'unavailable';
  durationMs: number;
}

export interface CheckRunnerOptions {
  clock: Clock;
  timeoutMs: number;
  logger?: Logger;
}

export interface CheckRunner {
  run(checks: readonly Check[], now: number): Promise<CheckReport[]>;
}

const STATES: readonly string[] = ['active', 'idle', 'unknown'];

function wellFormed(outcome: unknown): outcome is CheckOutcome {
  if (outcome === null || typeof outcome !== 'object') return false;
  const o = outcome as Record<string, unknown>;
  return (
    typeof o.state === 'string' &&
    STATES.includes(o.state) &&
    typeof o.detail === 'string' &&
    (o.state !== 'active' || typeof o.reason === 'string')
  );
}

export function createCheckRunner(options: CheckRunnerOptions): CheckRunner {
  const { clock, timeoutMs, logger } = options;
  const unavailable = new Set<string>();
  const lastState = new Map<string, string>();

  const runOne = async (check: Check, now: number): Promise<CheckReport> => {
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
    let report: CheckReport;
    try {
      const outcome: unknown = await Promise.race([check.run({ signal: controller.signal, now }), timeout]);
      report = wellFormed(outcome)
        ? { ...outcome, name: check.name, checkReason: check.reason, durationMs: 0 }
        : {
            name: check.name,
            checkReason: check.reason,
            state: 'unknown',
            reason: null,
            detail: 'the check returned a malformed result',
            durationMs: 0,
          };
    } catch (e) {
      const detail = errorMessage(e);
      report =
        e instanceof UnavailableError
          ? {
              name: check.name,
              checkReason: check.reason,
              state: 'unavailable',
              reason: null,
              detail,
              durationMs: 0,
            }
          : {
              name: check.name,
              checkReason: check.reason,
              state: 'unknown',
              reason: null,
              detail,
              durationMs: 0,
            };
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
    } else if (unavailable.delete(report.name)) {
      logger.info(`check ${report.name} is available again`);
    }
    const previous = lastState.get(report.name);
    lastState.set(report.name, report.state);
    if (report.state !== 'unavailable') {
      const event = {
        kind: 'check' as const,
        check: report.name,
        state: report.state,
        detail: report.detail,
      };
      logger.event(previous === report.state ? 'debug' : 'info', event);
    }
  };

  return {
    run: (checks, now) => Promise.all(checks.map((check) => runOne(check, now))),
  };
}
