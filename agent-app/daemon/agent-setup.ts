/** Builds the agent for a command from the loaded context (shared by run, status and check). */
import type { Reply } from '../../protocol/commands';
import { createAgent, type Agent } from '../core/agent';
import { agentStartOptions } from '../core/agent-start';
import { createStatusWriter } from '../core/status-writer';
import { yieldingToTray } from '../core/tray-standby';
import { compose, type Edges } from './compose';
import type { Context } from './context';
import type { AgentIo } from './io';

export interface SetupOptions {
  /** Write the status file (run, and status when it evaluates itself). */
  write: boolean;
  /** Leave the status file to a tray that is writing it (the resident daemon; see core/tray-standby). */
  yieldToTray?: boolean;
  edges?: Partial<Edges>;
}

export async function setUpAgent(ctx: Context, io: AgentIo, options: SetupOptions): Promise<Agent> {
  const { config, logger } = ctx;
  const parts = compose(config, ctx.os, { clock: io.clock, logger, env: io.env, ...options.edges });
  const writer = createStatusWriter(config.statusFile, io.platform);
  return createAgent({
    ...(await agentStartOptions(config, { clock: io.clock, logger })),
    info: parts.info,
    checks: parts.checks,
    writer: !options.write
      ? null
      : options.yieldToTray
        ? yieldingToTray(writer, { now: () => io.clock.now(), logger })
        : writer,
    powerActions: parts.powerActions,
  });
}

export const replyLine = (reply: Reply): string => `${JSON.stringify(reply)}\n`;
