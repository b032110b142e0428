/** Builds the agent for a command from the loaded context (shared by run, status and check). */
import { EXIT } from '../../common/errors';
import type { Reply } from '../../protocol/commands';
import type { SettingOutcome } from '../core/apply-setting';
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
    wake: parts.wake,
  });
}

export const replyLine = (reply: Reply): string => `${JSON.stringify(reply)}\n`;

/** The exit code for a `block` / `wake-at` outcome: 0, 64 for a bad request, 1 when it could not be saved. */
export const settingExitCode = (outcome: SettingOutcome): number =>
  outcome.failed === null ? EXIT.ok : outcome.failed === 'arguments' ? EXIT.usage : EXIT.failure;
