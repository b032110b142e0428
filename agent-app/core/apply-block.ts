/** Setting or clearing the block from a request; the agent (tray, RPC) and the daemon's `block` command share it. */
import type { Logger } from '../../common/log';
import { applySetting, type SettingOutcome } from './apply-setting';
import { blockFromRequest, describeBlock, type BlockRequest } from './block';
import type { BlockStore } from './block-store';

export function applyBlock(
  store: BlockStore,
  request: BlockRequest,
  now: number,
  source: string,
  logger: Logger,
): Promise<SettingOutcome> {
  return applySetting({
    store,
    build: () => blockFromRequest(request, now, source),
    describe: describeBlock,
    what: 'the block',
    source,
    logger,
  });
}
