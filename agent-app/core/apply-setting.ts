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

export interface SettingChange<T> {
  store: StateFile<T>;
  /** The new setting (null clears it); throws when the request is invalid. */
  build(): T | null;
  describe(value: T | null): string;
  /** What is saved, for the error message: "the block", "the wake time". */
  what: string;
  source: string;
  logger: Logger;
}

export async function applySetting<T>(change: SettingChange<T>): Promise<SettingOutcome> {
  let value: T | null;
  try {
    value = change.build();
  } catch (e) {
    return { reply: { success: false, message: errorMessage(e) }, failed: 'arguments' };
  }
  try {
    await change.store.write(value);
  } catch (e) {
    return {
      reply: { success: false, message: `cannot save ${change.what}: ${errorMessage(e)}` },
      failed: 'write',
    };
  }
  change.logger.info(`${change.describe(value)} (by ${change.source})`);
  return { reply: { success: true, message: change.describe(value) }, failed: null };
}
