/**
 * What an agent starts from, the same for the daemon and the tray: the configured timing, the block store,
 * and the seq and idle streak carried over from the status file a previous agent left behind.
 */
import * as os from 'os';
import type { Clock } from '../../common/clock';
import type { Logger } from '../../common/log';
import { maxObservationGapMs, type AgentOptions } from './agent';
import { createBlockStore } from './block-store';
import type { AgentConfig } from './config';
import { accountFromPrevious } from './idle-accounting';
import { readPreviousStatus } from './status-writer';

export type AgentStartOptions = Pick<
  AgentOptions,
  | 'intervalSeconds'
  | 'checkTimeoutMs'
  | 'unknownIs'
  | 'clock'
  | 'logger'
  | 'blockStore'
  | 'initialSeq'
  | 'initialAccount'
>;

export function bootTimeMs(now: number): number {
  return now - os.uptime() * 1000;
}

export async function agentStartOptions(
  config: AgentConfig,
  edges: { clock: Clock; logger: Logger },
): Promise<AgentStartOptions> {
  const { clock, logger } = edges;
  const now = clock.now();
  const previous = await readPreviousStatus(config.statusFile);
  const checkTimeoutMs = config.checkTimeoutSeconds * 1000;
  return {
    intervalSeconds: config.intervalSeconds,
    checkTimeoutMs,
    unknownIs: config.unknownIs,
    clock,
    logger,
    blockStore: createBlockStore(config.stateDir, (m) => logger.warn(m)),
    initialSeq: previous?.seq ?? 0,
    initialAccount: accountFromPrevious(
      previous,
      now,
      maxObservationGapMs(config.intervalSeconds, checkTimeoutMs),
      bootTimeMs(now),
    ),
  };
}
