/** Builds the agent for a command from the loaded context (shared by run, status and check). */
import * as os from 'os';
import type { Reply } from '../../protocol/commands';
import { createAgent, maxObservationGapMs, type Agent } from '../core/agent';
import { createBlockStore } from '../core/block-store';
import { accountFromPrevious } from '../core/idle-accounting';
import { createStatusWriter, readPreviousStatus } from '../core/status-writer';
import { compose, type Edges } from './compose';
import type { Context } from './context';
import type { AgentIo } from './io';

export interface SetupOptions {
  /** Write the status file (run, and status when it evaluates itself). */
  write: boolean;
  edges?: Partial<Edges>;
}

export function bootTimeMs(now: number): number {
  return now - os.uptime() * 1000;
}

export async function setUpAgent(ctx: Context, io: AgentIo, options: SetupOptions): Promise<Agent> {
  const { config, logger } = ctx;
  const parts = compose(config, ctx.os, { clock: io.clock, logger, env: io.env, ...options.edges });
  const now = io.clock.now();
  const previous = await readPreviousStatus(config.statusFile);
  const checkTimeoutMs = config.checkTimeoutSeconds * 1000;
  return createAgent({
    info: parts.info,
    intervalSeconds: config.intervalSeconds,
    checkTimeoutMs,
    unknownIs: config.unknownIs,
    checks: parts.checks,
    clock: io.clock,
    logger,
    blockStore: createBlockStore(config.stateDir, (m) => logger.warn(m)),
    writer: options.write ? createStatusWriter(config.statusFile, io.platform) : null,
    initialSeq: previous?.seq ?? 0,
    initialAccount: accountFromPrevious(
      previous,
      now,
      maxObservationGapMs(config.intervalSeconds, checkTimeoutMs),
      bootTimeMs(now),
    ),
    powerActions: parts.powerActions,
  });
}

export const replyLine = (reply: Reply): string => `${JSON.stringify(reply)}\n`;
