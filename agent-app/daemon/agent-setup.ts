/** Builds the agent for a command from the loaded context (shared by run, status and check). */
import type { Reply } from '../../protocol/commands';
import { createAgent, type Agent } from '../core/agent';
import { agentStartOptions } from '../core/agent-start';
import { createStatusWriter } from '../core/status-writer';
import { compose, type Edges } from './compose';
import type { Context } from './context';
import type { AgentIo } from './io';

export interface SetupOptions {
  /** Write the status file (run, and status when it evaluates itself). */
  write: boolean;
  edges?: Partial<Edges>;
}

export async function setUpAgent(ctx: Context, io: AgentIo, options: SetupOptions): Promise<Agent> {
  const { config, logger } = ctx;
  const parts = compose(config, ctx.os, { clock: io.clock, logger, env: io.env, ...options.edges });
  return createAgent({
    ...(await agentStartOptions(config, { clock: io.clock, logger })),
    info: parts.info,
    checks: parts.checks,
    writer: options.write ? createStatusWriter(config.statusFile, io.platform) : null,
    powerActions: parts.powerActions,
  });
}

/**
 * One JSON line in ASCII: anything else as a \u escape. The QEMU guest agent hands a command's output to the
 * host as bytes that Proxmox decodes as Latin-1, so UTF-8 ("≥", "→", a name with an umlaut) would arrive as
 * other characters, some of them C1 controls the protocol refuses.
 */
export function asciiJsonLine(value: unknown): string {
  const json = JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${json}\n`;
}

export const replyLine = (reply: Reply): string => asciiJsonLine(reply);
