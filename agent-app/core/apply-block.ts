/** Setting or clearing the block from a request; the agent (tray, RPC) and the daemon's `block` command share it. */
import type { Logger } from '../../common/log';
import { applySetting, type SettingKind, type SettingOutcome } from './apply-setting';
import { blockFromRequest, describeBlock, type BlockRequest, type BlockSetting } from './block';
import type { BlockStore } from './block-store';

export const BLOCK_SETTING: SettingKind<BlockRequest, BlockSetting> = {
  what: 'the block',
  fromRequest: blockFromRequest,
  describe: describeBlock,
};

export function applyBlock(
  store: BlockStore,
  request: BlockRequest,
  now: number,
  source: string,
  logger: Logger,
): Promise<SettingOutcome> {
  return applySetting(BLOCK_SETTING, store, request, { now, source, logger });
}
