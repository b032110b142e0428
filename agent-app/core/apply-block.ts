/**
 * Setting or clearing the block from a request: parse it, persist it, log it, and say what happened. The
 * agent (tray, RPC) and the daemon's `block` command share it; the outcome says whether a failure came from
 * the request or from saving, since the CLI answers those with different exit codes.
 */
import { errorMessage } from '../../common/errors';
import type { Logger } from '../../common/log';
import type { Reply } from '../../protocol/commands';
import { blockFromRequest, describeBlock, type BlockRequest, type BlockSetting } from './block';
import type { BlockStore } from './block-store';

export type BlockOutcome = { reply: Reply; failed: null } | { reply: Reply; failed: 'arguments' | 'write' };

export async function applyBlock(
  store: BlockStore,
  request: BlockRequest,
  now: number,
  source: string,
  logger: Logger,
): Promise<BlockOutcome> {
  let setting: BlockSetting | null;
  try {
    setting = blockFromRequest(request, now, source);
  } catch (e) {
    return { reply: { success: false, message: errorMessage(e) }, failed: 'arguments' };
  }
  try {
    await store.write(setting);
  } catch (e) {
    return {
      reply: { success: false, message: `cannot save the block: ${errorMessage(e)}` },
      failed: 'write',
    };
  }
  logger.info(`${describeBlock(setting)} (by ${source})`);
  return { reply: { success: true, message: describeBlock(setting) }, failed: null };
}
