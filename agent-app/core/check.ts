/**
 * The check interface. A check measures one signal and reports `active`, `idle` or `unknown`; only the
 * policy decides what that means for the guest. Each check lives in its own file under `checks/` and is
 * built by a factory `create(config, deps)` that validates its configuration and returns `{name, run}`.
 */
import type { StatusDetails } from '../../protocol/status';

export type CheckState = 'active' | 'idle' | 'unknown';

export interface CheckContext {
  /** Aborted when the check's time is up; probes pass it to the commands they start. */
  signal: AbortSignal;
  /** Milliseconds since the epoch when this evaluation started (from the agent's clock). */
  now: number;
}

export interface CheckOutcome {
  state: CheckState;
  /** The protocol reason when active (`gpu_active`, `process:steam` …); null otherwise. */
  reason: string | null;
  /** Every reason when the check found more than one (e.g. two configured processes running). */
  reasons?: string[];
  /** One line for people: what was measured against what. */
  detail: string;
  /** Measured values for the status `details` object. */
  details?: Partial<StatusDetails>;
}

export interface Check {
  /** Stable, unique name as shown in the status `checks[]` list. */
  readonly name: string;
  /**
   * The reason this check stands for (`user_input`, `gpu_active` …). Used when the agent's policy counts an
   * `unknown` result as active.
   */
  readonly reason: string;
  /** Overrides the agent's per-check timeout (custom commands bring their own). */
  readonly timeoutMs?: number;
  run(ctx: CheckContext): Promise<CheckOutcome>;
  /** Releases long-lived resources (D-Bus connections, child processes). */
  close?(): Promise<void>;
}

export const active = (reason: string, detail: string, details?: Partial<StatusDetails>): CheckOutcome => ({
  state: 'active',
  reason,
  detail,
  details,
});

export const idle = (detail: string, details?: Partial<StatusDetails>): CheckOutcome => ({
  state: 'idle',
  reason: null,
  detail,
  details,
});

export const unknown = (detail: string, details?: Partial<StatusDetails>): CheckOutcome => ({
  state: 'unknown',
  reason: null,
  detail,
  details,
});
