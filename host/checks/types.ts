/**
 * Host-level checks. One check = one file exporting a factory; `run` only measures and returns
 * {state, reason, detail}. `runCheck` wraps every call: a throw or a timeout becomes `unknown`.
 * Unknown host checks never keep the host awake (the previous release's rule), but they are shown and logged.
 */
import type { CheckState, HostCheckResult } from '../policy';

export interface CheckOutcome {
  state: CheckState;
  detail: string;
}

export interface CheckContext {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface HostCheck {
  /** Shown in `status` and logs, e.g. `pty sessions`. */
  readonly name: string;
  /** Stable reason word when active, e.g. `pty_session`. */
  readonly reason: string;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export async function runCheck(check: HostCheck, ctx: CheckContext): Promise<HostCheckResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await Promise.race([
      check.run(ctx),
      new Promise<CheckOutcome>((resolve) => {
        timer = setTimeout(
          () => resolve({ state: 'unknown', detail: `no result within ${ctx.timeoutMs} ms` }),
          ctx.timeoutMs,
        );
      }),
    ]);
    return { name: check.name, reason: check.reason, ...outcome };
  } catch (e) {
    return {
      name: check.name,
      reason: check.reason,
      state: 'unknown',
      detail: e instanceof Error ? e.message : String(e),
    };
  } finally {
    clearTimeout(timer);
  }
}
