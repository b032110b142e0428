/**
 * Setting or clearing a persisted setting (the block, the wake time) from a request: build it, save it, log
 * it, and say what happened. The outcome says whether a failure came from the request or from saving,
 * since the CLI answers those with different exit codes (64 and 1).
 */
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Reply } from '../../protocol/commands';
import type { StateFile } from './state-file';

export type SettingOutcome = { reply: Reply; failed: null } | { reply: Reply; failed: 'arguments' | 'write' };

/** One kind of setting: how a request becomes it and how it is told. */
export interface SettingKind<R, T> {
  /** What is saved, for the error message: "the block", "the wake time". */
  what: string;
  /** The setting the request leads to (null clears it); throws when the request is invalid. */
  fromRequest(request: R, now: number, source: string): T | null;
  describe(value: T | null): string;
}

export async function applySetting<R, T>(
  kind: SettingKind<R, T>,
  store: StateFile<T>,
  request: R,
  context: { now: number; source: string; logger: Logger },
): Promise<SettingOutcome> {
  let value: T | null;
  try {
    value = kind.fromRequest(request, context.now, context.source);
  } catch (e) {
    return { reply: { success: false, message: errorMessage(e) }, failed: 'arguments' };
  }
  try {
    await store.write(value);
  } catch (e) {
    return {
      reply: { success: false, message: `cannot save ${kind.what}: ${errorMessage(e)}` },
      failed: 'write',
    };
  }
  context.logger.info(`${kind.describe(value)} (by ${context.source})`);
  return { reply: { success: true, message: kind.describe(value) }, failed: null };
}
