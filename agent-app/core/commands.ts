/**
 * The agent's commands besides `status`: hibernate / shutdown (answer first, then act), notify and block.
 * Each answers with the protocol's reply envelope `{"success": …, "message": …}`; how the reply reaches
 * the host (stdout for the CLI, IPC for the tray) is the caller's business.
 */
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Reply } from '../../protocol/commands';

export type PowerAction = 'hibernate' | 'shutdown';

export interface PowerActions {
  /** Null when the action can be attempted here, else why not (tool missing …). */
  precheck(action: PowerAction): Promise<string | null>;
  /** Carries the action out; resolves when the OS has accepted it. */
  perform(action: PowerAction): Promise<void>;
}

export interface Notifier {
  /** Shows a pre-sleep warning; resolves with one sentence on what was done. Never throws. */
  notify(message: string, seconds: number): Promise<{ delivered: boolean; detail: string }>;
}

const INITIATED: Record<PowerAction, string> = {
  hibernate: 'Hibernation initiated',
  shutdown: 'Shutdown initiated',
};

/**
 * Answers, then acts: the host gets its reply line before the guest goes away. Returns the exit code: 0
 * when the OS accepted the action, 1 when it could not be started (the reply then says so, or — for a
 * failure after the reply — the log does).
 */
export async function runPowerAction(
  action: PowerAction,
  deps: { actions: PowerActions; reply: (reply: Reply) => Promise<void>; logger?: Logger },
): Promise<number> {
  const problem = await deps.actions.precheck(action);
  if (problem !== null) {
    await deps.reply({ success: false, message: `Cannot ${action}: ${problem}` });
    return 1;
  }
  await deps.reply({ success: true, message: INITIATED[action] });
  try {
    await deps.actions.perform(action);
    deps.logger?.info(`${action}: the OS accepted the request`);
    return 0;
  } catch (e) {
    deps.logger?.error(`${action} failed after it was acknowledged: ${errorMessage(e)}`);
    return 1;
  }
}

export async function runNotify(
  message: string,
  seconds: number,
  deps: { notifier: Notifier; logger?: Logger },
): Promise<Reply> {
  deps.logger?.info(`notify (${seconds}s): ${message}`);
  const outcome = await deps.notifier.notify(message, seconds);
  return { success: outcome.delivered, message: outcome.detail };
}
