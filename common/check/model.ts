/**
 * The signal model shared by the agent and the host. A check measures one signal and reports `active`,
 * `idle` or `unknown`; only a policy decides what that means. Each check lives in its own file and is built
 * by a factory `create(config, deps)` that validates its configuration and returns `{name, reason, run}`.
 * The runner (runner.ts) adds `unavailable`: the probe does not exist here, which is never activity.
 */
import type { CheckState } from '../../protocol/status';

export type { CheckState };

/** A check's state as the runner reports it. */
export type ReportState = CheckState | 'unavailable';

export interface CheckContext {
  /** Aborted when the check's time is up; probes pass it to the commands they start. */
  signal: AbortSignal;
  /** Milliseconds since the epoch when this evaluation started (from the caller's clock). */
  now: number;
}

export interface CheckOutcome<E = unknown> {
  state: CheckState;
  /**
   * The reason when active (`gpu_active`, `process:steam` …); left out, the check's own `reason`. An
   * `unknown` outcome may name the reason it stands for when a policy counts it as active.
   */
  reason?: string | null;
  /** Every reason when the check found more than one (e.g. two configured processes running). */
  reasons?: string[];
  /** One line for people: what was measured against what. */
  detail: string;
  /** What was measured, in the caller's shape (the agent: its status `details`; the host: what `status` shows). */
  evidence?: E;
}

export interface Check<E = unknown, C extends CheckContext = CheckContext> {
  /** Stable, unique name, as shown in `checks[]` and in `status`. */
  readonly name: string;
  /** The reason this check stands for (`user_input`, `pty_session` …), for a policy that counts `unknown`. */
  readonly reason: string;
  /** Overrides the runner's timeout (custom commands bring their own). */
  readonly timeoutMs?: number;
  run(ctx: C): Promise<CheckOutcome<E>>;
  /** Releases long-lived resources (D-Bus connections, child processes). */
  close?(): Promise<void>;
}

/** One check's result, as the runner hands it to a policy. */
export interface CheckReport<E = unknown> extends Omit<CheckOutcome<E>, 'state' | 'reason'> {
  name: string;
  reason: string | null;
  /** The reason the check stands for (see Check.reason). */
  checkReason: string;
  state: ReportState;
  durationMs: number;
}

export const active = <E>(reason: string, detail: string, evidence?: E): CheckOutcome<E> => ({
  state: 'active',
  reason,
  detail,
  evidence,
});

export const idle = <E>(detail: string, evidence?: E): CheckOutcome<E> => ({
  state: 'idle',
  reason: null,
  detail,
  evidence,
});

export const unknown = <E>(detail: string, evidence?: E): CheckOutcome<E> => ({
  state: 'unknown',
  reason: null,
  detail,
  evidence,
});
